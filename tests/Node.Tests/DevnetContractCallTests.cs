using BeamSync.Chain.Execution;
using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Node.Devnet;
using static BeamSync.Node.Tests.DevnetTestSupport;

namespace BeamSync.Node.Tests;

/// <summary>Each contract's calls, one transaction at a time on the genesis state: what succeeds, what reverts, and that a revert is a REVERT (gas left over), not an exceptional halt.</summary>
public class DevnetContractCallTests
{
    private const ulong GasLimit = 200_000;
    private readonly DevnetState _state = DevnetState.Generate(Small());
    private readonly MemoryKeyValueStore _store = new();
    private readonly BlockHeader _genesis;

    public DevnetContractCallTests() => _genesis = DevnetGenesis.Write(_state, _store).Header;

    private TransactionOutcome Call(DevnetAccount sender, Address target, byte[] data, AccessListItem[]? accessList = null)
    {
        var tx = new Transaction
        {
            Type = accessList is null ? TransactionType.DynamicFee : TransactionType.AccessList, ChainId = new UInt256(_state.Spec.ChainId),
            GasLimit = GasLimit, To = target, Data = data, GasPrice = accessList is null ? UInt256.Zero : new UInt256(10_000_000_000),
            MaxFeePerGas = new UInt256(10_000_000_000), MaxPriorityFeePerGas = UInt256.One, AccessList = accessList ?? [],
        }.Sign(sender.PrivateKey);
        var header = new BlockHeader { Number = 1, GasLimit = 60_000_000, Timestamp = _genesis.Timestamp + 2, BaseFeePerGas = 1_000_000_000UL, ExcessBlobGas = 0, BlobGasUsed = 0 };
        var outcome = OnExecutionThread(() => new EvmStateFactory(_store).Open(_genesis.StateRoot, header, _state.Options.Fork, _state.Spec, _ => null).Execute(tx, tx.Sender));
        Assert.True(outcome.IsValid, outcome.Error);
        return outcome;
    }

    [Fact]
    public void ATokenTransferMovesBalanceAndLogsTransfer()
    {
        var token = _state.ContractsOf(DevnetContractKind.Token).First();
        var holder = _state.Accounts[token.Holders[0]];
        var to = _state.Accounts[5].Address;
        var outcome = Call(holder, token.Address, DevnetContracts.TransferCall(to, new UInt256(5)));
        Assert.True(outcome.Success);
        var log = Assert.Single(outcome.Logs);
        Assert.Equal(token.Address, log.Address);
        Assert.Equal([DevnetContracts.TransferTopic, Hash256.FromBytesPadLeft(holder.Address.Bytes), Hash256.FromBytesPadLeft(to.Bytes)], log.Topics);
        Assert.Equal(new UInt256(5), new UInt256(log.Data));
    }

    [Fact]
    public void ATokenTransferAboveTheBalanceOrAnUnknownSelectorReverts()
    {
        var token = _state.ContractsOf(DevnetContractKind.Token).First();
        var outsider = _state.Accounts.First(a => !token.Holders.Contains(a.Index));
        var tooMuch = Call(outsider, token.Address, DevnetContracts.TransferCall(_state.Accounts[5].Address, UInt256.One));
        var unknown = Call(outsider, token.Address, [1, 2, 3, 4]);
        foreach (var outcome in new[] { tooMuch, unknown })
        {
            Assert.False(outcome.Success);
            Assert.True(outcome.GasUsed < 30_000, $"a REVERT returns the gas left; used {outcome.GasUsed}");
        }
    }

    [Fact]
    public void TheReverterRevertsOnOddInputsOnlyAndTheSlotWriterWrites()
    {
        var reverter = _state.ContractsOf(DevnetContractKind.Reverter).First();
        var writer = _state.ContractsOf(DevnetContractKind.SlotWriter).First();
        var sender = _state.Accounts[1];
        Assert.True(Call(sender, reverter.Address, DevnetContracts.ReverterCall(2)).Success);
        var odd = Call(sender, reverter.Address, DevnetContracts.ReverterCall(3));
        Assert.False(odd.Success);
        Assert.True(odd.GasUsed < 30_000);
        var few = Call(sender, writer.Address, DevnetContracts.SlotWriterCall(0, 1));
        var more = Call(sender, writer.Address, DevnetContracts.SlotWriterCall(0, 11));
        Assert.True(few.Success && more.Success);
        // Ten more existing slots: a cold read (2,100) and a dirtying write (2,900) each, plus the loop's own steps.
        Assert.InRange((long)more.GasUsed - (long)few.GasUsed, 10 * 5_000, 10 * 5_100);
    }
}
