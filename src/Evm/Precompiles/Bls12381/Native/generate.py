#!/usr/bin/env python3
"""Writes the BLS12-381 base-field kernels as x86-64 assembly (BMI2 mulx, ADX adcx/adox), assembles them with GNU as
and writes their machine code into ../FpNativeKernels.Code.cs. Run from this directory: python3 generate.py
(--out PATH writes elsewhere: tests/Evm.Tests checks that the committed file is what this script makes).

Every kernel uses the System V calling convention (result pointer in rdi, inputs in rsi, rdx), keeps no data outside
its instructions (p's limbs are immediates) and takes no calls, so the bytes can be placed anywhere in memory.
"""
import os, re, subprocess, sys, tempfile

P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
PL = [(P >> (64 * i)) & (2**64 - 1) for i in range(6)]
PINV = (-pow(P, -1, 2**64)) % 2**64
assert PINV == 0x89f3fffcfffcfffd

CALLEE_SAVED = ["rbx", "rbp", "r12", "r13", "r14", "r15"]


def prologue(out):
    for r in CALLEE_SAVED:
        out.append(f"push %{r}")


def epilogue(out):
    for r in reversed(CALLEE_SAVED):
        out.append(f"pop %{r}")
    out.append("ret")


def mem(base, offset):
    return f"{offset}(%{base})"


def mul_add_row(out, t, operand, lo="rbx", hi="rbp", zero="rax", constant_reg="r15"):
    """t[0..6] += rdx * operand[0..5], the low words on the CF chain (adcx) and the high words one place up on the OF
    chain (adox); the sum must fit seven words, so neither chain carries out of t[6]. operand is (base register,
    offset) for limbs in memory, or None for p's limbs (immediates). Clears CF and OF first."""
    out.append(f"xor %e{zero[1:]}, %e{zero[1:]}")
    for j in range(6):
        if operand is None:
            out.append(f"movabs ${PL[j]:#x}, %{constant_reg}")
            out.append(f"mulx %{constant_reg}, %{lo}, %{hi}")
        else:
            out.append(f"mulx {mem(operand[0], operand[1] + 8 * j)}, %{lo}, %{hi}")
        out.append(f"adcx %{lo}, %{t[j]}")
        out.append(f"adox %{hi}, %{t[j + 1]}")
    out.append(f"adcx %{zero}, %{t[6]}")


def reduce_step(out, t):
    """One Montgomery round: m = t0·(−p⁻¹) mod 2^64, t += m·p (t0 becomes zero). Returns the window shifted by one
    word, the zeroed register moved to the top."""
    out.append(f"movabs ${PINV:#x}, %rdx")
    out.append(f"imul %{t[0]}, %rdx")
    mul_add_row(out, t, None)
    return t[1:] + t[:1]


T = ["r8", "r9", "r10", "r11", "r12", "r13", "r14"]


def zero_window(out, t):
    for r in t:
        out.append(f"xor %{r}d, %{r}d")


def conditional_subtract_store(out, t, dest, scratch):
    """Stores t − p when t ≥ p, else t (t < 2p), at dest (base, offset); scratch: six free registers plus one for
    constants."""
    s = scratch[:6]
    k = scratch[6]
    for j in range(6):
        out.append(f"mov %{t[j]}, %{s[j]}")
    for j in range(6):
        out.append(f"movabs ${PL[j]:#x}, %{k}")
        out.append(f"{'sub' if j == 0 else 'sbb'} %{k}, %{s[j]}")
    for j in range(6):
        out.append(f"cmovc %{t[j]}, %{s[j]}")
        out.append(f"mov %{s[j]}, {mem(dest[0], dest[1] + 8 * j)}")


