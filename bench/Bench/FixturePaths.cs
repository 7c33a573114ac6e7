namespace BeamSync.Bench;

/// <summary>Where the shared fixtures are: BEAMSYNC_FIXTURES, else a shared/fixtures folder beside or above the binary.</summary>
internal static class FixturePaths
{
    public static string Root()
    {
        if (Environment.GetEnvironmentVariable("BEAMSYNC_FIXTURES") is { Length: > 0 } configured) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "fixtures"), Path.Combine(dir.FullName, "..", "shared", "fixtures") })
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException("shared/fixtures not found; set BEAMSYNC_FIXTURES");
    }
}
