using System.Security.Cryptography;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Kzg;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x0a KZG point evaluation (EIP-4844, Cancun), 50000 gas. Input is exactly 192 bytes: versioned_hash ‖ z ‖ y ‖
/// commitment (48) ‖ proof (48). Fails unless the versioned hash is 0x01 ‖ sha256(commitment)[1:], z and y are below
/// r, both points decode into G1 and the proof verifies; on success returns FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS as
/// two 32-byte words. Stateless; thread-safe.
/// </summary>
public sealed class PointEvaluationPrecompile : IPrecompile
{
    public static readonly PointEvaluationPrecompile Instance = new();
    private PointEvaluationPrecompile() { }

    public const long Gas = 50_000;
    private const int InputSize = 192;
    private const byte VersionedHashVersionKzg = 0x01;
    private const int FieldElementsPerBlob = 4096;

    public Address Address => PrecompileAddress.Of(0x0a);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Gas;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != InputSize) return false;
        ReadOnlySpan<byte> versionedHash = input[..32];
        ReadOnlySpan<byte> z = input.Slice(32, 32);
        ReadOnlySpan<byte> y = input.Slice(64, 32);
        ReadOnlySpan<byte> commitment = input.Slice(96, 48);
        ReadOnlySpan<byte> proof = input.Slice(144, 48);

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(commitment, hash);
        if (versionedHash[0] != VersionedHashVersionKzg || !versionedHash[1..].SequenceEqual(hash[1..])) return false;
        if (!KzgProof.Verify(commitment, z, y, proof)) return false;

        output = new byte[64];
        output[30] = FieldElementsPerBlob >> 8;
        KzgProof.Modulus.CopyTo(output.AsSpan(32));
        return true;
    }
}