def montgomery_multiply_into(out, dest, a, b, scratch):
    """dest = a·b·2^-384 mod p (CIOS); b's base register must not be rdx; clobbers rax, rbx, rbp, rdx, r8-r15 and
    scratch (six registers besides those, for the final subtraction; they may include a's or b's base)."""
    t = list(T)
    zero_window(out, t)
    for i in range(6):
        out.append(f"mov {mem(b[0], b[1] + 8 * i)}, %rdx")
        mul_add_row(out, t, a)
        t = reduce_step(out, t)
    conditional_subtract_store(out, t, dest, scratch + ["r15"])


def wide_multiply_into(out, dest, a, b):
    """dest (twelve words) = a·b; b's base register must not be rdx; clobbers rax, rbx, rbp, rdx, r8-r14."""
    t = list(T)
    zero_window(out, t)
    for i in range(6):
        out.append(f"mov {mem(b[0], b[1] + 8 * i)}, %rdx")
        mul_add_row(out, t, a)
        out.append(f"mov %{t[0]}, {mem(dest[0], dest[1] + 8 * i)}")
        out.append(f"xor %{t[0]}d, %{t[0]}d")
        t = t[1:] + t[:1]
    for j in range(6):
        out.append(f"mov %{t[j]}, {mem(dest[0], dest[1] + 8 * (6 + j))}")


def reduce_into(out, dest, w, scratch):
    """dest = w·2^-384 mod p for w (twelve words) below p·2^384: six rounds on the low half, then the high half
    added ((w_lo + M·p)/2^384 ≤ p and w_hi < p), then one conditional subtraction. Clobbers rax, rbx, rbp, rdx,
    r8-r15 and scratch (six registers; w's base may be among them)."""
    t = list(T)
    for j in range(6):
        out.append(f"mov {mem(w[0], w[1] + 8 * j)}, %{t[j]}")
    out.append(f"xor %{t[6]}d, %{t[6]}d")
    for i in range(6):
        t = reduce_step(out, t)
    for j in range(6):
        out.append(f"{'add' if j == 0 else 'adc'} {mem(w[0], w[1] + 48 + 8 * j)}, %{t[j]}")
    conditional_subtract_store(out, t, dest, scratch + ["r15"])


def add_six_into(out, dest, a, b, reg="rax"):
    """dest = a + b on six words (no reduction: a, b < p, so the sum is below 2^382)."""
    for j in range(6):
        out.append(f"mov {mem(a[0], a[1] + 8 * j)}, %{reg}")
        out.append(f"{'add' if j == 0 else 'adc'} {mem(b[0], b[1] + 8 * j)}, %{reg}")
        out.append(f"mov %{reg}, {mem(dest[0], dest[1] + 8 * j)}")


def subtract_twelve_into(out, dest, a, b, reg="rax"):
    """dest = a − b on twelve words, the borrow left in CF."""
    for j in range(12):
        out.append(f"mov {mem(a[0], a[1] + 8 * j)}, %{reg}")
        out.append(f"{'sub' if j == 0 else 'sbb'} {mem(b[0], b[1] + 8 * j)}, %{reg}")
        out.append(f"mov %{reg}, {mem(dest[0], dest[1] + 8 * j)}")


def add_p_high_on_borrow(out, dest, mask="rbx"):
    """After subtract_twelve_into: adds p·2^384 where it borrowed, so a difference of values below p·2^384 stays
    below it (the lazy reduction's bound). The masked limbs are formed first: and clears CF, so it cannot sit
    inside the adc chain. Clobbers r8-r13."""
    out.append(f"sbb %{mask}, %{mask}")
    for j in range(6):
        out.append(f"movabs ${PL[j]:#x}, %{T[j]}")
        out.append(f"and %{mask}, %{T[j]}")
    for j in range(6):
        out.append(f"{'add' if j == 0 else 'adc'} %{T[j]}, {mem(dest[0], dest[1] + 48 + 8 * j)}")


def fp_mul(out):
    """r = a·b·2^-384 mod p (CIOS), rdi = r, rsi = a, rdx = b."""
    prologue(out)
    out.append("mov %rdx, %rcx")
    montgomery_multiply_into(out, ("rdi", 0), ("rsi", 0), ("rcx", 0), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])
    epilogue(out)


