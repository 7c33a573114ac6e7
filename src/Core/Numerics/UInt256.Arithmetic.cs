namespace BeamSync.Core;

// The arithmetic contract every layer codes against. Hot paths use the static `in`/`out` forms (no copies of
// 32-byte structs); operators are conveniences over them. All wrap modulo 2^256; division and modulo by
// zero give zero, as the EVM's do. Signed forms read the operands as two's complement.
// PLACEHOLDER BODIES: being implemented (issue 2); do not ship with NotImplementedException.
public readonly partial struct UInt256
{
    /// <summary>a + b; returns true on carry out of bit 255.</summary>
    public static bool AddOverflow(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    /// <summary>a - b; returns true on borrow (a &lt; b).</summary>
    public static bool SubtractUnderflow(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Add(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Subtract(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Multiply(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    /// <summary>a * b; returns true when the full product does not fit 256 bits.</summary>
    public static bool MultiplyOverflow(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Divide(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Mod(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void SignedDivide(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void SignedMod(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    /// <summary>(a + b) mod m over the full 257-bit sum; zero when m is zero.</summary>
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result) => throw new NotImplementedException();
    /// <summary>(a * b) mod m over the full 512-bit product; zero when m is zero.</summary>
    public static void MultiplyMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result) => throw new NotImplementedException();
    /// <summary>b^e mod 2^256.</summary>
    public static void Exp(in UInt256 b, in UInt256 e, out UInt256 result) => throw new NotImplementedException();
    /// <summary>EVM SIGNEXTEND: extends the sign of byte <paramref name="byteIndex"/> (0 = least significant); unchanged when byteIndex &gt;= 31.</summary>
    public static void SignExtend(in UInt256 byteIndex, in UInt256 value, out UInt256 result) => throw new NotImplementedException();
    /// <summary>a &lt;&lt; shift; zero when shift &gt;= 256.</summary>
    public static void ShiftLeft(in UInt256 a, int shift, out UInt256 result) => throw new NotImplementedException();
    /// <summary>Logical a &gt;&gt; shift; zero when shift &gt;= 256.</summary>
    public static void ShiftRight(in UInt256 a, int shift, out UInt256 result) => throw new NotImplementedException();
    /// <summary>Arithmetic a &gt;&gt; shift (sign-filling); all ones or zero when shift &gt;= 256.</summary>
    public static void ArithmeticShiftRight(in UInt256 a, int shift, out UInt256 result) => throw new NotImplementedException();
    public static void And(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Or(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Xor(in UInt256 a, in UInt256 b, out UInt256 result) => throw new NotImplementedException();
    public static void Not(in UInt256 a, out UInt256 result) => throw new NotImplementedException();
    /// <summary>Two's complement negation.</summary>
    public static void Negate(in UInt256 a, out UInt256 result) => throw new NotImplementedException();
    /// <summary>Signed comparison of two's complement values: negative, zero or positive.</summary>
    public static int SignedCompare(in UInt256 a, in UInt256 b) => throw new NotImplementedException();

    /// <summary>Bit 255 set: negative as two's complement.</summary>
    public bool IsNegative => throw new NotImplementedException();
    /// <summary>EVM BYTE: byte <paramref name="index"/> counted from the most significant (0..31); zero beyond.</summary>
    public byte GetByteFromMostSignificant(int index) => throw new NotImplementedException();
    /// <summary>Leading zero bits, 256 for zero (EIP-7939 CLZ).</summary>
    public int LeadingZeroCount => throw new NotImplementedException();
    /// <summary>The value as ulong, or ulong.MaxValue when it does not fit (gas and size arguments).</summary>
    public ulong ToUInt64Saturating() => throw new NotImplementedException();

    public static UInt256 operator +(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator -(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator *(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator /(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator %(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator &(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator |(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator ^(in UInt256 a, in UInt256 b) => throw new NotImplementedException();
    public static UInt256 operator ~(in UInt256 a) => throw new NotImplementedException();
    public static UInt256 operator <<(in UInt256 a, int shift) => throw new NotImplementedException();
    public static UInt256 operator >>(in UInt256 a, int shift) => throw new NotImplementedException();
}
