using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// The base field's word-product kernels (Montgomery product, 768-bit product, Montgomery reduction, and the Fp2
/// product, unreduced product and square, and the compressed cyclotomic squaring built from them) as x86-64 machine
/// code with mulx and two independent carry chains (adcx/adox), which .NET cannot express: the JIT's version of the
/// same loops takes two multiplications per word product (mulx for the high word, imul for the low one) and a
/// compare-and-set per carry, ~1,200 instructions per Montgomery product where these take ~400. The code comes from
/// <c>Native/generate.py</c> (which writes the assembly and checks it needs no relocations) as bytes, copied once
/// into a private anonymous mapping that is then made read-and-execute (never writable and executable at once) and
/// called through unmanaged function pointers without a GC transition (they run ~100 ns, touch no managed state
/// and the operands are pinned). Used on Linux x86-64 with BMI2 and ADX; elsewhere, when the mapping is refused,
/// or with <c>BEAMSYNC_BLS_MANAGED_FIELD=1</c>, <see cref="IsAvailable"/> is false and the managed kernels run.
/// Thread-safe: the code is immutable once mapped.
/// </summary>
internal static unsafe partial class FpNativeKernels
{
    public static readonly bool IsAvailable;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void> MultiplyCode;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void> WideMultiplyCode;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void*, void> WideReduceCode;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void> Fp2MultiplyCode;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void> Fp2WideMultiplyCode;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void*, void> Fp2SquareCode;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void*, void> KarabinaSquareCode;

    static FpNativeKernels()
    {
        if (Environment.GetEnvironmentVariable("BEAMSYNC_BLS_MANAGED_FIELD") == "1" || !CpuSupportsKernels()) return;
        byte* code = MapExecutable(Code);
        if (code is null) return;
        MultiplyCode = (delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void>)(code + MultiplyOffset);
        WideMultiplyCode = (delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void>)(code + WideMultiplyOffset);
        WideReduceCode = (delegate* unmanaged[SuppressGCTransition]<void*, void*, void>)(code + WideReduceOffset);
        Fp2MultiplyCode = (delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void>)(code + Fp2MultiplyOffset);
        Fp2WideMultiplyCode = (delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void>)(code + Fp2WideMultiplyOffset);
        Fp2SquareCode = (delegate* unmanaged[SuppressGCTransition]<void*, void*, void>)(code + Fp2SquareOffset);
        KarabinaSquareCode = (delegate* unmanaged[SuppressGCTransition]<void*, void*, void>)(code + KarabinaSquareOffset);
        IsAvailable = true;
    }

    /// <summary>a·b·2^-384 mod p, as <see cref="Fp.MultiplyManaged"/>.</summary>
    public static Fp Multiply(in Fp a, in Fp b) => Binary<Fp, Fp>(MultiplyCode, a, b);

    /// <summary>The 768-bit product a·b, as <see cref="FpWide.MultiplyManaged"/>.</summary>
    public static FpWide WideMultiply(in Fp a, in Fp b) => Binary<Fp, FpWide>(WideMultiplyCode, a, b);

    /// <summary>w·2^-384 mod p for w below p·2^384, as <see cref="FpWide.ReduceManaged"/>.</summary>
    public static Fp WideReduce(in FpWide w) => Unary<FpWide, Fp>(WideReduceCode, w);

    /// <summary>a·b in Fp2, as <see cref="Fp2.MultiplyManaged"/> (Karatsuba, one reduction per coefficient).</summary>
    public static Fp2 Fp2Multiply(in Fp2 a, in Fp2 b) => Binary<Fp2, Fp2>(Fp2MultiplyCode, a, b);

    /// <summary>a·b in Fp2 unreduced, as <see cref="Fp2Wide.MultiplyManaged"/>.</summary>
    public static Fp2Wide Fp2WideMultiply(in Fp2 a, in Fp2 b) => Binary<Fp2, Fp2Wide>(Fp2WideMultiplyCode, a, b);

    /// <summary>a² in Fp2, as <see cref="Fp2.SquareManaged"/>.</summary>
    public static Fp2 Fp2Square(in Fp2 a) => Unary<Fp2, Fp2>(Fp2SquareCode, a);

    /// <summary>Karabina's compressed cyclotomic squaring, as <see cref="Fp12.KarabinaCompressed.SquareManaged"/>.</summary>
    internal static Fp12.KarabinaCompressed KarabinaSquare(in Fp12.KarabinaCompressed a) =>
        Unary<Fp12.KarabinaCompressed, Fp12.KarabinaCompressed>(KarabinaSquareCode, a);

    /// <summary>Calls a kernel (result, a, b) with its operands pinned for the call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TResult Binary<TOperand, TResult>(delegate* unmanaged[SuppressGCTransition]<void*, void*, void*, void> kernel, in TOperand a, in TOperand b)
        where TOperand : unmanaged where TResult : unmanaged
    {
        Unsafe.SkipInit(out TResult result);
        fixed (TOperand* pa = &a, pb = &b) kernel(&result, pa, pb);
        return result;
    }

    /// <summary>Calls a kernel (result, a) with its operand pinned for the call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TResult Unary<TOperand, TResult>(delegate* unmanaged[SuppressGCTransition]<void*, void*, void> kernel, in TOperand a)
        where TOperand : unmanaged where TResult : unmanaged
    {
        Unsafe.SkipInit(out TResult result);
        fixed (TOperand* pa = &a) kernel(&result, pa);
        return result;
    }

    private static bool CpuSupportsKernels()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || !X86Base.IsSupported) return false;
        // CPUID leaf 7: EBX bit 8 is BMI2 (mulx), bit 19 ADX (adcx, adox).
        (_, int ebx, _, _) = X86Base.CpuId(7, 0);
        return (ebx & (1 << 8)) != 0 && (ebx & (1 << 19)) != 0;
    }

    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    /// <summary>The code in a fresh mapping, read-only and executable; null when the system refuses either step.</summary>
    private static byte* MapExecutable(ReadOnlySpan<byte> code)
    {
        nuint length = (nuint)code.Length;
        try
        {
            nint mapped = Mmap(0, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (mapped == -1 || mapped == 0) return null;
            code.CopyTo(new Span<byte>((void*)mapped, code.Length));
            if (Mprotect(mapped, length, ProtRead | ProtExec) != 0)
            {
                Munmap(mapped, length);
                return null;
            }
            return (byte*)mapped;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without these names (not glibc or musl): the managed kernels run.
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "mprotect")]
    private static extern int Mprotect(nint address, nuint length, int protection);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(nint address, nuint length);
}
