using System.Numerics;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// The BLS12-381 groups: G1 on E: y² = x³ + 4 over Fp and G2 on the M-twist E': y² = x³ + 4(1 + u) over Fp2, both of
/// prime order r in their subgroup. Curve and subgroup membership tests; constants only, thread-safe.
/// </summary>
public static class Bls12381Curve
{
    /// <summary>The subgroup order r.</summary>
    public static readonly BigInteger Order = BigInteger.Parse("073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);

    internal static readonly ulong[] OrderLimbs = Fp.LimbsOf(Order);

    /// <summary>|x| for the curve parameter x = −0xd201000000010000.</summary>
    public const ulong AbsX = 0xd201000000010000;

    public static readonly Fp B1 = Fp.FromUInt64(4);
    public static readonly Fp2 B2 = new(Fp.FromUInt64(4), Fp.FromUInt64(4));

    public static readonly JacobianPoint<Fp> G1Generator = JacobianPoint<Fp>.FromAffine(
        Fp.FromHex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
        Fp.FromHex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"));

    public static readonly JacobianPoint<Fp2> G2Generator = JacobianPoint<Fp2>.FromAffine(
        Fp2.FromHex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
                    "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"),
        Fp2.FromHex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
                    "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"));

    public static bool IsOnG1Curve(in Fp x, in Fp y) => y.Square() == x.Square() * x + B1;

    public static bool IsOnG2Curve(in Fp2 x, in Fp2 y) => y.Square() == x.Square() * x + B2;

    /// <summary>Whether a point of E lies in the order-r subgroup (the endomorphism test; see <see cref="Bls12381Endomorphisms"/>).</summary>
    public static bool IsInG1Subgroup(in JacobianPoint<Fp> p) => Bls12381Endomorphisms.IsInG1Subgroup(p);

    /// <summary>Whether a point of E' lies in the order-r subgroup (the endomorphism test).</summary>
    public static bool IsInG2Subgroup(in JacobianPoint<Fp2> q) => Bls12381Endomorphisms.IsInG2Subgroup(q);

    /// <summary>The definitional test [r]P = O; slow, kept as the reference the fast tests are checked against.</summary>
    public static bool IsTorsionOfOrderR<T>(in JacobianPoint<T> p) where T : unmanaged, IBlsField<T> =>
        p.IsInfinity || p.Multiply(OrderLimbs).IsInfinity;
}
