using System.Text.Json.Nodes;

namespace BeamSync.Rpc;

/// <summary>One method: the most positional arguments it takes, and its handler (which throws <see cref="RpcException"/>).</summary>
public sealed record RpcMethod(int MaxParams, Func<RpcParams, JsonNode?> Invoke);

/// <summary>The method table the dispatcher looks names up in. Built once at startup; read-only afterwards, so thread-safe.</summary>
public sealed class RpcMethods
{
    private readonly Dictionary<string, RpcMethod> _methods = new(StringComparer.Ordinal);

    public RpcMethods Add(string name, int maxParams, Func<RpcParams, JsonNode?> invoke)
    {
        _methods.Add(name, new RpcMethod(maxParams, invoke));
        return this;
    }

    public bool TryGet(string name, out RpcMethod method) => _methods.TryGetValue(name, out method!);

    public IEnumerable<string> Names => _methods.Keys;
}
