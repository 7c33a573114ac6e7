using BeamSync.Cli.Commands;
using BeamSync.Cli.Devnet;
using BeamSync.Node;
using Microsoft.Extensions.Logging.Abstractions;

namespace BeamSync.Cli.Tests;

/// <summary>
/// A devnet child run in this process: its <c>beamsync run</c> command line parsed as the child would and run by
/// <see cref="BeamNode.RunAsync"/>, stopped by cancellation. Real nodes, real ports, no child process to start.
/// </summary>
internal sealed class InProcessDevnetNode : IDevnetNode
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;

    public InProcessDevnetNode(string name, IReadOnlyList<string> args)
    {
        Name = name;
        var options = RunCommand.ParseOptions([.. args.Skip(1)]); // args[0] is the "run" command
        _run = Task.Run(() => BeamNode.RunAsync(options, NullLoggerFactory.Instance, _stop.Token));
    }

    public static readonly DevnetLauncher Launcher = (name, args, _) => new InProcessDevnetNode(name, args);

    public string Name { get; }
    public string LogPath => "(in process)";
    public bool HasExited => _run.IsCompleted;
    public int? ExitCode => _run.IsCompletedSuccessfully ? _run.Result : _run.IsCompleted ? -1 : null;

    public async Task<int> StopAsync(TimeSpan grace)
    {
        await _stop.CancelAsync();
        try { return await _run.WaitAsync(grace); }
        catch (TimeoutException) { return -1; }
    }

    public string LogTail(int lines) => "";

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}
