using BeamSync.Cli.Fixtures;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;
using BeamSync.Tests.Shared;

namespace BeamSync.Cli.Tests;

/// <summary>
/// <c>test-fixtures --beam</c>: blockchain cases with the pre-state only at an in-process serving node and an
/// executing side that fetches every node it reads. Each case takes well under a second.
/// </summary>
public class BeamFixtureRunTests
{
    // One valid block that runs contract code (a self-destruct to the coinbase), and one rejected for its state root:
    // both need state the executing side starts without.
    private const string ValidFixture = "ethereum-tests/BlockchainTests/ValidBlocks/bcStateTests/suicideCoinbaseState.json";
    private const string InvalidFixture = "ethereum-tests/BlockchainTests/InvalidBlocks/bcInvalidHeaderTest/wrongStateRoot.json";

    private static FileResult Run(string fixture, BeamMode? beam) =>
        new FixtureRunner(FixtureKinds.For(beam)).RunFile(TestFixtures.PathOf(fixture));

    [FixtureTheory(ValidFixture, InvalidFixture)]
    [InlineData(ValidFixture)]
    [InlineData(InvalidFixture)]
    public void A_beam_run_fetches_nodes_and_judges_every_case_as_the_normal_run_does(string fixture)
    {
        var normal = Run(fixture, beam: null);
        var beam = Run(fixture, new BeamMode());

        Assert.NotEmpty(normal.Cases);
        Assert.Equal(normal.Cases.Select(c => (c.Name, c.Status, c.Reason)), beam.Cases.Select(c => (c.Name, c.Status, c.Reason)));
        Assert.All(normal.Cases, c => Assert.Equal(CaseStatus.Passed, c.Status));
        Assert.All(normal.Cases, c => Assert.Null(c.NodesFetched));
        Assert.All(beam.Cases, c => Assert.True(c.NodesFetched > 0, $"{c.Name} fetched {c.NodesFetched} nodes"));
        // Keyed reads go by path (the serving node holds every root the executing side reads at), code by hash.
        Assert.All(beam.Cases, c => Assert.True(c.NodesFetchedByForm!["path"] > 0 && c.NodesFetchedByForm["hash"] > 0,
            $"{c.Name} by form: {string.Join(", ", c.NodesFetchedByForm)}"));
    }

    /// <summary>
    /// A peer by hash over a copy of the serving store with every trie node changed in its last byte: each node it
    /// answers is the wrong one. (The serving node itself keeps its true store, so its own verdicts stay right.)
    /// </summary>
    private static StoreSyncPeer LyingPeer(IKeyValueStore store, RecentStateRoots roots)
    {
        var copy = new MemoryKeyValueStore();
        foreach (var (key, value) in store.Iterate(Column.TrieNodes, []))
        {
            var wrong = (byte[])value.Clone();
            wrong[^1] ^= 0x5a;
            copy.Put(Column.TrieNodes, key, wrong);
        }
        return new StoreSyncPeer(copy, "liar");
    }

    /// <summary>A peer by hash over a store that lost every trie node.</summary>
    private static StoreSyncPeer ForgetfulPeer(IKeyValueStore store, RecentStateRoots roots) => new(new MemoryKeyValueStore(), "forgetful");

    [FixtureTheory(ValidFixture, InvalidFixture)]
    [InlineData(ValidFixture)]
    [InlineData(InvalidFixture)]
    public void A_serving_peer_that_returns_wrong_nodes_fails_the_case_loudly(string fixture)
    {
        var result = Run(fixture, new BeamMode { ServingPeer = LyingPeer });

        var failed = Assert.Single(result.Cases);
        Assert.Equal(CaseStatus.Failed, failed.Status);
        Assert.Contains("serving peer liar: penalized by the scheduler: WrongData", failed.Reason);
        Assert.Contains("state unavailable", failed.Reason);
    }

    [FixtureFact(ValidFixture)]
    public void A_node_the_serving_store_lacks_fails_the_case_instead_of_reading_as_empty()
    {
        var result = Run(ValidFixture, new BeamMode { ServingPeer = ForgetfulPeer });

        var failed = Assert.Single(result.Cases);
        Assert.Equal(CaseStatus.Failed, failed.Status);
        Assert.Contains("which the serving store does not hold", failed.Reason);
    }
}
