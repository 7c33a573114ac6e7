using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using BeamSync.Core;
using BeamSync.Network.P2p;

namespace BeamSync.Network.Tests.Interop;

/// <summary>
/// A throwaway @ethereumjs/client dev node (Clique PoA, one sealer, discovery off) on a free port with its own data
/// directory; the process tree is killed and the directory removed on dispose.
/// </summary>
internal sealed partial class EthereumJsNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;
    private readonly TaskCompletionSource<Enode> _enode = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Address> _sealer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<byte[]> _sealerKey = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    public string Log => string.Join('\n', _log.TakeLast(60));

    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamSync.sln"))) return dir.FullName;
        return null;
    }

    public static string? CliPath() => RepoRoot() is { } root
        ? Path.Combine(root, ".ci", "interop", "node_modules", "@ethereumjs", "client", "dist", "esm", "bin", "cli.js") : null;

    /// <summary>Null when node and the pinned client are present, else why not.</summary>
    public static string? WhyUnavailable()
    {
        var cli = CliPath();
        if (cli is null || !File.Exists(cli)) return "@ethereumjs/client is not installed under .ci/interop";
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            p!.WaitForExit(10_000);
            return p.ExitCode == 0 ? null : "node does not run";
        }
        catch (Exception e) { return "node is not on PATH: " + e.Message; }
    }

    private EthereumJsNode(Process process, string dataDir)
    {
        _process = process;
        _dataDir = dataDir;
    }

    public static EthereumJsNode Start()
    {
        if (WhyUnavailable() is { } why) throw new InvalidOperationException(why + "; run: npm ci --prefix .ci/interop");
        int port = FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), "beamsync-ejs-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliPath()!, "--dev=poa", "--dataDir", dataDir, "--port", port.ToString(), "--discDns=false", "--discV4=false",
                     "--rpc=false", "--extIP", "127.0.0.1" })
            psi.ArgumentList.Add(a);
        if (Environment.GetEnvironmentVariable("BEAMSYNC_EJS_LOGLEVEL") is { Length: > 0 } level) { psi.ArgumentList.Add("--logLevel"); psi.ArgumentList.Add(level); }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var node = new EthereumJsNode(process, dataDir);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data, port);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data, port);
        process.Exited += (_, _) => { node._enode.TrySetException(new InvalidOperationException("ethereumjs exited early:\n" + node.Log)); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    [GeneratedRegex(@"enode://([0-9a-f]{128})@")]
    private static partial Regex EnodePattern();
    [GeneratedRegex(@"Private key: (0x[0-9a-fA-F]{64})")]
    private static partial Regex SealerKeyPattern();
    [GeneratedRegex(@"Address: (0x[0-9a-fA-F]{40})")]
    private static partial Regex SealerPattern();

    private void OnLine(string? line, int port)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 500) _log.TryDequeue(out _);
        if (SealerPattern().Match(line) is { Success: true } s) _sealer.TrySetResult(Address.Parse(s.Groups[1].Value));
        if (SealerKeyPattern().Match(line) is { Success: true } k) _sealerKey.TrySetResult(Hex.Parse(k.Groups[1].Value));
        if (EnodePattern().Match(line) is { Success: true } m)
            _enode.TrySetResult(new Enode(Hex.Parse(m.Groups[1].Value), IPAddress.Loopback, port));
    }

    public Task<Enode> EnodeAsync(TimeSpan timeout) => _enode.Task.WaitAsync(timeout);
    public Task<Address> SealerAsync(TimeSpan timeout) => _sealer.Task.WaitAsync(timeout);
    /// <summary>The dev sealer's private key, which the dev genesis funds: used to send a transaction over eth.</summary>
    public Task<byte[]> SealerKeyAsync(TimeSpan timeout) => _sealerKey.Task.WaitAsync(timeout);

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15)); } catch (TimeoutException) { }
        _process.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
