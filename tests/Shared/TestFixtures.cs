namespace BeamSync.Tests.Shared;

/// <summary>
/// Finds the shared conformance fixtures: <c>$BEAMSYNC_FIXTURES</c>, else <c>../shared/fixtures</c> beside the
/// repository root. Under <c>CI=true</c> a missing fixture is an error; elsewhere callers may pass over it.
/// </summary>
public static class TestFixtures
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The fixtures folder, or null when none is found.</summary>
    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("BEAMSYNC_FIXTURES");
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "BeamSync.sln"))) continue;
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures"));
                return Directory.Exists(candidate) ? candidate : null;
            }
            return null;
        }
    }

    /// <summary>The full path of a fixture file or folder; throws when it is missing.</summary>
    public static string PathOf(string relative)
    {
        if (TryLocate(relative, out var path)) return path;
        throw new FileNotFoundException($"fixture '{relative}' not found under $BEAMSYNC_FIXTURES or ../shared/fixtures");
    }

    /// <summary>
    /// False when the fixture is absent outside CI (the caller passes over it); under CI=true an absent fixture
    /// throws, so a missing folder fails the run.
    /// </summary>
    public static bool TryLocate(string relative, out string path)
    {
        path = "";
        var root = Root;
        if (root is not null)
        {
            var candidate = Path.Combine(root, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) { path = candidate; return true; }
        }
        if (IsCi) throw new FileNotFoundException($"CI=true and fixture '{relative}' is missing (looked under {root ?? "no fixtures folder"})");
        return false;
    }
}