def wide_mul(out):
    """w = a·b, twelve words; rdi = w, rsi = a, rdx = b."""
    prologue(out)
    out.append("mov %rdx, %rcx")
    wide_multiply_into(out, ("rdi", 0), ("rsi", 0), ("rcx", 0))
    epilogue(out)


def wide_reduce(out):
    """r = w·2^-384 mod p for w < p·2^384; rdi = r, rsi = w."""
    prologue(out)
    reduce_into(out, ("rdi", 0), ("rsi", 0), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])
    epilogue(out)


# Stack layout of the Fp2 kernels (byte offsets from rsp): three wide products and two six-word sums.
AA, BB, CROSS, SA, SB, FRAME = 0, 96, 192, 288, 336, 384


def fp2_wide_products(out, a=("rsi", 0), b=("rcx", 0), frame=0):
    """Karatsuba's three products of a = (a0, a1) and b (base, offset; b's base not rdx): aa = a0·b0, bb = a1·b1,
    cross = (a0 + a1)(b0 + b1), then cross − aa − bb (below 2p², the Fp2 product's u coefficient) in CROSS and
    aa − bb mod p·2^384 (its 1 coefficient) in AA, both at rsp + frame."""
    wide_multiply_into(out, ("rsp", frame + AA), a, b)
    wide_multiply_into(out, ("rsp", frame + BB), (a[0], a[1] + 48), (b[0], b[1] + 48))
    add_six_into(out, ("rsp", frame + SA), a, (a[0], a[1] + 48))
    add_six_into(out, ("rsp", frame + SB), b, (b[0], b[1] + 48))
    wide_multiply_into(out, ("rsp", frame + CROSS), ("rsp", frame + SA), ("rsp", frame + SB))
    subtract_twelve_into(out, ("rsp", frame + CROSS), ("rsp", frame + CROSS), ("rsp", frame + AA))
    subtract_twelve_into(out, ("rsp", frame + CROSS), ("rsp", frame + CROSS), ("rsp", frame + BB))
    subtract_twelve_into(out, ("rsp", frame + AA), ("rsp", frame + AA), ("rsp", frame + BB))
    add_p_high_on_borrow(out, ("rsp", frame + AA))


def fp2_multiply_into(out, dest, a, b, frame):
    """dest = a·b in Fp2, all on the stack or at rdi (a's and b's base must survive: rsp); scratch at rsp + frame."""
    fp2_wide_products(out, a, b, frame)
    reduce_into(out, dest, ("rsp", frame + AA), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])
    reduce_into(out, (dest[0], dest[1] + 48), ("rsp", frame + CROSS), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])


SIX = ["r8", "r9", "r10", "r11", "r12", "r13"]
OTHER_SIX = ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"]


def fp_add_into(out, dest, a, b):
    """dest = a + b mod p for a, b below p (the sum, below 2p, minus p where that does not borrow)."""
    for j in range(6):
        out.append(f"mov {mem(a[0], a[1] + 8 * j)}, %{SIX[j]}")
    for j in range(6):
        out.append(f"{'add' if j == 0 else 'adc'} {mem(b[0], b[1] + 8 * j)}, %{SIX[j]}")
    conditional_subtract_store(out, SIX, dest, OTHER_SIX + ["r15"])


def fp_sub_into(out, dest, a, b):
    """dest = a − b mod p for a, b below p (p added where it borrows)."""
    for j in range(6):
        out.append(f"mov {mem(a[0], a[1] + 8 * j)}, %{SIX[j]}")
    for j in range(6):
        out.append(f"{'sub' if j == 0 else 'sbb'} {mem(b[0], b[1] + 8 * j)}, %{SIX[j]}")
    out.append("sbb %r14, %r14")
    for j in range(6):
        out.append(f"movabs ${PL[j]:#x}, %{OTHER_SIX[j]}")
        out.append(f"and %r14, %{OTHER_SIX[j]}")
    for j in range(6):
        out.append(f"{'add' if j == 0 else 'adc'} %{OTHER_SIX[j]}, %{SIX[j]}")
        out.append(f"mov %{SIX[j]}, {mem(dest[0], dest[1] + 8 * j)}")


