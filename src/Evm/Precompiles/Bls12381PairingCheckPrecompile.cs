using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x0f BLS12_PAIRING_CHECK (EIP-2537, Prague): k ≥ 1 pairs of (G1 point, 128 bytes; G2 point, 256 bytes) to a
/// 32-byte 1 when ∏ e(P_i, Q_i) = 1, else 0. Points must be on their curves and in their subgroups; pairs with an
/// infinity contribute 1. 32600·k + 37700 gas. Stateless; thread-safe.
/// </summary>
public sealed class Bls12381PairingCheckPrecompile : IPrecompile
{
    public static readonly Bls12381PairingCheckPrecompile Instance = new();
    private Bls12381PairingCheckPrecompile() { }

    private const int PairSize = Bls12381Encoding.G1Size + Bls12381Encoding.G2Size;

    /// <summary>Pairs up to this many are decoded on the stack.</summary>
    private const int StackPairs = 4;

    public Address Address => PrecompileAddress.Of(0x0f);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.Pairing(input.Length / PairSize);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairSize != 0) return false;
        int count = input.Length / PairSize;
        Span<Bls12381Pairing.Pair> pairs = count <= StackPairs ? stackalloc Bls12381Pairing.Pair[StackPairs] : new Bls12381Pairing.Pair[count];
        int used = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> chunk = input.Slice(i * PairSize, PairSize);
            if (!Bls12381Encoding.TryReadG1(chunk[..Bls12381Encoding.G1Size], out JacobianPoint<Fp> p) || !Bls12381Curve.IsInG1Subgroup(p)) return false;
            if (!Bls12381Encoding.TryReadG2(chunk[Bls12381Encoding.G1Size..], out JacobianPoint<Fp2> q) || !Bls12381Curve.IsInG2Subgroup(q)) return false;
            if (p.IsInfinity || q.IsInfinity) continue;
            pairs[used++] = new Bls12381Pairing.Pair(p.X, p.Y, q.X, q.Y);
        }
        output = new byte[32];
        if (Bls12381Pairing.ProductIsOne(pairs[..used])) output[31] = 1;
        return true;
    }
}
