using System.Text.Json;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// ethereum/tests BlockchainTests (ValidBlocks, InvalidBlocks, TransitionTests) and execution-spec-tests
/// blockchain_tests: build the pre-state, check the genesis block (its RLP, hash and state root), import each
/// block's <c>rlp</c> in order (a block with <c>expectException</c> must be rejected, leaving head and state as they
/// were), then compare the head with <c>lastblockhash</c> and the head state with <c>postState</c> or
/// <c>postStateHash</c>. Cases whose blocks need rules still to come count as skipped with the reason.
/// </summary>
public sealed partial class BlockchainFixtureKind(BeamMode? beam = null) : IFixtureKind
{
    /// <summary>
    /// Set for a beam run: each case's pre-state is held only by a serving node, and the blocks execute on a side that
    /// starts empty and fetches every node it reads through the Sync layer (<see cref="BeamExecutingSide"/>).
    /// </summary>
    public BeamMode? Beam => beam;

    public string Name => "Blockchain";
    public bool Implemented => true;

    public bool Recognizes(string path, JsonElement firstCase) => firstCase.Has("blocks") && firstCase.Has("genesisBlockHeader");

    public IEnumerable<CaseResult> Run(string path, JsonElement root)
    {
        var results = new List<CaseResult>();
        DeepStack.Run(() =>
        {
            foreach (var test in root.EnumerateObject())
            {
                string network = test.Value.TryGetProperty("network", out var n) ? n.GetString() ?? "" : "";
                try { results.Add(RunCase(path, test.Name, network, test.Value)); }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    results.Add(CaseResult.Fail(path, test.Name, network, $"malformed test: {e.GetType().Name}: {e.Message}"));
                }
            }
        });
        return results;
    }

    private CaseResult RunCase(string path, string name, string network, JsonElement test)
    {
        var config = test.TryGetProperty("config", out var c) ? c : default;
        if (!FixtureNetworks.TryGet(network, config, out var spec))
            return new CaseResult(path, name, network, CaseStatus.Skipped, $"unknown network {network}");

        var genesis = Block.Decode(Hex.Parse(test.GetProperty("genesisRLP").GetString()!));
        var wantGenesisHash = Hash256.Parse(test.GetProperty("genesisBlockHeader").GetProperty("hash").GetString()!);
        if (genesis.Hash != wantGenesisHash) return CaseResult.Fail(path, name, network, $"genesis hash {genesis.Hash}, fixture {wantGenesisHash}");

        var preState = FixtureState.ParseAlloc(test.GetProperty("pre"));
        using IFixtureChainSide side = beam is null
            ? new LocalChainSide(spec, genesis.Header, preState)
            : new BeamExecutingSide(spec, genesis.Header, preState, beam);
        var result = Check(path, name, network, test, side);
        // A problem at the serving node fails the case even when the blocks came out right: something was read that should not have been needed, or was not verified.
        if (side.Problem is { } problem)
            result = CaseResult.Fail(path, name, network, result.Status == CaseStatus.Failed ? $"{problem}; {result.Reason}" : problem);
        return result with { NodesFetched = side.NodesFetched, NodesFetchedByForm = side.NodesFetchedByForm };
    }

    private static CaseResult Check(string path, string name, string network, JsonElement test, IFixtureChainSide side)
    {
        var chain = side.Chain;
        var genesisHeader = chain.Head!;
        if (side.PreStateRoot != genesisHeader.StateRoot)
            return CaseResult.Fail(path, name, network, $"pre-state root {side.PreStateRoot}, genesis header {genesisHeader.StateRoot}");

        int index = 0, rejections = 0, reasonsMatched = 0;
        string? firstMismatch = null;
        foreach (var entry in test.GetProperty("blocks").EnumerateArray())
        {
            index++;
            bool expectInvalid = entry.TryGetProperty("expectException", out var expected);
            var headBefore = chain.Head!.Hash;
            var outcome = ImportOne(side, entry);
            if (outcome.Result == ImportResult.Unsupported) return new CaseResult(path, name, network, CaseStatus.Skipped, $"block {index}: {outcome.Message}");
            string? failure = Judge(outcome, expectInvalid, headMoved: chain.Head!.Hash != headBefore);
            if (failure is not null) return CaseResult.Fail(path, name, network, $"block {index}: {failure}" + (expectInvalid ? $" (expected {expected})" : ""));
            if (expectInvalid)
            {
                rejections++;
                if (ReasonMatches(expected.GetString() ?? "", outcome.Error, outcome.Message)) reasonsMatched++;
                else firstMismatch ??= $"block {index}: expected {expected.GetString()}, rejected with {outcome.Message}";
            }
        }

        var head = chain.Head!;
        var wantHead = Hash256.Parse(test.GetProperty("lastblockhash").GetString()!);
        if (head.Hash != wantHead) return CaseResult.Fail(path, name, network, $"head {head.Number} {head.Hash}, lastblockhash {wantHead}");

        if (test.TryGetProperty("postStateHash", out var postHash) && postHash.ValueKind == JsonValueKind.String)
        {
            var want = Hash256.Parse(postHash.GetString()!);
            if (head.StateRoot != want) return CaseResult.Fail(path, name, network, $"post state root {head.StateRoot}, postStateHash {want}");
        }
        else if (test.TryGetProperty("postState", out var post))
        {
            var want = PostStateRoots.WriteGenesis(FixtureState.ParseAlloc(post), DiscardingStateSink.Instance);
            if (head.StateRoot != want) return CaseResult.Fail(path, name, network, $"post state root {head.StateRoot}, postState gives {want}");
        }
        // A passing case with rejected blocks notes whether they were rejected for the fixture's reason.
        return rejections == 0 ? CaseResult.Pass(path, name, network)
            : new CaseResult(path, name, network, CaseStatus.Passed,
                reasonsMatched == rejections ? $"rejections: {rejections}, reasons match" : $"rejections: {rejections}, reasons differ: {firstMismatch}")
            {
                RejectedForAnotherReason = reasonsMatched != rejections,
            };
    }

    /// <summary>Computes a postState's root; it builds over no store, so one instance serves every case.</summary>
    private static readonly EvmStateFactory PostStateRoots = new(new MemoryKeyValueStore());

    private static ImportOutcome ImportOne(IFixtureChainSide side, JsonElement entry)
    {
        Block block;
        try { block = Block.Decode(Hex.Parse(entry.GetProperty("rlp").GetString()!)); }
        catch (Exception e) when (e is RlpException or TransactionException or FormatException)
        {
            return new ImportOutcome(ImportResult.Undecodable, $"does not decode: {e.Message}");
        }
        return side.Import(block);
    }

    /// <summary>Why an import outcome is wrong for what the fixture expects, or null when it is right.</summary>
    private static string? Judge(ImportOutcome outcome, bool expectInvalid, bool headMoved) => outcome.Result switch
    {
        ImportResult.Accepted => expectInvalid ? "accepted" : null,
        ImportResult.StateUnavailable => $"state unavailable: {outcome.Message}",
        _ when !expectInvalid => outcome.Result == ImportResult.Undecodable ? outcome.Message : $"rejected: {outcome.Message}",
        _ => headMoved ? "rejected but the head moved" : null,
    };
}
