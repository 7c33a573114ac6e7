using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Evm;

namespace BeamSync.Rpc;

// eth_call and eth_estimateGas.
public sealed partial class EthRpc
{
    /// <summary>geth's estimator stops once the bracket is within this fraction of its upper end.</summary>
    private const double EstimateErrorRatio = 0.015;
    private const long CallStipend = 2300;

    private JsonNode Call(RpcParams p)
    {
        var args = ParseCallArgs(p);
        var header = RequireHeader(p.BlockId(1));
        if (p.Has(2) || p.Has(3)) throw RpcException.InvalidParams("state and block overrides are not supported");
        var executor = new CallExecutor(_chain, header, OpenStateStore(header));
        ulong gas = Math.Min(args.Gas ?? (ulong)_options.GasCap, (ulong)_options.GasCap);
        var outcome = executor.Execute(args, gas);
        if (!outcome.IsSuccess) throw ExecutionFailure(outcome, gas);
        return RpcJson.Data(outcome.Output);
    }

    /// <summary>
    /// The least gas the call succeeds with, found as geth finds it: a plain transfer is tried at 21,000 first; else the
    /// run at the cap gives the gas used, an optimistic limit just above it is tried, and a bisection narrows the
    /// bracket until it is within <see cref="EstimateErrorRatio"/>. A call that fails at the cap is that failure.
    /// </summary>
    private JsonNode EstimateGas(RpcParams p)
    {
        var args = ParseCallArgs(p);
        var header = RequireHeader(p.BlockId(1));
        if (p.Has(2)) throw RpcException.InvalidParams("state overrides are not supported");
        var state = OpenStateStore(header);
        var executor = new CallExecutor(_chain, header, state);

        ulong hi = Math.Min(args.Gas ?? header.GasLimit, (ulong)_options.GasCap);
        if (executor.Fork >= Core.Specs.Fork.Osaka) hi = Math.Min(hi, Transaction.MaxGasLimitOsaka);
        if (args.To is { } to && args.Data.Length == 0 && new State.WorldState(state).GetCode(to).Length == 0
            && Succeeds(executor, args, IntrinsicGas.Base))
            return RpcJson.Quantity(IntrinsicGas.Base);

        var top = executor.Execute(args, hi);
        if (!top.IsSuccess)
            throw top.Status == EvmStatus.Revert ? ExecutionFailure(top, hi)
                : new RpcException(RpcErrorCodes.ServerError, $"gas required exceeds allowance ({hi})");

        ulong lo = (ulong)top.GasUsed - 1;
        ulong optimistic = (ulong)(top.GasUsed + top.Refund + CallStipend) * 64 / 63;
        if (optimistic < hi)
        {
            if (Succeeds(executor, args, optimistic)) hi = optimistic;
            else lo = optimistic;
        }
        while (lo + 1 < hi)
        {
            if ((double)(hi - lo) / hi < EstimateErrorRatio) break;
            ulong mid = (hi + lo) / 2;
            if (mid > lo * 2) mid = lo * 2;   // the answer is usually close to the gas used: search near it first
            if (Succeeds(executor, args, mid)) hi = mid;
            else lo = mid;
        }
        return RpcJson.Quantity(hi);
    }

    /// <summary>Whether the call completes with <paramref name="gas"/>; a limit below intrinsic gas simply fails.</summary>
    private static bool Succeeds(CallExecutor executor, CallArgs args, ulong gas)
    {
        try
        {
            return executor.Execute(args, gas).IsSuccess;
        }
        catch (RpcException e) when (e.Code == RpcErrorCodes.ServerError && e.Message.StartsWith("intrinsic gas too low", StringComparison.Ordinal)
                                     || e.Message.StartsWith("insufficient gas for floor", StringComparison.Ordinal))
        {
            return false;
        }
    }

    private static CallArgs ParseCallArgs(RpcParams p)
    {
        try
        {
            return CallArgs.Parse(p.Required(0), 0);
        }
        catch (KeyNotFoundException e)
        {
            throw RpcParams.Invalid(0, e.Message);
        }
    }

    /// <summary>A failed call as geth reports it: a revert is code 3 with the output as data and any decoded reason.</summary>
    private static RpcException ExecutionFailure(CallOutcome outcome, ulong gas)
    {
        if (outcome.Status == EvmStatus.Revert)
        {
            var reason = RevertReason(outcome.Output);
            return new RpcException(RpcErrorCodes.ExecutionReverted,
                reason is null ? "execution reverted" : $"execution reverted: {reason}", Hex.ToHex(outcome.Output));
        }
        return new RpcException(RpcErrorCodes.ServerError, outcome.Status switch
        {
            EvmStatus.OutOfGas => $"out of gas: gas required exceeds allowance ({gas})",
            EvmStatus.InvalidOpcode => "invalid opcode",
            EvmStatus.StackUnderflow => "stack underflow",
            EvmStatus.StackOverflow => "stack limit reached 1024",
            EvmStatus.BadJumpDestination => "invalid jump destination",
            EvmStatus.StaticModeViolation => "write protection",
            EvmStatus.ReturnDataOutOfBounds => "return data out of bounds",
            EvmStatus.CallDepthExceeded => "max call depth exceeded",
            EvmStatus.InsufficientBalance => "insufficient balance for transfer",
            EvmStatus.ContractCollision => "contract address collision",
            EvmStatus.CodeSizeExceeded => "max code size exceeded",
            EvmStatus.InvalidCodePrefix => "invalid code: must not begin with 0xef",
            _ => $"execution failed: {outcome.Status}",
        });
    }

    /// <summary>The reason in Solidity's Error(string) or Panic(uint256) revert data; null for anything else.</summary>
    public static string? RevertReason(ReadOnlySpan<byte> output)
    {
        if (output.Length < 4 + 32) return null;
        uint selector = BinaryPrimitives.ReadUInt32BigEndian(output);
        var body = output[4..];
        if (selector == 0x4e487b71)
        {
            var code = new UInt256(body[..32]);
            return code.IsUInt64 && PanicReasons.TryGetValue(code.U0, out var known) ? known : $"unknown panic code: {RpcJson.Quantity(code)}";
        }
        if (selector != 0x08c379a0 || body.Length < 64) return null;
        var offset = new UInt256(body[..32]);
        if (!offset.IsUInt64 || offset.U0 > (ulong)body.Length - 32) return null;
        var length = new UInt256(body.Slice((int)offset.U0, 32));
        int start = (int)offset.U0 + 32;
        if (!length.IsUInt64 || length.U0 > (ulong)(body.Length - start)) return null;
        return Encoding.UTF8.GetString(body.Slice(start, (int)length.U0));
    }

    private static readonly Dictionary<ulong, string> PanicReasons = new()
    {
        [0x00] = "generic panic",
        [0x01] = "assert(false)",
        [0x11] = "arithmetic underflow or overflow",
        [0x12] = "division or modulo by zero",
        [0x21] = "enum overflow",
        [0x22] = "invalid encoded storage byte array accessed",
        [0x31] = "out-of-bounds array access; popping on an empty array",
        [0x32] = "out-of-bounds access of an array or bytesN",
        [0x41] = "out of memory",
        [0x51] = "uninitialized function",
    };
}
