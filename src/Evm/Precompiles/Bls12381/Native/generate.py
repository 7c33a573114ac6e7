#!/usr/bin/env python3
"""Writes the BLS12-381 base-field kernels as x86-64 assembly (BMI2 mulx, ADX adcx/adox), assembles them with GNU as
and writes their machine code into ../FpNativeKernels.Code.cs. Run from this directory: python3 generate.py.

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


def mul_add_row(out, t, operand, lo="rbx", hi="rbp", zero="rax", constant_reg="r15"):
    """t[0..6] += rdx * operand[0..5], the low words on the CF chain (adcx) and the high words one place up on the OF
    chain (adox); the sum must fit seven words, so neither chain carries out of t[6]. operand is a base register for
    limbs in memory, or None for p's limbs (immediates). Clears CF and OF first."""
    out.append(f"xor %e{zero[1:]}, %e{zero[1:]}" if zero.startswith("r") and not zero[1:].isdigit() else f"xor %{zero}d, %{zero}d")
    for j in range(6):
        if operand is None:
            out.append(f"movabs ${PL[j]:#x}, %{constant_reg}")
            out.append(f"mulx %{constant_reg}, %{lo}, %{hi}")
        else:
            out.append(f"mulx {8 * j}(%{operand}), %{lo}, %{hi}")
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


def conditional_subtract_store(out, t, dest, scratch):
    """Stores t − p when t ≥ p, else t (t < 2p), at dest; scratch: six free registers plus one for constants."""
    s = scratch[:6]
    k = scratch[6]
    for j in range(6):
        out.append(f"mov %{t[j]}, %{s[j]}")
    for j in range(6):
        out.append(f"movabs ${PL[j]:#x}, %{k}")
        out.append(f"{'sub' if j == 0 else 'sbb'} %{k}, %{s[j]}")
    for j in range(6):
        out.append(f"cmovc %{t[j]}, %{s[j]}")
        out.append(f"mov %{s[j]}, {8 * j}(%{dest})")


def fp_mul(out):
    """r = a·b·2^-384 mod p (CIOS), rdi = r, rsi = a, rdx = b."""
    prologue(out)
    out.append("mov %rdx, %rcx")
    t = ["r8", "r9", "r10", "r11", "r12", "r13", "r14"]
    for r in t:
        out.append(f"xor %{r}d, %{r}d" if r[1:].isdigit() else f"xor %e{r[1:]}, %e{r[1:]}")
    for i in range(6):
        out.append(f"mov {8 * i}(%rcx), %rdx")
        mul_add_row(out, t, "rsi")
        t = reduce_step(out, t)
    conditional_subtract_store(out, t, "rdi", ["rax", "rbx", "rbp", "rdx", "rcx", "rsi", "r15"])
    epilogue(out)


def wide_mul(out):
    """w = a·b, twelve words; rdi = w, rsi = a, rdx = b."""
    prologue(out)
    out.append("mov %rdx, %rcx")
    t = ["r8", "r9", "r10", "r11", "r12", "r13", "r14"]
    for r in t:
        out.append(f"xor %{r}d, %{r}d")
    for i in range(6):
        out.append(f"mov {8 * i}(%rcx), %rdx")
        mul_add_row(out, t, "rsi")
        out.append(f"mov %{t[0]}, {8 * i}(%rdi)")
        out.append(f"xor %{t[0]}d, %{t[0]}d")
        t = t[1:] + t[:1]
    for j in range(6):
        out.append(f"mov %{t[j]}, {8 * (6 + j)}(%rdi)")
    epilogue(out)


def wide_reduce(out):
    """r = w·2^-384 mod p for w < p·2^384; rdi = r, rsi = w. Six rounds on the low half, then the high half added:
    (w_lo + M·p)/2^384 ≤ p and w_hi < p, so one conditional subtraction finishes."""
    prologue(out)
    t = ["r8", "r9", "r10", "r11", "r12", "r13", "r14"]
    for j in range(6):
        out.append(f"mov {8 * j}(%rsi), %{t[j]}")
    out.append(f"xor %{t[6]}d, %{t[6]}d")
    for i in range(6):
        t = reduce_step(out, t)
    for j in range(6):
        out.append(f"{'add' if j == 0 else 'adc'} {8 * (6 + j)}(%rsi), %{t[j]}")
    conditional_subtract_store(out, t, "rdi", ["rax", "rbx", "rbp", "rdx", "rcx", "rsi", "r15"])
    epilogue(out)


KERNELS = [("Multiply", fp_mul), ("WideMultiply", wide_mul), ("WideReduce", wide_reduce)]


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
        if len(sys.argv) > 1 and sys.argv[1] == "--listing":
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
    open(os.path.join(here, "..", "FpNativeKernels.Code.cs"), "w").write("\n".join(cs) + "\n")
    print(f"{len(code)} bytes, offsets {offsets}")


if __name__ == "__main__":
    main()
