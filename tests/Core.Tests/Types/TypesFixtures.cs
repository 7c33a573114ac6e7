namespace BeamSync.Core.Tests.Types;

/// <summary>Finds the shared fixtures (../shared/fixtures from the repo root, or $BEAMSYNC_FIXTURES).</summary>
internal static class TypesFixtures
{
    public static string PathOf(string relative)
    {
        var env = Environment.GetEnvironmentVariable("BEAMSYNC_FIXTURES");
        if (!string.IsNullOrEmpty(env)) return System.IO.Path.Combine(env, relative);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "fixtures", relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return System.IO.Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException($"fixture {relative} not found under ../shared/fixtures or $BEAMSYNC_FIXTURES");
    }

    /// <summary>Splits a file of concatenated RLP items (chain.rlp) into the items.</summary>
    public static List<byte[]> ReadConcatenatedItems(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var items = new List<byte[]>();
        var reader = new RlpReader(bytes);
        while (reader.HasMore) items.Add(reader.ReadEncodedItem().ToArray());
        return items;
    }
}
