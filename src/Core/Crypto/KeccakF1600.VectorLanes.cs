using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BeamSync.Core.Crypto;

/// <summary>
/// Keccak-f[1600] with each lane in its own 128-bit register (element 0), for CPUs with AVX-512VL. Thirty-two
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> T(Vector128<ulong> a, Vector128<ulong> b, Vector128<ulong> c, [ConstantExpected] byte op) =>
        Avx512F.VL.TernaryLogic(a, b, c, op);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Rol(Vector128<ulong> value, [ConstantExpected] byte count) =>
        Avx512F.VL.RotateLeft(value, count);

    /// <summary>Permutes a 25-lane state in memory; callers check <see cref="Avx512F.VL"/> support.</summary>
    private static void PermuteVectorLanes(ref ulong s)
    {
        var a00 = Vector128.CreateScalar(Unsafe.Add(ref s, 0));
        var a01 = Vector128.CreateScalar(Unsafe.Add(ref s, 1));
        var a02 = Vector128.CreateScalar(Unsafe.Add(ref s, 2));
        var a03 = Vector128.CreateScalar(Unsafe.Add(ref s, 3));
        var a04 = Vector128.CreateScalar(Unsafe.Add(ref s, 4));
        var a05 = Vector128.CreateScalar(Unsafe.Add(ref s, 5));
        var a06 = Vector128.CreateScalar(Unsafe.Add(ref s, 6));
        var a07 = Vector128.CreateScalar(Unsafe.Add(ref s, 7));
        var a08 = Vector128.CreateScalar(Unsafe.Add(ref s, 8));
        var a09 = Vector128.CreateScalar(Unsafe.Add(ref s, 9));
        var a10 = Vector128.CreateScalar(Unsafe.Add(ref s, 10));
        var a11 = Vector128.CreateScalar(Unsafe.Add(ref s, 11));
        var a12 = Vector128.CreateScalar(Unsafe.Add(ref s, 12));
        var a13 = Vector128.CreateScalar(Unsafe.Add(ref s, 13));
        var a14 = Vector128.CreateScalar(Unsafe.Add(ref s, 14));
        var a15 = Vector128.CreateScalar(Unsafe.Add(ref s, 15));
        var a16 = Vector128.CreateScalar(Unsafe.Add(ref s, 16));
        var a17 = Vector128.CreateScalar(Unsafe.Add(ref s, 17));
        var a18 = Vector128.CreateScalar(Unsafe.Add(ref s, 18));
        var a19 = Vector128.CreateScalar(Unsafe.Add(ref s, 19));
        var a20 = Vector128.CreateScalar(Unsafe.Add(ref s, 20));
        var a21 = Vector128.CreateScalar(Unsafe.Add(ref s, 21));
        var a22 = Vector128.CreateScalar(Unsafe.Add(ref s, 22));
        var a23 = Vector128.CreateScalar(Unsafe.Add(ref s, 23));
        var a24 = Vector128.CreateScalar(Unsafe.Add(ref s, 24));
        ref ulong rc = ref MemoryMarshal.GetArrayDataReference(RoundConstants);
        for (int round = 0; round < 24; round++)
        {
            // Theta: column parities c[x], and r[x] = rot(c[x], 1); lane (x, y) gets c[x - 1] ^ r[x + 1].
            var c0 = T(T(a00, a05, a10, Xor3), a15, a20, Xor3);
            var c1 = T(T(a01, a06, a11, Xor3), a16, a21, Xor3);
            var c2 = T(T(a02, a07, a12, Xor3), a17, a22, Xor3);
            var c3 = T(T(a03, a08, a13, Xor3), a18, a23, Xor3);
            var c4 = T(T(a04, a09, a14, Xor3), a19, a24, Xor3);
            var r0 = Rol(c0, 1);
            var r1 = Rol(c1, 1);
            var r2 = Rol(c2, 1);
            var r3 = Rol(c3, 1);
            var r4 = Rol(c4, 1);

            // Theta applied, rho's rotation, pi's move: lane (x, y) lands at (y, 2x + 3y).
            var b00 = T(a00, c4, r1, Xor3);
            var b01 = Rol(T(a06, c0, r2, Xor3), 44);
            var b02 = Rol(T(a12, c1, r3, Xor3), 43);
            var b03 = Rol(T(a18, c2, r4, Xor3), 21);
            var b04 = Rol(T(a24, c3, r0, Xor3), 14);
            var b05 = Rol(T(a03, c2, r4, Xor3), 28);
            var b06 = Rol(T(a09, c3, r0, Xor3), 20);
            var b07 = Rol(T(a10, c4, r1, Xor3), 3);
            var b08 = Rol(T(a16, c0, r2, Xor3), 45);
            var b09 = Rol(T(a22, c1, r3, Xor3), 61);
            var b10 = Rol(T(a01, c0, r2, Xor3), 1);
            var b11 = Rol(T(a07, c1, r3, Xor3), 6);
            var b12 = Rol(T(a13, c2, r4, Xor3), 25);
            var b13 = Rol(T(a19, c3, r0, Xor3), 8);
            var b14 = Rol(T(a20, c4, r1, Xor3), 18);
            var b15 = Rol(T(a04, c3, r0, Xor3), 27);
            var b16 = Rol(T(a05, c4, r1, Xor3), 36);
            var b17 = Rol(T(a11, c0, r2, Xor3), 10);
            var b18 = Rol(T(a17, c1, r3, Xor3), 15);
            var b19 = Rol(T(a23, c2, r4, Xor3), 56);
            var b20 = Rol(T(a02, c1, r3, Xor3), 62);
            var b21 = Rol(T(a08, c2, r4, Xor3), 55);
            var b22 = Rol(T(a14, c3, r0, Xor3), 39);
            var b23 = Rol(T(a15, c4, r1, Xor3), 41);
            var b24 = Rol(T(a21, c0, r2, Xor3), 2);

            // Chi along each row; iota on lane (0, 0).
            a00 = T(b00, b01, b02, ChiOp) ^ Vector128.CreateScalar(Unsafe.Add(ref rc, round));
            a01 = T(b01, b02, b03, ChiOp);
            a02 = T(b02, b03, b04, ChiOp);
            a03 = T(b03, b04, b00, ChiOp);
            a04 = T(b04, b00, b01, ChiOp);
            a05 = T(b05, b06, b07, ChiOp);
            a06 = T(b06, b07, b08, ChiOp);
            a07 = T(b07, b08, b09, ChiOp);
            a08 = T(b08, b09, b05, ChiOp);
            a09 = T(b09, b05, b06, ChiOp);
            a10 = T(b10, b11, b12, ChiOp);
            a11 = T(b11, b12, b13, ChiOp);
            a12 = T(b12, b13, b14, ChiOp);
            a13 = T(b13, b14, b10, ChiOp);
            a14 = T(b14, b10, b11, ChiOp);
            a15 = T(b15, b16, b17, ChiOp);
            a16 = T(b16, b17, b18, ChiOp);
            a17 = T(b17, b18, b19, ChiOp);
            a18 = T(b18, b19, b15, ChiOp);
            a19 = T(b19, b15, b16, ChiOp);
            a20 = T(b20, b21, b22, ChiOp);
            a21 = T(b21, b22, b23, ChiOp);
            a22 = T(b22, b23, b24, ChiOp);
            a23 = T(b23, b24, b20, ChiOp);
            a24 = T(b24, b20, b21, ChiOp);
        }
        Unsafe.Add(ref s, 0) = a00.ToScalar();
        Unsafe.Add(ref s, 1) = a01.ToScalar();
        Unsafe.Add(ref s, 2) = a02.ToScalar();
        Unsafe.Add(ref s, 3) = a03.ToScalar();
        Unsafe.Add(ref s, 4) = a04.ToScalar();
        Unsafe.Add(ref s, 5) = a05.ToScalar();
        Unsafe.Add(ref s, 6) = a06.ToScalar();
        Unsafe.Add(ref s, 7) = a07.ToScalar();
        Unsafe.Add(ref s, 8) = a08.ToScalar();
        Unsafe.Add(ref s, 9) = a09.ToScalar();
        Unsafe.Add(ref s, 10) = a10.ToScalar();
        Unsafe.Add(ref s, 11) = a11.ToScalar();
        Unsafe.Add(ref s, 12) = a12.ToScalar();
        Unsafe.Add(ref s, 13) = a13.ToScalar();
        Unsafe.Add(ref s, 14) = a14.ToScalar();
        Unsafe.Add(ref s, 15) = a15.ToScalar();
        Unsafe.Add(ref s, 16) = a16.ToScalar();
        Unsafe.Add(ref s, 17) = a17.ToScalar();
        Unsafe.Add(ref s, 18) = a18.ToScalar();
        Unsafe.Add(ref s, 19) = a19.ToScalar();
        Unsafe.Add(ref s, 20) = a20.ToScalar();
        Unsafe.Add(ref s, 21) = a21.ToScalar();
        Unsafe.Add(ref s, 22) = a22.ToScalar();
        Unsafe.Add(ref s, 23) = a23.ToScalar();
        Unsafe.Add(ref s, 24) = a24.ToScalar();
    }
}