def fp2_add_into(out, dest, a, b):
    fp_add_into(out, dest, a, b)
    fp_add_into(out, (dest[0], dest[1] + 48), (a[0], a[1] + 48), (b[0], b[1] + 48))


def fp2_sub_into(out, dest, a, b):
    fp_sub_into(out, dest, a, b)
    fp_sub_into(out, (dest[0], dest[1] + 48), (a[0], a[1] + 48), (b[0], b[1] + 48))


def fp2_mul_by_nonresidue_into(out, dest, a):
    """dest = ξ·a = (a0 − a1) + (a0 + a1)u; dest must not overlap a."""
    fp_sub_into(out, dest, a, (a[0], a[1] + 48))
    fp_add_into(out, (dest[0], dest[1] + 48), a, (a[0], a[1] + 48))


def fp2_mul(out):
    """r = a·b in Fp2 (u² = −1), each coefficient reduced once; rdi = r, rsi = a, rdx = b (twelve words each, c0
    first). r may be a or b: both are read before r is written."""
    prologue(out)
    out.append(f"sub ${FRAME}, %rsp")
    out.append("mov %rdx, %rcx")
    fp2_wide_products(out)
    reduce_into(out, ("rdi", 0), ("rsp", AA), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])
    reduce_into(out, ("rdi", 48), ("rsp", CROSS), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])
    out.append(f"add ${FRAME}, %rsp")
    epilogue(out)


def fp2_wide_mul(out):
    """r = a·b in Fp2 unreduced (two twelve-word coefficients, each below p·2^384, as Fp2Wide.Multiply); rdi = r,
    rsi = a, rdx = b."""
    prologue(out)
    out.append(f"sub ${FRAME}, %rsp")
    out.append("mov %rdx, %rcx")
    fp2_wide_products(out)
    for j in range(12):
        out.append(f"mov {mem('rsp', AA + 8 * j)}, %rax")
        out.append(f"mov %rax, {mem('rdi', 8 * j)}")
    for j in range(12):
        out.append(f"mov {mem('rsp', CROSS + 8 * j)}, %rax")
        out.append(f"mov %rax, {mem('rdi', 96 + 8 * j)}")
    out.append(f"add ${FRAME}, %rsp")
    epilogue(out)


def fp2_square(out):
    """r = a² in Fp2: (a0 + a1)(a0 − a1) + 2·a0·a1·u, as two wide products of unreduced values below 2p (a0 − a1 + p
    and 2a0) and two reductions; rdi = r, rsi = a."""
    prologue(out)
    out.append(f"sub ${FRAME}, %rsp")
    add_six_into(out, ("rsp", SA), ("rsi", 0), ("rsi", 48))
    # SB = a0 + p − a1 (below 2p, never negative).
    for j in range(6):
        out.append(f"movabs ${PL[j]:#x}, %rax")
        out.append(f"{'add' if j == 0 else 'adc'} {mem('rsi', 8 * j)}, %rax")
        out.append(f"mov %rax, {mem('rsp', SB + 8 * j)}")
    for j in range(6):
        out.append(f"mov {mem('rsp', SB + 8 * j)}, %rax")
        out.append(f"{'sub' if j == 0 else 'sbb'} {mem('rsi', 48 + 8 * j)}, %rax")
        out.append(f"mov %rax, {mem('rsp', SB + 8 * j)}")
    out.append("mov %rsi, %rcx")
    wide_multiply_into(out, ("rsp", AA), ("rsp", SA), ("rsp", SB))
    # SA = 2·a0 (below 2p).
    add_six_into(out, ("rsp", SA), ("rcx", 0), ("rcx", 0))
    wide_multiply_into(out, ("rsp", BB), ("rsp", SA), ("rcx", 48))
    reduce_into(out, ("rdi", 0), ("rsp", AA), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])
    reduce_into(out, ("rdi", 48), ("rsp", BB), ["rax", "rbx", "rbp", "rdx", "rcx", "rsi"])
    out.append(f"add ${FRAME}, %rsp")
    epilogue(out)


