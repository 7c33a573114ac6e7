namespace BeamSync.Chain.Tests;

/// <summary>Finds shared/fixtures: $BEAMSYNC_FIXTURES, else ../shared/fixtures above the test binaries.</summary>
internal static class ChainFixtures
{
    public static string Root()
    {
        var env = Environment.GetEnvironmentVariable("BEAMSYNC_FIXTURES");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException("../shared/fixtures not found; set BEAMSYNC_FIXTURES");
    }
}
