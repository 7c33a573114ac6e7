using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BeamSync.Cli.Devnet;

/// <summary>
/// One devnet node as an OS process of its own (so any one can be killed), its stdout and stderr appended to
/// <c>{name}.log</c> in the run folder. <see cref="StopAsync"/> asks it to stop as Ctrl-C would (SIGTERM) and kills it
/// after a grace period. Thread-safe for the calls the devnet makes (start once, then poll and stop).
/// </summary>
public sealed partial class ChildProcess : IDevnetNode
{
    private const int SigTerm = 15;
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ChildProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }
    public string LogPath { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts <c>beamsync</c> with <paramref name="args"/> (the same executable and framework as this process).</summary>
    public static IDevnetNode Launch(string name, IReadOnlyList<string> args, string runDir) => Start(name, args, runDir);

    /// <inheritdoc cref="Launch"/>
    public static ChildProcess Start(string name, IReadOnlyList<string> args, string runDir) =>
        Start(name, ChildArguments.SelfCommand(Environment.ProcessPath!, Assembly.GetEntryAssembly()?.Location), args, runDir);

    /// <summary>Starts <paramref name="command"/> (an executable and its leading arguments) with <paramref name="args"/>, its output appended to <c>{name}.log</c> in <paramref name="runDir"/>.</summary>
    public static ChildProcess Start(string name, (string FileName, string[] Prefix) command, IReadOnlyList<string> args, string runDir)
    {
        var (fileName, prefix) = command;
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = runDir,
        };
        foreach (var arg in prefix.Concat(args)) start.ArgumentList.Add(arg);
        var logPath = Path.Combine(runDir, $"{name}.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"# {fileName} {string.Join(' ', start.ArgumentList)}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(name, process, log, logPath);
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    /// <summary>SIGTERM (the node flushes and closes), then a kill once <paramref name="grace"/> has passed. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsWindows() || Kill(_process.Id, SigTerm) != 0) _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        await _process.WaitForExitAsync(); // drains the redirected output into the log
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no flush, no close.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; false when it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last lines of the child's log, for an error message.</summary>
    public string LogTail(int lines)
    {
        lock (_log)
        {
            try
            {
                using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var text = new StreamReader(reader);
                var all = text.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(StopGrace);
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