# Stack layout of the compressed cyclotomic squaring (byte offsets from rsp, 96 bytes per Fp2): the input copied
# first (the result may overwrite it), temporaries, the operands and result of the shared Fp2 product, then that
# product's scratch.
KG2, KG3, KG4, KG5, KT1, KT2, KA23, KB23, KA45, KB45, KXB, KFA, KFB, KFR = (96 * i for i in range(14))
KMUL = 96 * 14
KARABINA_PRODUCT = ".Lkarabina_fp2_product"


def copy_fp2(out, dest, source):
    for j in range(12):
        out.append(f"mov {mem(source[0], source[1] + 8 * j)}, %rax")
        out.append(f"mov %rax, {mem(dest[0], dest[1] + 8 * j)}")


def karabina_square(out):
    """Karabina's compressed cyclotomic squaring, as Fp12.KarabinaCompressed.SquareManaged: with B_ij = g_i·g_j and
    A_ij = (g_i + g_j)(g_i + ξ·g_j), g2' = 2(g2 + 3ξ·B45), g3' = 3(A45 − (ξ + 1)·B45) − 2g3,
    g4' = 3(A23 − (ξ + 1)·B23) − 2g4, g5' = 2(g5 + 3·B23). rdi = result, rsi = input (g2, g3, g4, g5). Its four
    Fp2 products share one copy of the product's code (a local subroutine on fixed stack slots), which keeps the
    kernel small enough for the instruction cache."""
    prologue(out)
    out.append(f"sub ${KMUL + FRAME}, %rsp")
    for j in range(48):
        out.append(f"mov {8 * j}(%rsi), %rax")
        out.append(f"mov %rax, {8 * j}(%rsp)")
    g2, g3, g4, g5 = ("rsp", KG2), ("rsp", KG3), ("rsp", KG4), ("rsp", KG5)
    t1, t2, xb = ("rsp", KT1), ("rsp", KT2), ("rsp", KXB)
    fa, fb, fr = ("rsp", KFA), ("rsp", KFB), ("rsp", KFR)
    a23, b23, a45, b45 = ("rsp", KA23), ("rsp", KB23), ("rsp", KA45), ("rsp", KB45)
    for (gi, gj, a, b) in ((g2, g3, a23, b23), (g4, g5, a45, b45)):
        copy_fp2(out, fa, gi)
        copy_fp2(out, fb, gj)
        out.append(f"call {KARABINA_PRODUCT}")
        copy_fp2(out, b, fr)
        fp2_add_into(out, fa, gi, gj)
        fp2_mul_by_nonresidue_into(out, t2, gj)
        fp2_add_into(out, fb, gi, t2)
        out.append(f"call {KARABINA_PRODUCT}")
        copy_fp2(out, a, fr)
    # g2' = 2(g2 + 3ξB45)
    fp2_mul_by_nonresidue_into(out, xb, b45)
    fp2_add_into(out, t1, g2, xb)
    fp2_add_into(out, t1, t1, xb)
    fp2_add_into(out, t1, t1, xb)
    fp2_add_into(out, ("rdi", 0), t1, t1)
    # g3' = t + 2(t − g3), t = A45 − ξB45 − B45
    fp2_sub_into(out, t1, a45, xb)
    fp2_sub_into(out, t1, t1, b45)
    fp2_sub_into(out, t2, t1, g3)
    fp2_add_into(out, t2, t2, t2)
    fp2_add_into(out, ("rdi", 96), t2, t1)
    # g4' = t + 2(t − g4), t = A23 − ξB23 − B23
    fp2_mul_by_nonresidue_into(out, xb, b23)
    fp2_sub_into(out, t1, a23, xb)
    fp2_sub_into(out, t1, t1, b23)
    fp2_sub_into(out, t2, t1, g4)
    fp2_add_into(out, t2, t2, t2)
    fp2_add_into(out, ("rdi", 192), t2, t1)
    # g5' = 2(g5 + 3B23)
    fp2_add_into(out, t1, g5, b23)
    fp2_add_into(out, t1, t1, b23)
    fp2_add_into(out, t1, t1, b23)
    fp2_add_into(out, ("rdi", 288), t1, t1)
    out.append(f"add ${KMUL + FRAME}, %rsp")
    epilogue(out)
    # The shared product: FR = FA·FB. The call's return address sits at rsp, so the caller's slots are 8 bytes up.
    out.append(f"{KARABINA_PRODUCT}:")
    fp2_multiply_into(out, ("rsp", 8 + KFR), ("rsp", 8 + KFA), ("rsp", 8 + KFB), 8 + KMUL)
    out.append("ret")


