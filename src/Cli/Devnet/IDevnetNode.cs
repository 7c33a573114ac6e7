namespace BeamSync.Cli.Devnet;

/// <summary>
/// A running devnet node as the devnet sees it: something it started with a <c>beamsync run</c> command line, that
/// may exit, and that it stops at the end. <see cref="ChildProcess"/> in production; tests launch fakes.
/// </summary>
public interface IDevnetNode : IAsyncDisposable
{
    string Name { get; }
    string LogPath { get; }
    bool HasExited { get; }
    int? ExitCode { get; }
    /// <summary>Asks the node to stop as Ctrl-C would, kills it after <paramref name="grace"/>; returns its exit code.</summary>
    Task<int> StopAsync(TimeSpan grace);
    /// <summary>The last lines of its log, for an error message.</summary>
    string LogTail(int lines);
}

/// <summary>Starts a devnet node named <c>name</c> with <c>beamsync</c> arguments <c>args</c>, its files in <c>runDir</c>.</summary>
public delegate IDevnetNode DevnetLauncher(string name, IReadOnlyList<string> args, string runDir);
