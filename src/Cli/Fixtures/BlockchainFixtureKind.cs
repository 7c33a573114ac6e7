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
public sealed partial class BlockchainFixtureKind : IFixtureKind
{
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

    private static CaseResult RunCase(string path, string name, string network, JsonElement test)
    {
        var config = test.TryGetProperty("config", out var c) ? c : default;
        if (!FixtureNetworks.TryGet(network, config, out var spec))
            return new CaseResult(path, name, network, CaseStatus.Skipped, $"unknown network {network}");

        var genesis = Block.Decode(Hex.Parse(test.GetProperty("genesisRLP").GetString()!));
        var wantGenesisHash = Hash256.Parse(test.GetProperty("genesisBlockHeader").GetProperty("hash").GetString()!);
        if (genesis.Hash != wantGenesisHash) return CaseResult.Fail(path, name, network, $"genesis hash {genesis.Hash}, fixture {wantGenesisHash}");

        using var store = new MemoryKeyValueStore();
        var states = new EvmStateFactory(store);
        var chain = new Blockchain(spec, new BlockStore(store), states);
        var preRoot = chain.InitializeGenesis(genesis.Header, FixtureState.ParseAlloc(test.GetProperty("pre")));
        if (preRoot != genesis.Header.StateRoot)
            return CaseResult.Fail(path, name, network, $"pre-state root {preRoot}, genesis header {genesis.Header.StateRoot}");

        int index = 0, rejections = 0, reasonsMatched = 0;
        string? firstMismatch = null;
        foreach (var entry in test.GetProperty("blocks").EnumerateArray())
        {
            index++;
            bool expectInvalid = entry.TryGetProperty("expectException", out var expected);
            string? failure = ImportOne(chain, entry, expectInvalid, out bool unsupported, out string? reason, out var rejection);
            if (unsupported) return new CaseResult(path, name, network, CaseStatus.Skipped, $"block {index}: {reason}");
            if (failure is not null) return CaseResult.Fail(path, name, network, $"block {index}: {failure}" + (expectInvalid ? $" (expected {expected})" : ""));
            if (expectInvalid && rejection is { } r)
            {
                rejections++;
                if (ReasonMatches(expected.GetString() ?? "", r.Error, r.Message)) reasonsMatched++;
                else firstMismatch ??= $"block {index}: expected {expected.GetString()}, rejected with {r.Message}";
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
            var want = states.WriteGenesis(FixtureState.ParseAlloc(post), DiscardingStateSink.Instance);
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

    /// <summary>Imports one fixture block; returns why it is wrong, or null when it did what the fixture expects.</summary>
    private static string? ImportOne(Blockchain chain, JsonElement entry, bool expectInvalid, out bool unsupported, out string? reason,
        out (BlockError? Error, string Message)? rejection)
    {
        unsupported = false;
        reason = null;
        rejection = null;
        var headBefore = chain.Head!.Hash;
        Block block;
        try { block = Block.Decode(Hex.Parse(entry.GetProperty("rlp").GetString()!)); }
        catch (Exception e) when (e is RlpException or TransactionException or FormatException)
        {
            rejection = (null, $"does not decode: {e.Message}");
            return expectInvalid ? null : $"does not decode: {e.Message}";
        }
        try
        {
            chain.Import(block);
            return expectInvalid ? "accepted" : null;
        }
        catch (InvalidBlockException e)
        {
            if (!expectInvalid) return $"rejected: {e.Message}";
            rejection = (e.Error, e.Message);
            return chain.Head!.Hash == headBefore ? null : "rejected but the head moved";
        }
        catch (NotSupportedException e)
        {
            unsupported = true;
            reason = e.Message;
            return null;
        }
    }
}
