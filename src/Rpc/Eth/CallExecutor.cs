using BeamSync.Chain.Execution;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Evm;
using BeamSync.State;

namespace BeamSync.Rpc;

/// <summary>How an eth_call run ended: the frame's status and output, gas used after refunds, and the refund granted.</summary>
public readonly record struct CallOutcome(EvmStatus Status, byte[] Output, long GasUsed, long Refund)
{
    public bool IsSuccess => Status == EvmStatus.Success;
}

/// <summary>
/// Runs a call as geth's eth_call does: on the state after <see cref="BlockHeader"/>, in that block's context, as a
/// transaction that skips the nonce and code-sender checks; with no fee fields the base fee (and without a blob fee
/// cap the blob base fee) the EVM sees is zero. Intrinsic gas, the calldata floor, the up-front balance, access-list
/// warming, EIP-7702 delegated targets and refunds are as in a block. Nothing is committed. EIP-7702 authorization
/// lists are charged as intrinsic gas but not applied. Runs on the caller's thread, which needs the EVM's stack
/// (<see cref="VirtualMachine.RequiredStackSize"/>; the RPC workers have it). One instance per call; not thread-safe.
/// </summary>
internal sealed class CallExecutor
{
    private readonly IRpcChain _chain;
    private readonly BlockHeader _header;
    private readonly Fork _fork;
    private readonly EvmSpec _spec;
    private readonly IStateStore _state;
    private readonly Func<ulong, Hash256?> _blockHashes;

    public CallExecutor(IRpcChain chain, BlockHeader header, IStateStore state)
    {
        _chain = chain;
        _header = header;
        _fork = chain.ForkOf(header);
        _spec = EvmSpec.For(_fork);
        _state = state;
        _blockHashes = number => number < header.Number && header.Number - number <= 256 ? chain.GetCanonicalHash(number) : null;
    }

    public Fork Fork => _fork;

    /// <summary>Runs <paramref name="args"/> with <paramref name="gasLimit"/> on a fresh view of the state; throws <see cref="RpcException"/> for a call no block would run.</summary>
    public CallOutcome Execute(CallArgs args, ulong gasLimit)
    {
        var world = new WorldState(_state);
        var from = args.From ?? Address.Zero;
        var block = EvmStateFactory.BlockContextOf(_header, _fork, _chain.Spec, _blockHashes);
        if (args.HasNoFees) block = block with { BaseFee = UInt256.Zero };
        if (args.MaxFeePerBlobGas is null) block = block with { BlobBaseFee = UInt256.Zero };
        var tx = args.ToTransaction(gasLimit);

        ulong intrinsic = IntrinsicGas.Calculate(tx, _fork);
        if (gasLimit < intrinsic) throw Refused($"intrinsic gas too low: have {gasLimit}, want {intrinsic}");
        if (_spec.IsPrague && IntrinsicGas.CalldataFloor(tx) is var floor && gasLimit < floor)
            throw Refused($"insufficient gas for floor data gas cost: have {gasLimit}, want {floor}");

        var price = GasPrice(args, block.BaseFee);
        ulong blobGas = (ulong)tx.BlobVersionedHashes.Length * BlobGas.GasPerBlob;
        var cost = new UInt256(gasLimit) * price + new UInt256(blobGas) * block.BlobBaseFee;
        var balance = world.GetBalance(from);
        if (balance < cost + args.Value)
            throw Refused($"insufficient funds for gas * price + value: address {Hex.ToHex(from.Bytes)} have {balance} want {cost + args.Value}");
        world.SubtractBalance(from, cost);
        ulong nonce = world.GetNonce(from);
        world.SetNonce(from, nonce + 1);

        var vm = new VirtualMachine(world, _spec, block, new TxContext(from, price, tx.BlobVersionedHashes));
        var created = args.To is null ? VirtualMachine.CreateAddress(from, nonce) : (Address?)null;
        WarmUp(world, tx, from, created ?? args.To!.Value, block.Coinbase);
        long gas = (long)(gasLimit - intrinsic);
        var result = args.To is { } to ? CallTarget(vm, world, from, to, args, gas) : vm.CreateAt(from, created!.Value, args.Value, args.Data, gas, 0);

        long used = (long)gasLimit - result.GasLeft;
        long refund = Math.Min(world.Refund, used / _spec.MaxRefundQuotient);
        used -= refund;
        if (_spec.IsPrague) used = Math.Max(used, (long)IntrinsicGas.CalldataFloor(tx));
        return new CallOutcome(result.Status, result.Output, used, refund);
    }

    /// <summary>The price per gas the sender pays: a legacy price, or base fee plus the tip capped by the fee cap.</summary>
    private UInt256 GasPrice(CallArgs args, UInt256 baseFee)
    {
        if (args.GasPrice is { } legacy) return legacy;
        if (args.MaxFeePerGas is null && args.MaxPriorityFeePerGas is null) return UInt256.Zero;
        var tip = args.MaxPriorityFeePerGas ?? UInt256.Zero;
        var feeCap = args.MaxFeePerGas ?? baseFee + tip;
        if (tip > feeCap) throw Refused("max priority fee per gas higher than max fee per gas");
        if (_spec.IsLondon && feeCap < baseFee) throw Refused($"max fee per gas less than block base fee: maxFeePerGas: {feeCap}, baseFee: {baseFee}");
        return tip + baseFee < feeCap ? tip + baseFee : feeCap;
    }

    private ExecutionResult CallTarget(VirtualMachine vm, WorldState world, Address from, Address to, CallArgs args, long gas)
    {
        var codeAddress = to;
        bool delegated = false;
        if (_spec.IsPrague && Delegation.TryGetTarget(world.GetCode(to), out var target))
        {
            codeAddress = target;
            delegated = true;
            world.WarmAccount(target);
        }
        return vm.Call(CallKind.Call, from, to, codeAddress, args.Value, args.Data, gas, false, 0, delegated);
    }

    /// <summary>EIP-2929/2930/3651 as for a transaction: sender, recipient, precompiles, the access list, the coinbase.</summary>
    private void WarmUp(WorldState world, Transaction tx, Address from, Address recipient, Address coinbase)
    {
        if (!_spec.IsBerlin) return;
        world.WarmAccount(from);
        world.WarmAccount(recipient);
        foreach (var precompile in _spec.PrecompileAddresses) world.WarmAccount(precompile);
        foreach (var entry in tx.AccessList)
        {
            world.WarmAccount(entry.Address);
            foreach (var key in entry.StorageKeys) world.WarmSlot(entry.Address, UInt256.FromHash(key));
        }
        if (_spec.IsShanghai) world.WarmAccount(coinbase);
    }

    private static RpcException Refused(string message) => new(RpcErrorCodes.ServerError, message);
}
