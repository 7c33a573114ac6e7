using System.Text.Json;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.State;
using BeamSync.Tests.Shared;

namespace BeamSync.Chain.Tests;

/// <summary>
/// After importing the geth-ethtest chain to block 600, every account of geth's own state dump
/// (<c>headstate.json</c>) reads back from our state exactly: balance, nonce, code, storage root and every slot.
/// </summary>
public class HeadStateTests
{
    [FixtureFact("chains/geth-ethtest")]
    public void ImportedStateEqualsGethsDumpAccountByAccount()
    {
        var folder = TestFixtures.PathOf("chains/geth-ethtest");
        LargeStack.Run(() => Check(folder));
    }

    private static void Check(string folder)
    {
        var spec = ChainSpec.Load(Path.Combine(folder, "genesis.json"));
        var store = new MemoryKeyValueStore();
        var chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
        chain.InitializeGenesis();
        foreach (var block in ChainFile.Read(File.ReadAllBytes(Path.Combine(folder, "chain.rlp")))) chain.Import(block);

        using var dump = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "headstate.json")));
        Assert.Equal(Hash256.Parse(dump.RootElement.GetProperty("root").GetString()!), chain.Head!.StateRoot);
        var state = new TrieStateStore(store, chain.Head.StateRoot);

        int accounts = 0, slots = 0;
        foreach (var entry in dump.RootElement.GetProperty("accounts").EnumerateObject())
        {
            var expected = entry.Value;
            var address = Address.Parse(expected.GetProperty("address").GetString()!);
            Assert.True(state.TryGetAccount(address, out var account), $"{address} is missing");
            Assert.Equal(UInt256.Parse(expected.GetProperty("balance").GetString()!), account.Balance);
            Assert.Equal(expected.GetProperty("nonce").GetUInt64(), account.Nonce);
            Assert.Equal(Hash256.Parse(expected.GetProperty("root").GetString()!), account.StorageRoot);
            Assert.Equal(Hash256.Parse(expected.GetProperty("codeHash").GetString()!), account.CodeHash);
            if (expected.TryGetProperty("code", out var code))
                Assert.Equal(Hex.Parse(code.GetString()!), state.GetCode(account.CodeHash));
            if (expected.TryGetProperty("storage", out var storage))
            {
                foreach (var slot in storage.EnumerateObject())
                {
                    var value = new UInt256(Hex.Parse(slot.Value.GetString()!));
                    Assert.Equal(value, state.GetStorage(address, UInt256.Parse(slot.Name)));
                    slots++;
                }
            }
            accounts++;
        }
        Assert.Equal(194, accounts);
        Assert.True(slots > 0);
    }
}
