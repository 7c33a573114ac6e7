using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Node.Devnet;
using static BeamSync.Node.Tests.DevnetTestSupport;

namespace BeamSync.Node.Tests;

public class DevnetStateTests
{
    private static Hash256 GenesisRoot(DevnetState state)
    {
        using var store = new MemoryKeyValueStore();
        return DevnetGenesis.Write(state, store).Header.StateRoot;
    }

    [Fact]
    public void TheSameSeedGivesTheSameStateAndAnotherSeedAnother()
    {
        var a = DevnetState.Generate(Small(seed: 7));
        var b = DevnetState.Generate(Small(seed: 7));
        var c = DevnetState.Generate(Small(seed: 8));

        Assert.Equal(GenesisRoot(a), GenesisRoot(b));
        Assert.Equal(a.Accounts.Select(x => x.Address), b.Accounts.Select(x => x.Address));
        Assert.NotEqual(GenesisRoot(a), GenesisRoot(c));
        Assert.Empty(a.Accounts.Select(x => x.Address).Intersect(c.Accounts.Select(x => x.Address)));
    }

    [Fact]
    public void TheGeneratedStateHasTheRequestedShape()
    {
        var state = DevnetState.Generate(Small());
        Assert.Equal(1_000, state.Accounts.Length);
        Assert.Equal(1_000, state.Accounts.Select(a => a.Address).Distinct().Count());
        Assert.Equal(25, state.Contracts.Length);
        foreach (var kind in Enum.GetValues<DevnetContractKind>()) Assert.NotEmpty(state.ContractsOf(kind));
        Assert.Equal(600, state.Contracts.Max(c => c.SlotCount));
        var ordinary = state.Contracts.Where(c => c.SlotCount != 600).Select(c => c.SlotCount).ToArray();
        Assert.All(ordinary, n => Assert.InRange(n, 10, 30));
        // Each key signs for its account: the address is the key's, not a separate list.
        var account = state.Accounts[123];
        Assert.Equal(account.Address, DevnetAccounts.AddressOf(DevnetAccounts.PrivateKey(7, 123)));
        var alloc = state.Spec.Genesis!.Alloc;
        Assert.Equal(1_000 + 25 + 4, alloc.Count);
        Assert.Equal(Fork.Prague, state.Spec.ForkAt(0, DevnetState.GenesisTimestamp));
        Assert.True(state.Spec.IsKnownPostMerge(0, 0));
    }

    [Fact]
    public void TheFastGenesisWriteAgreesWithTheChainsOwnGenesisPath()
    {
        var state = DevnetState.Generate(Small());
        using var fast = new MemoryKeyValueStore();
        var header = DevnetGenesis.Write(state, fast).Header;

        using var reference = new MemoryKeyValueStore();
        var chain = new Blockchain(state.Spec, new BlockStore(reference), new EvmStateFactory(reference));
        var expected = chain.InitializeGenesis();

        Assert.Equal(expected.StateRoot, header.StateRoot);
        Assert.Equal(expected.Hash, header.Hash);
        Assert.Equal(reference.Count(Column.TrieNodes), fast.Count(Column.TrieNodes));
    }

    [Fact]
    public void AnInvalidOptionIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => DevnetState.Generate(Small() with { Accounts = 10 }));
        Assert.Contains("--state-accounts", error.Message);
    }
}
