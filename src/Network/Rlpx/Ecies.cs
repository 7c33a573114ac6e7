using System.Buffers.Binary;
using System.Security.Cryptography;
using BeamSync.Core.Crypto;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// RLPx's ECIES (rlpx.md): secp256k1 ECDH, NIST SP 800-56 concatenation KDF over SHA-256, AES-128-CTR and
/// HMAC-SHA256 over iv || c || authData. The wire form is 0x04 || R(64) || iv(16) || c || d(32).
/// Stateless and thread-safe.
/// </summary>
public static class Ecies
{
    /// <summary>Bytes ECIES adds to a plaintext: uncompressed point (65), IV (16), HMAC tag (32).</summary>
    public const int Overhead = 65 + 16 + 32;

    public static byte[] Encrypt(ReadOnlySpan<byte> remotePublicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> authData)
    {
        var ephemeral = Secp256k1Curve.GeneratePrivateKey();
        Span<byte> iv = stackalloc byte[16];
        RandomNumberGenerator.Fill(iv);
        return Encrypt(remotePublicKey, plaintext, authData, ephemeral, iv);
    }

    /// <summary>Deterministic form for tests: the caller supplies the ephemeral key and the IV.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> remotePublicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> authData,
        ReadOnlySpan<byte> ephemeralPrivateKey, ReadOnlySpan<byte> iv)
    {
        var shared = Secp256k1Curve.AgreeRawX(remotePublicKey, ephemeralPrivateKey);
        Span<byte> encryptionKey = stackalloc byte[16];
        Span<byte> macKey = stackalloc byte[32];
        DeriveKeys(shared, encryptionKey, macKey);

        var output = new byte[Overhead + plaintext.Length];
        output[0] = 0x04;
        Secp256k1Curve.GetPublicKey(ephemeralPrivateKey).CopyTo(output.AsSpan(1));
        iv.CopyTo(output.AsSpan(65));
        using (var ctr = new AesCtr(encryptionKey, iv)) ctr.Transform(plaintext, output.AsSpan(81, plaintext.Length));
        ComputeTag(macKey, output.AsSpan(65, 16 + plaintext.Length), authData, output.AsSpan(81 + plaintext.Length));
        return output;
    }

    /// <summary>Decrypts; false when the point is invalid or the tag does not authenticate (no exception: legacy-format probing relies on it).</summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> authData, out byte[] plaintext)
    {
        plaintext = [];
        if (message.Length < Overhead || message[0] != 0x04) return false;
        byte[] shared;
        try { shared = Secp256k1Curve.AgreeRawX(message.Slice(1, 64), privateKey); }
        catch (SignatureException) { return false; }

        Span<byte> encryptionKey = stackalloc byte[16];
        Span<byte> macKey = stackalloc byte[32];
        DeriveKeys(shared, encryptionKey, macKey);
        var ivAndCipher = message[65..^32];
        Span<byte> tag = stackalloc byte[32];
        ComputeTag(macKey, ivAndCipher, authData, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, message[^32..])) return false;

        plaintext = new byte[ivAndCipher.Length - 16];
        using var ctr = new AesCtr(encryptionKey, ivAndCipher[..16]);
        ctr.Transform(ivAndCipher[16..], plaintext);
        return true;
    }

    /// <summary>Concatenation KDF (SP 800-56A 5.8.1) with SHA-256, empty OtherInfo, 32 bytes: kE (16) || kM; the MAC key is sha256(kM).</summary>
    private static void DeriveKeys(ReadOnlySpan<byte> shared, Span<byte> encryptionKey, Span<byte> macKey)
    {
        Span<byte> input = stackalloc byte[4 + 32];
        BinaryPrimitives.WriteUInt32BigEndian(input, 1);
        shared.CopyTo(input[4..]);
        Span<byte> keyMaterial = stackalloc byte[32];
        SHA256.HashData(input, keyMaterial);
        keyMaterial[..16].CopyTo(encryptionKey);
        SHA256.HashData(keyMaterial[16..], macKey);
    }

    private static void ComputeTag(ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> ivAndCipher, ReadOnlySpan<byte> authData, Span<byte> tag)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        hmac.AppendData(ivAndCipher);
        hmac.AppendData(authData);
        hmac.GetHashAndReset(tag);
    }
}