KERNELS = [("Multiply", fp_mul), ("WideMultiply", wide_mul), ("WideReduce", wide_reduce),
           ("Fp2Multiply", fp2_mul), ("Fp2WideMultiply", fp2_wide_mul), ("Fp2Square", fp2_square),
           ("KarabinaSquare", karabina_square)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [".intel_syntax noprefix" if False else ".att_syntax", ".text"]
    for name, emit in KERNELS:
        body = []
        emit(body)
        lines.append(".p2align 4, 0xcc")
        lines.append(f"{name}:")
        lines.extend("    " + l for l in body)
    source = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        s = os.path.join(tmp, "k.s"); o = os.path.join(tmp, "k.o"); b = os.path.join(tmp, "k.bin")
        open(s, "w").write(source)
        subprocess.run(["as", "--64", "-o", o, s], check=True)
        relocations = subprocess.run(["objdump", "-r", o], check=True, capture_output=True, text=True).stdout
        if "R_X86_64" in relocations:
            sys.exit("kernels need relocations:\n" + relocations)
        subprocess.run(["objcopy", "-O", "binary", "--only-section=.text", o, b], check=True)
        code = open(b, "rb").read()
        symbols = subprocess.run(["nm", o], check=True, capture_output=True, text=True).stdout
        offsets = {m.group(2): int(m.group(1), 16) for m in re.finditer(r"([0-9a-f]+) t (\w+)", symbols)}
        if "--listing" in sys.argv:
            print(subprocess.run(["objdump", "-d", o], check=True, capture_output=True, text=True).stdout)
    cs = ["// <auto-generated> by Native/generate.py from the assembly it writes; do not edit by hand.",
          "namespace BeamSync.Evm.Precompiles.Bls12381;", "",
          "internal static unsafe partial class FpNativeKernels", "{"]
    for name, _ in KERNELS:
        cs.append(f"    private const int {name}Offset = {offsets[name]};")
    cs.append("")
    cs.append(f"    /// <summary>The kernels' machine code ({len(code)} bytes), x86-64 with BMI2 and ADX.</summary>")
    cs.append("    private static ReadOnlySpan<byte> Code =>")
    cs.append("    [")
    for i in range(0, len(code), 24):
        cs.append("        " + ", ".join(f"0x{c:02x}" for c in code[i:i + 24]) + ",")
    cs.append("    ];")
    cs.append("}")
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else os.path.join(here, "..", "FpNativeKernels.Code.cs")
    open(out, "w").write("\n".join(cs) + "\n")
    print(f"{len(code)} bytes, offsets {offsets}")


if __name__ == "__main__":
    main()
