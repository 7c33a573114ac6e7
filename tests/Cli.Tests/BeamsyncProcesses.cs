using System.Net;
using System.Net.Sockets;
using BeamSync.Cli.Devnet;

namespace BeamSync.Cli.Tests;

/// <summary>
/// <c>beamsync</c> as real OS processes for tests: the CLI built beside this test assembly, started through the same
/// <c>dotnet</c> host, each one's output in <c>{name}.log</c> of the run folder; and free loopback ports for them.
/// </summary>
internal static class BeamsyncProcesses
{
    private static readonly (string FileName, string[] Prefix) Command =
        (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, "beamsync.dll")]);

    public static ChildProcess Start(string name, IReadOnlyList<string> args, string runDir) => ChildProcess.Start(name, Command, args, runDir);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
