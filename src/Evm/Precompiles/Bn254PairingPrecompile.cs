using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bn254;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x08 alt_bn128 pairing check (EIP-197): k pairs of (G1 point, 64 bytes; G2 point, 128 bytes) to a 32-byte 1 when
/// the product of their pairings is one, else 0. Fails when the length is not a multiple of 192, a coordinate is
/// not below p, a point is off its curve or a G2 point is outside the order-r subgroup. 80000·k + 100000 gas,
/// 34000·k + 45000 from Istanbul (EIP-1108). Stateless; thread-safe.
/// </summary>
public sealed class Bn254PairingPrecompile : IPrecompile
{
    public static readonly Bn254PairingPrecompile Instance = new();
    private Bn254PairingPrecompile() { }

    private const int PairSize = 192;

    /// <summary>Pairs up to this many are decoded on the stack (each <see cref="Bn254Pairing.Pair"/> is 192 bytes).</summary>
    private const int StackPairs = 4;

    public Address Address => PrecompileAddress.Bn254Pairing;

    public long GasCost(ReadOnlySpan<byte> input, Fork fork)
    {
        long pairs = input.Length / PairSize;
        return fork >= Fork.Istanbul ? 34_000 * pairs + 45_000 : 80_000 * pairs + 100_000;
    }

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length % PairSize != 0) return false;
        int count = input.Length / PairSize;
        Span<Bn254Pairing.Pair> pairs = count <= StackPairs ? stackalloc Bn254Pairing.Pair[StackPairs] : new Bn254Pairing.Pair[count];
        int used = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> chunk = input.Slice(i * PairSize, PairSize);
            if (!Bn254Curve.TryReadG1(chunk[..64], out JacobianPoint<Fp> p)) return false;
            if (!Bn254Curve.TryReadG2(chunk[64..], out Fp2 qx, out Fp2 qy, out bool qIsInfinity)) return false;
            // e(O, Q) = e(P, O) = 1: such pairs leave the product unchanged.
            if (p.IsInfinity || qIsInfinity) continue;
            pairs[used++] = new Bn254Pairing.Pair(p.X, p.Y, qx, qy);
        }
        output = new byte[32];
        if (Bn254Pairing.ProductIsOne(pairs[..used])) output[31] = 1;
        return true;
    }
}
