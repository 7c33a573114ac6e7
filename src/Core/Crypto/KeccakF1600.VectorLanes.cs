using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BeamSync.Core.Crypto;

/// <summary>
/// Keccak-f[1600] with each lane in its own register, for CPUs with AVX-512VL: one state's lane in a 128-bit register
/// (element 0), or the same lane of eight states in a 512-bit one, by the same generic code. Thirty-two
/// vector registers hold the 25 lanes and theta's parities with few spills (sixteen general registers cannot),
/// vpternlogq does a three-way XOR or chi's <c>a ^ (~b &amp; c)</c> in one instruction, and vprolq rotates: about 90
/// instructions a round, no shuffles, against roughly 150 scalar ones plus spills. Within a round the lanes stay in
/// registers; across the loop's back edge the JIT passes them through the stack, which costs 50 cheap moves a round
/// and keeps the code to one round body (unrolled variants measured no better than that).
/// </summary>
public static partial class KeccakF1600
{
    // vpternlogq truth tables over (a, b, c) = (0xF0, 0xCC, 0xAA).
    private const byte Xor3 = 0x96;    // a ^ b ^ c
    private const byte ChiOp = 0xD2;   // a ^ (~b & c)

    /// <summary>Permutes a 25-lane state in memory; callers check <see cref="Avx512F.VL"/> support.</summary>
    private static void PermuteVectorLanes(ref ulong s) => PermuteRegisters<Vector128<ulong>, OneState>(ref s);

    /// <summary>
    /// Permutes eight states at once, interleaved lane by lane (lane k of state w at <c>8 k + w</c>), each register
    /// holding one lane of all eight: the same instructions as one state, eight digests; callers check <see cref="Avx512F"/>.
    /// </summary>
    internal static void PermuteEightStates(ref ulong s) => PermuteRegisters<Vector512<ulong>, EightStates>(ref s);

    /// <summary>How a register holds lanes: one state's lane in element 0, or eight states' same lane.</summary>
    private interface ILaneRegister<TVector>
    {
        static abstract TVector Load(ref ulong s, int lane);
        static abstract void Store(ref ulong s, int lane, TVector value);
        static abstract TVector Ternary(TVector a, TVector b, TVector c, [ConstantExpected] byte op);
        static abstract TVector Rol(TVector value, [ConstantExpected] byte count);
        static abstract TVector XorScalar(TVector value, ulong constant);
    }

