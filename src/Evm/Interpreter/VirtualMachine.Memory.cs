using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.State;

namespace BeamSync.Evm;

public sealed partial class VirtualMachine
{
    private const long CopyGasPerWord = 3;

    /// <summary>CALLDATACOPY/CODECOPY/EXTCODECOPY/RETURNDATACOPY body: [memOffset, sourceOffset, length] on the stack (the caller pops them).</summary>
    private static bool Copy(CallFrame f, ref long gas, int sp, ReadOnlySpan<byte> source)
    {
        var s = f.Stack;
        ref readonly var memOffset = ref s[sp - 1];
        ref readonly var srcOffset = ref s[sp - 2];
        ref readonly var length = ref s[sp - 3];
        if (!ChargeMemory(f, ref gas, in memOffset, in length)) return false;
        if ((gas -= CopyGasPerWord * Words(length.U0)) < 0) return false;
        if (!length.IsZero)
        {
            ulong start = srcOffset.IsUInt64 ? srcOffset.U0 : ulong.MaxValue;
            var available = start >= (ulong)source.Length ? ReadOnlySpan<byte>.Empty : source[(int)start..];
            f.Memory.WritePadded(memOffset.U0, length.U0, available);
        }
        return true;
    }

    /// <summary>MCOPY (EIP-5656): [dest, source, length]; overlapping ranges copy as if through a buffer.</summary>
    private static bool MemoryCopy(CallFrame f, ref long gas, int sp)
    {
        var s = f.Stack;
        ref readonly var dest = ref s[sp - 1];
        ref readonly var src = ref s[sp - 2];
        ref readonly var length = ref s[sp - 3];
        if (!ChargeMemory(f, ref gas, in src, in length) || !ChargeMemory(f, ref gas, in dest, in length)) return false;
        if ((gas -= CopyGasPerWord * Words(length.U0)) < 0) return false;
        if (!length.IsZero) f.Memory.Slice(src.U0, length.U0).CopyTo(f.Memory.Slice(dest.U0, length.U0));
        return true;
    }

    private EvmStatus Log(CallFrame f, ref long gas, int sp, int topicCount)
    {
        if (f.IsStatic) return EvmStatus.StaticModeViolation;
        var s = f.Stack;
        ref readonly var offset = ref s[sp - 1];
        ref readonly var length = ref s[sp - 2];
        if (!ChargeMemory(f, ref gas, in offset, in length)) return EvmStatus.OutOfGas;
        // 8 gas per byte; a length that passed the memory check is below 2^31, so this cannot overflow.
        if ((gas -= 8 * (long)length.U0) < 0) return EvmStatus.OutOfGas;
        var topics = new Hash256[topicCount];
        for (int i = 0; i < topicCount; i++) topics[i] = s[sp - 3 - i].ToHash();
        var data = length.IsZero ? [] : f.Memory.Slice(offset.U0, length.U0).ToArray();
        _state.AddLog(new Log(f.Address, topics, data));
        return EvmStatus.Success;
    }
}
