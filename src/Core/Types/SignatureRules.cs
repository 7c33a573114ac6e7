using BeamSync.Core.Crypto;

namespace BeamSync.Core.Types;

/// <summary>Signature scalar checks and recovery shared by transactions and authorizations. Stateless, thread-safe.</summary>
internal static class SignatureRules
{
    /// <summary>r and s in [1, n-1].</summary>
    public static bool ScalarsInRange(in UInt256 r, in UInt256 s) =>
        !r.IsZero && !s.IsZero && r < Secp256k1Curve.N && s < Secp256k1Curve.N;

    public static bool TryRecover(Hash256 hash, int recoveryId, in UInt256 r, in UInt256 s, out Address address)
    {
        Span<byte> signature = stackalloc byte[Secp256k1Curve.SignatureSize];
        r.ToBigEndian(signature[..32]);
        s.ToBigEndian(signature[32..]);
        return Secp256k1Curve.TryRecoverAddress(hash.Bytes, signature, recoveryId, out address);
    }
}