    private readonly struct OneState : ILaneRegister<Vector128<ulong>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<ulong> Load(ref ulong s, int lane) => Vector128.CreateScalar(Unsafe.Add(ref s, lane));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(ref ulong s, int lane, Vector128<ulong> value) => Unsafe.Add(ref s, lane) = value.ToScalar();
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<ulong> Ternary(Vector128<ulong> a, Vector128<ulong> b, Vector128<ulong> c, [ConstantExpected] byte op) => Avx512F.VL.TernaryLogic(a, b, c, op);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<ulong> Rol(Vector128<ulong> value, [ConstantExpected] byte count) => Avx512F.VL.RotateLeft(value, count);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<ulong> XorScalar(Vector128<ulong> value, ulong constant) => value ^ Vector128.CreateScalar(constant);
    }

    private readonly struct EightStates : ILaneRegister<Vector512<ulong>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Load(ref ulong s, int lane) => Vector512.LoadUnsafe(ref s, (nuint)(8 * lane));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(ref ulong s, int lane, Vector512<ulong> value) => value.StoreUnsafe(ref s, (nuint)(8 * lane));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Ternary(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c, [ConstantExpected] byte op) => Avx512F.TernaryLogic(a, b, c, op);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Rol(Vector512<ulong> value, [ConstantExpected] byte count) => Avx512F.RotateLeft(value, count);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> XorScalar(Vector512<ulong> value, ulong constant) => value ^ Vector512.Create(constant);
    }

    private static void PermuteRegisters<TVector, TOps>(ref ulong s) where TOps : ILaneRegister<TVector>
    {
        var a00 = TOps.Load(ref s, 0);
        var a01 = TOps.Load(ref s, 1);
        var a02 = TOps.Load(ref s, 2);
        var a03 = TOps.Load(ref s, 3);
        var a04 = TOps.Load(ref s, 4);
        var a05 = TOps.Load(ref s, 5);
        var a06 = TOps.Load(ref s, 6);
        var a07 = TOps.Load(ref s, 7);
        var a08 = TOps.Load(ref s, 8);
        var a09 = TOps.Load(ref s, 9);
        var a10 = TOps.Load(ref s, 10);
        var a11 = TOps.Load(ref s, 11);
        var a12 = TOps.Load(ref s, 12);
        var a13 = TOps.Load(ref s, 13);
        var a14 = TOps.Load(ref s, 14);
        var a15 = TOps.Load(ref s, 15);
        var a16 = TOps.Load(ref s, 16);
        var a17 = TOps.Load(ref s, 17);
        var a18 = TOps.Load(ref s, 18);
        var a19 = TOps.Load(ref s, 19);
        var a20 = TOps.Load(ref s, 20);
        var a21 = TOps.Load(ref s, 21);
        var a22 = TOps.Load(ref s, 22);
        var a23 = TOps.Load(ref s, 23);
        var a24 = TOps.Load(ref s, 24);
        ref ulong rc = ref MemoryMarshal.GetArrayDataReference(RoundConstants);
        for (int round = 0; round < 24; round++)
        {
            // Theta: column parities c[x], and r[x] = rot(c[x], 1); lane (x, y) gets c[x - 1] ^ r[x + 1].
            var c0 = TOps.Ternary(TOps.Ternary(a00, a05, a10, Xor3), a15, a20, Xor3);
            var c1 = TOps.Ternary(TOps.Ternary(a01, a06, a11, Xor3), a16, a21, Xor3);
            var c2 = TOps.Ternary(TOps.Ternary(a02, a07, a12, Xor3), a17, a22, Xor3);
            var c3 = TOps.Ternary(TOps.Ternary(a03, a08, a13, Xor3), a18, a23, Xor3);
            var c4 = TOps.Ternary(TOps.Ternary(a04, a09, a14, Xor3), a19, a24, Xor3);
            var r0 = TOps.Rol(c0, 1);
            var r1 = TOps.Rol(c1, 1);
            var r2 = TOps.Rol(c2, 1);
            var r3 = TOps.Rol(c3, 1);
            var r4 = TOps.Rol(c4, 1);

            // Theta applied, rho's rotation, pi's move: lane (x, y) lands at (y, 2x + 3y).
            var b00 = TOps.Ternary(a00, c4, r1, Xor3);
            var b01 = TOps.Rol(TOps.Ternary(a06, c0, r2, Xor3), 44);
            var b02 = TOps.Rol(TOps.Ternary(a12, c1, r3, Xor3), 43);
            var b03 = TOps.Rol(TOps.Ternary(a18, c2, r4, Xor3), 21);
            var b04 = TOps.Rol(TOps.Ternary(a24, c3, r0, Xor3), 14);
            var b05 = TOps.Rol(TOps.Ternary(a03, c2, r4, Xor3), 28);
            var b06 = TOps.Rol(TOps.Ternary(a09, c3, r0, Xor3), 20);
            var b07 = TOps.Rol(TOps.Ternary(a10, c4, r1, Xor3), 3);
            var b08 = TOps.Rol(TOps.Ternary(a16, c0, r2, Xor3), 45);
            var b09 = TOps.Rol(TOps.Ternary(a22, c1, r3, Xor3), 61);
            var b10 = TOps.Rol(TOps.Ternary(a01, c0, r2, Xor3), 1);
            var b11 = TOps.Rol(TOps.Ternary(a07, c1, r3, Xor3), 6);
            var b12 = TOps.Rol(TOps.Ternary(a13, c2, r4, Xor3), 25);
            var b13 = TOps.Rol(TOps.Ternary(a19, c3, r0, Xor3), 8);
            var b14 = TOps.Rol(TOps.Ternary(a20, c4, r1, Xor3), 18);
            var b15 = TOps.Rol(TOps.Ternary(a04, c3, r0, Xor3), 27);
            var b16 = TOps.Rol(TOps.Ternary(a05, c4, r1, Xor3), 36);
            var b17 = TOps.Rol(TOps.Ternary(a11, c0, r2, Xor3), 10);
            var b18 = TOps.Rol(TOps.Ternary(a17, c1, r3, Xor3), 15);
            var b19 = TOps.Rol(TOps.Ternary(a23, c2, r4, Xor3), 56);
            var b20 = TOps.Rol(TOps.Ternary(a02, c1, r3, Xor3), 62);
            var b21 = TOps.Rol(TOps.Ternary(a08, c2, r4, Xor3), 55);
            var b22 = TOps.Rol(TOps.Ternary(a14, c3, r0, Xor3), 39);
            var b23 = TOps.Rol(TOps.Ternary(a15, c4, r1, Xor3), 41);
            var b24 = TOps.Rol(TOps.Ternary(a21, c0, r2, Xor3), 2);

            // Chi along each row; iota on lane (0, 0).
            a00 = TOps.XorScalar(TOps.Ternary(b00, b01, b02, ChiOp), Unsafe.Add(ref rc, round));
            a01 = TOps.Ternary(b01, b02, b03, ChiOp);
            a02 = TOps.Ternary(b02, b03, b04, ChiOp);
            a03 = TOps.Ternary(b03, b04, b00, ChiOp);
            a04 = TOps.Ternary(b04, b00, b01, ChiOp);
            a05 = TOps.Ternary(b05, b06, b07, ChiOp);
            a06 = TOps.Ternary(b06, b07, b08, ChiOp);
            a07 = TOps.Ternary(b07, b08, b09, ChiOp);
            a08 = TOps.Ternary(b08, b09, b05, ChiOp);
            a09 = TOps.Ternary(b09, b05, b06, ChiOp);
            a10 = TOps.Ternary(b10, b11, b12, ChiOp);
            a11 = TOps.Ternary(b11, b12, b13, ChiOp);
            a12 = TOps.Ternary(b12, b13, b14, ChiOp);
            a13 = TOps.Ternary(b13, b14, b10, ChiOp);
            a14 = TOps.Ternary(b14, b10, b11, ChiOp);
            a15 = TOps.Ternary(b15, b16, b17, ChiOp);
            a16 = TOps.Ternary(b16, b17, b18, ChiOp);
            a17 = TOps.Ternary(b17, b18, b19, ChiOp);
            a18 = TOps.Ternary(b18, b19, b15, ChiOp);
            a19 = TOps.Ternary(b19, b15, b16, ChiOp);
            a20 = TOps.Ternary(b20, b21, b22, ChiOp);
            a21 = TOps.Ternary(b21, b22, b23, ChiOp);
            a22 = TOps.Ternary(b22, b23, b24, ChiOp);
            a23 = TOps.Ternary(b23, b24, b20, ChiOp);
            a24 = TOps.Ternary(b24, b20, b21, ChiOp);
        }
        TOps.Store(ref s, 0, a00);
        TOps.Store(ref s, 1, a01);
        TOps.Store(ref s, 2, a02);
        TOps.Store(ref s, 3, a03);
        TOps.Store(ref s, 4, a04);
        TOps.Store(ref s, 5, a05);
        TOps.Store(ref s, 6, a06);
        TOps.Store(ref s, 7, a07);
        TOps.Store(ref s, 8, a08);
        TOps.Store(ref s, 9, a09);
        TOps.Store(ref s, 10, a10);
        TOps.Store(ref s, 11, a11);
        TOps.Store(ref s, 12, a12);
        TOps.Store(ref s, 13, a13);
        TOps.Store(ref s, 14, a14);
        TOps.Store(ref s, 15, a15);
        TOps.Store(ref s, 16, a16);
        TOps.Store(ref s, 17, a17);
        TOps.Store(ref s, 18, a18);
        TOps.Store(ref s, 19, a19);
        TOps.Store(ref s, 20, a20);
        TOps.Store(ref s, 21, a21);
        TOps.Store(ref s, 22, a22);
        TOps.Store(ref s, 23, a23);
        TOps.Store(ref s, 24, a24);
    }
}
