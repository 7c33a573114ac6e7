using BeamSync.Node.Options;
using Microsoft.Extensions.Logging;

namespace BeamSync.Node;

/// <summary>Placeholder for the node composition; the lead's BeamNode replaces this file at merge.</summary>
public static class BeamNode
{
    public static Task<int> RunAsync(NodeOptions options, ILoggerFactory logs, CancellationToken ct) =>
        throw new NotImplementedException("BeamNode is composed on the lead's branch");
}
