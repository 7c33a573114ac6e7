using System.Numerics;
using System.Security.Cryptography;

namespace BeamSync.Evm.Precompiles.P256;

/// <summary>
/// ECDSA verification over secp256r1 with the EIP-7951 input rules checked here (r, s in [1, n−1]; qx, qy below p;
/// Q on the curve and not the (0, 0) infinity encoding; no low-s rule) and the signature equation delegated to the
/// platform's ECDsa (OpenSSL on Linux): R' = [h·s⁻¹]G + [r·s⁻¹]Q must not be infinity and R'.x ≡ r (mod n).
/// Stateless; thread-safe.
/// </summary>
public static class P256Verifier
{
    private static readonly BigInteger P = Parse("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    private static readonly BigInteger N = Parse("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    private static readonly BigInteger A = P - 3;
    private static readonly BigInteger B = Parse("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");

    /// <summary>True when (r, s) is a valid signature of <paramref name="hash"/> by public key (qx, qy); all 32-byte big-endian.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, ReadOnlySpan<byte> qx, ReadOnlySpan<byte> qy)
    {
        BigInteger rv = ToInteger(r), sv = ToInteger(s), x = ToInteger(qx), y = ToInteger(qy);
        if (rv.IsZero || rv >= N || sv.IsZero || sv >= N) return false;
        if (x >= P || y >= P) return false;
        if ((y * y - (x * x * x + A * x + B)) % P != 0) return false; // also rejects (0, 0): B is not a square of 0

        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = qx.ToArray(), Y = qy.ToArray() },
        };
        try
        {
            using ECDsa ecdsa = ECDsa.Create(parameters);
            Span<byte> signature = stackalloc byte[64];
            r.CopyTo(signature);
            s.CopyTo(signature[32..]);
            return ecdsa.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            // The platform refused the key; the checks above make this unexpected, and the EIP's answer is "invalid".
            return false;
        }
    }

    private static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian32) => new(bigEndian32, isUnsigned: true, isBigEndian: true);

    private static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber);
}
