using System.Text.Json;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// Locates and reads go-ethereum's precompile vectors in shared/fixtures/precompiles ($BEAMSYNC_FIXTURES, else
/// ../shared/fixtures from the repository root, found by walking up to BeamSync.sln). Under CI=true a missing
/// folder is an error; elsewhere tests that need it return without checking anything.
/// </summary>
internal static class PrecompileFixtures
{
    public sealed record Vector(string Input, string? Expected, string Name, long Gas, string? ExpectedError);

    private static readonly Lazy<string?> Folder = new(Locate);

    /// <summary>The vectors of one file, or null when the fixtures are absent outside CI.</summary>
    public static IReadOnlyList<Vector>? Load(string fileName)
    {
        string? folder = Folder.Value;
        if (folder is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new DirectoryNotFoundException("shared/fixtures/precompiles not found (set BEAMSYNC_FIXTURES)");
            return null;
        }
        string path = Path.Combine(folder, fileName);
        using FileStream stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<Vector>>(stream) ?? throw new InvalidDataException($"{path} is empty");
    }

    private static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("BEAMSYNC_FIXTURES");
        if (!string.IsNullOrEmpty(configured))
            return Directory.Exists(Path.Combine(configured, "precompiles")) ? Path.Combine(configured, "precompiles") : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "BeamSync.sln"))) continue;
            string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "precompiles"));
            return Directory.Exists(candidate) ? candidate : null;
        }
        return null;
    }
}
