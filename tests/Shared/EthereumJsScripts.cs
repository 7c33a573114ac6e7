using System.Diagnostics;

namespace BeamSync.Tests.Shared;

/// <summary>
/// Runs the node scripts in bench/ethereumjs, which check BeamSync against @ethereumjs packages pinned in its
/// package.json (installed by .ci/run with <c>npm ci --prefix bench/ethereumjs</c>).
/// </summary>
public static class EthereumJsScripts
{
    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamSync.sln"))) return dir.FullName;
        return null;
    }

    private static string? ScriptDirectory() => RepoRoot() is { } root ? Path.Combine(root, "bench", "ethereumjs") : null;

    /// <summary>Null when node and the pinned <paramref name="package"/> (e.g. "@ethereumjs/vm") are present, else why not.</summary>
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

    /// <summary>Runs <c>node bench/ethereumjs/SCRIPT ARGS...</c>; returns its exit code and stdout followed by stderr.</summary>
    public static (int ExitCode, string Output) Run(string package, string script, TimeSpan timeout, params string[] arguments)
    {
        if (WhyUnavailable(package) is { } why) throw new InvalidOperationException(why + "; run: npm ci --prefix bench/ethereumjs");
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
}

/// <summary>
/// A fact that needs node and an @ethereumjs package installed under bench/ethereumjs (by .ci/run, or
/// `npm ci --prefix bench/ethereumjs`). Outside CI it is skipped with the reason when they are missing; under CI=true
/// it always runs, so a missing install fails instead of passing silently.
/// </summary>
public sealed class EthereumJsFactAttribute : FactAttribute
{
    public EthereumJsFactAttribute(string package)
    {
        if (TestFixtures.IsCi) return;
        if (EthereumJsScripts.WhyUnavailable(package) is { } reason)
            Skip = reason + " (install with: npm ci --prefix bench/ethereumjs; under CI=true this test runs and fails instead)";
    }
}
