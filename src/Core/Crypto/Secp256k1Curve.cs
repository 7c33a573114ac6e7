using System.Security.Cryptography;
using Secp256k1Net;

namespace BeamSync.Core.Crypto;

/// <summary>Why a secp256k1 operation refused its input.</summary>
public enum SignatureError { InvalidRecoveryId, InvalidSignature, RecoveryFailed, InvalidPublicKey, InvalidPrivateKey }

/// <summary>A signature, key or point that the curve rejects; input from outside, never a program fault.</summary>
public sealed class SignatureException(SignatureError error, string message) : Exception(message)
{
    public SignatureError Error { get; } = error;
}

/// <summary>
/// secp256k1 as Ethereum uses it, over native libsecp256k1 (Secp256k1.Net): recoverable signing, public-key
/// recovery, ECDH (the raw shared x coordinate, as RLPx's ECIES wants) and key handling. Public keys are
/// 64 bytes (x || y, no 0x04 prefix). Thread-safe: the native context is only read after creation.
/// </summary>
public static class Secp256k1Curve
{
    public const int PrivateKeySize = 32;
    public const int PublicKeySize = 64;
    public const int SignatureSize = 64;

    /// <summary>The group order n, and n/2 (EIP-2: high-s signatures are invalid for transactions from Homestead on).</summary>
    public static readonly UInt256 N = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    public static readonly UInt256 HalfN = UInt256.Parse("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    private static readonly Secp256k1 Context = new();

    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey) =>
        privateKey.Length == PrivateKeySize && Context.EcSeckeyVerify(privateKey);

    public static byte[] GeneratePrivateKey()
    {
        var key = new byte[PrivateKeySize];
        do RandomNumberGenerator.Fill(key); while (!IsValidPrivateKey(key));
        return key;
    }

    /// <summary>The 64-byte public key (x || y) of a private key.</summary>
    public static byte[] GetPublicKey(ReadOnlySpan<byte> privateKey)
    {
        if (!IsValidPrivateKey(privateKey)) throw new SignatureException(SignatureError.InvalidPrivateKey, "invalid secp256k1 private key");
        Span<byte> internalKey = stackalloc byte[64];
        if (!Context.EcPubkeyCreate(internalKey, privateKey)) throw new SignatureException(SignatureError.InvalidPrivateKey, "public key creation failed");
        return Serialize(internalKey);
    }

    /// <summary>Signs a 32-byte hash; returns r || s (64 bytes, low s) and the recovery id (0 or 1).</summary>
    public static (byte[] signature, byte recoveryId) Sign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey)
    {
        if (!IsValidPrivateKey(privateKey)) throw new SignatureException(SignatureError.InvalidPrivateKey, "invalid secp256k1 private key");
        Span<byte> recoverable = stackalloc byte[65];
        if (!Context.EcdsaSignRecoverable(recoverable, hash32, privateKey)) throw new SignatureException(SignatureError.InvalidSignature, "signing failed");
        var compact = new byte[SignatureSize];
        if (!Context.EcdsaRecoverableSignatureSerializeCompact(compact, out int recId, recoverable))
            throw new SignatureException(SignatureError.InvalidSignature, "signature serialization failed");
        return (compact, (byte)recId);
    }

    /// <summary>
    /// Recovers the 64-byte public key from r || s and a recovery id; false for an invalid signature
    /// (r or s zero or not below n, or no point recovers).
    /// </summary>
    public static bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, int recoveryId, Span<byte> publicKey64)
    {
        if (recoveryId is < 0 or > 3 || signature64.Length != SignatureSize || hash32.Length != 32) return false;
        Span<byte> recoverable = stackalloc byte[65];
        if (!Context.EcdsaRecoverableSignatureParseCompact(recoverable, signature64, recoveryId)) return false;
        Span<byte> internalKey = stackalloc byte[64];
        if (!Context.EcdsaRecover(internalKey, recoverable, hash32)) return false;
        Span<byte> serialized = stackalloc byte[65];
        nuint length = 65;
        if (!Context.EcPubkeySerialize(serialized, ref length, internalKey, Secp256k1EcFlags.Uncompressed)) return false;
        serialized[1..].CopyTo(publicKey64);
        return true;
    }

    /// <summary>The address of a 64-byte public key: the low 20 bytes of its keccak256.</summary>
    public static Address ToAddress(ReadOnlySpan<byte> publicKey64)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(publicKey64, hash);
        return new Address(hash[12..]);
    }

    /// <summary>Recovers the signer's address, or false for an invalid signature.</summary>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, int recoveryId, out Address address)
    {
        Span<byte> pub = stackalloc byte[PublicKeySize];
        if (!TryRecover(hash32, signature64, recoveryId, pub)) { address = default; return false; }
        address = ToAddress(pub);
        return true;
    }

    /// <summary>ECDH: the x coordinate of privateKey * publicKey (32 bytes, not hashed), as RLPx's ECIES uses it.</summary>
    public static byte[] AgreeRawX(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> privateKey)
    {
        Span<byte> point = stackalloc byte[64];
        if (!TryParsePublicKey(publicKey64, point)) throw new SignatureException(SignatureError.InvalidPublicKey, "public key is not on the curve");
        Span<byte> scalarPoint = stackalloc byte[64];
        point.CopyTo(scalarPoint);
        if (!Context.EcPubkeyTweakMul(scalarPoint, privateKey)) throw new SignatureException(SignatureError.InvalidPrivateKey, "ECDH multiplication failed");
        var full = Serialize(scalarPoint);
        return full[..32];
    }

    /// <summary>Whether 64 bytes (x || y) name a point on the curve.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey64)
    {
        Span<byte> point = stackalloc byte[64];
        return TryParsePublicKey(publicKey64, point);
    }

    private static bool TryParsePublicKey(ReadOnlySpan<byte> publicKey64, Span<byte> internalKey)
    {
        if (publicKey64.Length != PublicKeySize) return false;
        Span<byte> prefixed = stackalloc byte[65];
        prefixed[0] = 0x04;
        publicKey64.CopyTo(prefixed[1..]);
        return Context.EcPubkeyParse(internalKey, prefixed);
    }

    private static byte[] Serialize(ReadOnlySpan<byte> internalKey)
    {
        Span<byte> serialized = stackalloc byte[65];
        nuint length = 65;
        if (!Context.EcPubkeySerialize(serialized, ref length, internalKey, Secp256k1EcFlags.Uncompressed))
            throw new SignatureException(SignatureError.InvalidPublicKey, "public key serialization failed");
        return serialized[1..].ToArray();
    }
}
