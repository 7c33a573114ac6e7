using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Chain;
using BeamSync.Chain.Building;
using BeamSync.Chain.Engine;
using BeamSync.Chain.Pool;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Rpc.Engine;

/// <summary>
/// The engine API (execution-apis src/engine, through Osaka): the consensus layer hands payloads to execute
/// (newPayload), moves the head, safe and finalized blocks (forkchoiceUpdated), asks for blocks built from the
/// transaction pool (forkchoiceUpdated with attributes, then getPayload) and for bodies and blobs. Every method
/// version is a row of <see cref="Methods"/>: its name, the forks its timestamp may fall in and the shapes it takes,
/// so a new fork's versions are new rows. Payloads import without moving the head; only forkchoiceUpdated moves it.
/// Payloads execute on the node's one executor of blocks (<see cref="IPayloadExecutor"/>), fork choice between its
/// blocks; a payload whose verdict takes longer than the budget is answered SYNCING and its verdict kept for the next
/// call about it. Thread-safe.
/// </summary>
public sealed partial class EngineRpc
{
    /// <summary>The most bodies or blobs one call may ask for (the spec asks for at least 32 and 128).</summary>
    public const int MaxBodiesPerRequest = 1024;
    public const int MaxBlobsPerRequest = 128;
    private const int RememberedInvalidBlocks = 1024;
    private const int RememberedPayloads = 16;

    /// <summary>
    /// How long newPayload waits for a block's verdict before answering SYNCING: well inside the consensus client's
    /// 8 s timeout (execution-apis), with room for the HTTP round trip on a loaded machine.
    /// </summary>
    public static readonly TimeSpan DefaultPayloadBudget = TimeSpan.FromSeconds(5);

    private readonly Blockchain _chain;
    private readonly TransactionPool _pool;
    private readonly string _commit;
    private readonly IPayloadExecutor _executor;
    private readonly TimeSpan _payloadBudget;
    private readonly BoundedMap<Hash256, (Hash256? LatestValid, string Error)> _invalid = new(RememberedInvalidBlocks);
    private readonly BoundedMap<ulong, PendingPayload> _payloads = new(RememberedPayloads);
    private ulong _nextPayloadId = (ulong)Random.Shared.NextInt64();

    /// <param name="chain">The chain payloads import into.</param>
    /// <param name="pool">Where built blocks take their transactions and getBlobs its blobs from (an empty one when null).</param>
    /// <param name="commit">The first four bytes of the client's source commit, for getClientVersionV1.</param>
    /// <param name="executor">
    /// The node's one executor of blocks (a syncer's); null: payloads execute on the calling thread, only on parents
    /// executed here.
    /// </param>
    /// <param name="payloadBudget">How long newPayload waits for a verdict before answering SYNCING (<see cref="DefaultPayloadBudget"/>).</param>
    public EngineRpc(Blockchain chain, TransactionPool? pool = null, string commit = "0x00000000", IPayloadExecutor? executor = null, TimeSpan? payloadBudget = null)
    {
        _chain = chain;
        _pool = pool ?? new TransactionPool();
        _commit = commit;
        _executor = executor ?? new ChainPayloadExecutor(chain);
        _payloadBudget = payloadBudget ?? DefaultPayloadBudget;
    }

    private ChainSpec Spec => _chain.Spec;

    /// <summary>The version table: one row per method version.</summary>
    private IEnumerable<(string Name, int MaxParams, Func<RpcParams, JsonNode?> Invoke)> Methods()
    {
        foreach (var v in NewPayloadVersions) yield return ($"engine_newPayloadV{v.Version}", v.Params, p => NewPayload(p, v));
        foreach (var v in ForkchoiceVersions) yield return ($"engine_forkchoiceUpdatedV{v.Version}", 2, p => ForkchoiceUpdated(p, v));
        foreach (var v in GetPayloadVersions) yield return ($"engine_getPayloadV{v.Version}", 1, p => GetPayload(p, v));
        yield return ("engine_getPayloadBodiesByHashV1", 1, GetPayloadBodiesByHash);
        yield return ("engine_getPayloadBodiesByRangeV1", 2, GetPayloadBodiesByRange);
        yield return ("engine_getBlobsV1", 1, p => GetBlobs(p, version: 1));
        yield return ("engine_getBlobsV2", 1, p => GetBlobs(p, version: 2));
        yield return ("engine_getClientVersionV1", 1, _ => new JsonArray(new JsonObject
        {
            ["code"] = "BS", ["name"] = "BeamSync", ["version"] = "v0.1", ["commit"] = _commit,
        }));
    }

    /// <summary>Adds every engine method, and engine_exchangeCapabilities listing them, to <paramref name="methods"/>.</summary>
    public RpcMethods Register(RpcMethods methods)
    {
        var names = new List<string>();
        foreach (var (name, maxParams, invoke) in Methods())
        {
            methods.Add(name, maxParams, invoke);
            names.Add(name);
        }
        methods.Add("engine_exchangeCapabilities", 1, p =>
        {
            if (p.Required(0).ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(0, "expected an array of method names");
            return new JsonArray([.. names.Select(n => (JsonNode)JsonValue.Create(n))]);
        });
        return methods;
    }

    /// <summary>The fork a post-merge block is under.</summary>
    private Fork ForkAt(ulong number, ulong timestamp) => Spec.ForkAt(number, timestamp, postMerge: true);

    private static void CheckFork(Fork fork, Fork first, Fork? until, string method)
    {
        if (fork < first || fork >= until)
            throw new RpcException(EngineErrorCodes.UnsupportedFork, $"Unsupported fork: {method} does not take a {fork} timestamp");
    }

    private static RpcException TooLarge(int count, int max) =>
        new(EngineErrorCodes.TooLargeRequest, $"Too large request: {count} items, at most {max}");
}
