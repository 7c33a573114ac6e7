using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BeamSync.Evm;

/// <summary>
/// Code prepared for the interpreter once: padded with 33 zero bytes after it (a PUSH32 at the end reads zeros and
/// the loop meets a STOP without an end-of-code check) and 32 before it (a PUSHn reads the 32 bytes that end with its
/// data in one go, however near the start it is), a bitset of valid JUMPDEST positions (a 0x5b inside PUSH data is
/// not one) and whether the code is an EIP-7702 delegation designator. Immutable; safe to share across threads and calls.
/// </summary>
public sealed class AnalyzedCode
{
    public const int Padding = 33;
    public const int LeadingPadding = 32;
    public static readonly AnalyzedCode Empty = new([]);

    /// <summary>The code after <see cref="LeadingPadding"/> zero bytes and before <see cref="Padding"/> zero bytes.</summary>
    public readonly byte[] Padded;
    public readonly int Length;
    private readonly ulong[] _jumpDests;
    /// <summary>Whether the code is an EIP-7702 delegation designator (<see cref="DelegationTarget"/> is then set).</summary>
    public readonly bool IsDelegation;
    public readonly BeamSync.Core.Address DelegationTarget;

    public AnalyzedCode(ReadOnlySpan<byte> code)
    {
        Length = code.Length;
        Padded = new byte[LeadingPadding + code.Length + Padding];
        code.CopyTo(Padded.AsSpan(LeadingPadding));
        IsDelegation = Delegation.TryGetTarget(code, out DelegationTarget);
        _jumpDests = new ulong[(code.Length + 63) / 64];
        for (int pc = 0; pc < code.Length; pc++)
        {
            byte op = code[pc];
            if (op == (byte)Opcode.JUMPDEST) _jumpDests[pc >> 6] |= 1UL << (pc & 63);
            else if (op >= (byte)Opcode.PUSH1 && op <= (byte)Opcode.PUSH32) pc += op - (byte)Opcode.PUSH1 + 1;
        }
    }

    public ReadOnlySpan<byte> Code => Padded.AsSpan(LeadingPadding, Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsJumpDest(ulong destination) =>
        // Unchecked: a destination below Length has its word in the bitset.
        destination < (ulong)Length &&
        (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_jumpDests), (nint)(destination >> 6)) & (1UL << (int)destination)) != 0;
}
