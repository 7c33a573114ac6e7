using System.Diagnostics;

namespace BeamSync.Tests.Shared;

/// <summary>
/// Runs the node scripts under bench/ethereumjs against the npm packages pinned there (@ethereumjs/vm, kzg-wasm),
/// installed by .ci/run or `npm ci --prefix bench/ethereumjs`: the independent implementations our outputs are
/// compared with.
/// </summary>
public static class BenchNodeScripts
{
    public const string InstallHint = "npm ci --prefix bench/ethereumjs";

    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamSync.sln"))) return dir.FullName;
        return null;
    }

    private static string? ScriptDirectory() => RepoRoot() is { } root ? Path.Combine(root, "bench", "ethereumjs") : null;

    /// <summary>Null when node runs and <paramref name="package"/> (e.g. "@ethereumjs/vm") is installed, else why not.</summary>
    public static string? WhyUnavailable(string package)
    {
        var dir = ScriptDirectory();
        if (dir is null || !File.Exists(Path.Combine(dir, "node_modules", package, "package.json")))
            return $"{package} is not installed under bench/ethereumjs";
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            p!.WaitForExit(10_000);
            return p.ExitCode == 0 ? null : "node does not run";
        }
        catch (Exception e) { return "node is not on PATH: " + e.Message; }
    }

    /// <summary>Runs bench/ethereumjs/<paramref name="script"/> with <paramref name="arguments"/>: its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string package, string script, TimeSpan timeout, params string[] arguments)
    {
        if (WhyUnavailable(package) is { } why) throw new InvalidOperationException($"{why}; run: {InstallHint}");
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(ScriptDirectory()!, script));
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran over {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// The skip reason of a test that needs <paramref name="package"/>: null under CI=true (the test then runs and fails
    /// when the package is missing, never passing silently) or when it is installed.
    /// </summary>
    public static string? SkipReason(string package)
    {
        if (Environment.GetEnvironmentVariable("CI") == "true") return null;
        return WhyUnavailable(package) is { } reason
            ? $"{reason} (install with: {InstallHint}; under CI=true this test runs and fails instead)"
            : null;
    }
}

/// <summary>A fact that needs node and an npm package pinned in bench/ethereumjs; see <see cref="BenchNodeScripts.SkipReason"/>.</summary>
public sealed class BenchNodeFactAttribute : FactAttribute
{
    public BenchNodeFactAttribute(string package) => Skip = BenchNodeScripts.SkipReason(package);
}
