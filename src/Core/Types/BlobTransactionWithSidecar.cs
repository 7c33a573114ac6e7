using System.Security.Cryptography;

namespace BeamSync.Core.Types;

/// <summary>
/// The network (pooled) form of a blob transaction: <c>0x03 || rlp([tx_payload_body, blobs, commitments, proofs])</c>
/// (EIP-4844, one proof per blob) or, with wrapper version 1, <c>0x03 || rlp([tx_payload_body, 1, blobs,
/// commitments, cell_proofs])</c> (EIP-7594, 128 cell proofs per blob). Decoding checks sizes, counts and that each
/// commitment hashes to its versioned hash; KZG proof verification is left to the pool. Immutable.
/// </summary>
public sealed class BlobTransactionWithSidecar(Transaction transaction, byte wrapperVersion, byte[][] blobs, byte[][] commitments, byte[][] proofs)
{
    public const int BytesPerBlob = 4096 * 32;
    public const int BytesPerCommitment = 48;
    public const int BytesPerProof = 48;
    /// <summary>EIP-7594: cells in an extended blob (2 * 4096 field elements / 64 per cell).</summary>
    public const int CellsPerExtBlob = 128;
    public const byte WrapperVersionCellProofs = 1;

    public Transaction Transaction { get; } = transaction;
    /// <summary>0 for the EIP-4844 form, 1 for the EIP-7594 cell-proof form.</summary>
    public byte WrapperVersion { get; } = wrapperVersion;
    public byte[][] Blobs { get; } = blobs;
    public byte[][] Commitments { get; } = commitments;
    public byte[][] Proofs { get; } = proofs;

    public static BlobTransactionWithSidecar Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, "empty blob transaction");
        if (encoded[0] != (byte)TransactionType.Blob)
            TransactionException.Throw(TransactionError.TypeNotSupported, $"network form with sidecar needs type 3, found 0x{encoded[0]:x2}");
        var outer = new RlpReader(encoded[1..]);
        var wrapper = outer.ReadList();
        outer.EnsureEnd();

        var body = wrapper.ReadEncodedItem();
        if (body.IsEmpty || body[0] < 0xc0) ThrowHelper.ThrowRlp(RlpError.ExpectedList, "blob transaction body must be a list");
        var tx = Transaction.DecodeTypedPayload(TransactionType.Blob, body);

        byte version = 0;
        if (!wrapper.PeekIsList())
        {
            ulong v = wrapper.ReadUInt64();
            if (v != WrapperVersionCellProofs) TransactionException.Throw(TransactionError.InvalidBlobSidecar, $"unknown blob sidecar wrapper version {v}");
            version = (byte)v;
        }
        var blobs = RlpItems.ReadFixedBytesList(ref wrapper, BytesPerBlob);
        var commitments = RlpItems.ReadFixedBytesList(ref wrapper, BytesPerCommitment);
        var proofs = RlpItems.ReadFixedBytesList(ref wrapper, BytesPerProof);
        wrapper.EnsureEnd();

        var result = new BlobTransactionWithSidecar(tx, version, blobs, commitments, proofs);
        result.ValidateSidecar();
        return result;
    }

    /// <summary>Counts agree, and commitment i hashes to versioned hash i (0x01 || sha256(commitment)[1..]).</summary>
    public void ValidateSidecar()
    {
        var hashes = Transaction.BlobVersionedHashes;
        int expectedProofs = WrapperVersion == WrapperVersionCellProofs ? Blobs.Length * CellsPerExtBlob : Blobs.Length;
        if (Blobs.Length != hashes.Length || Commitments.Length != hashes.Length || Proofs.Length != expectedProofs)
            TransactionException.Throw(TransactionError.InvalidBlobSidecar,
                $"sidecar has {Blobs.Length} blobs, {Commitments.Length} commitments, {Proofs.Length} proofs for {hashes.Length} hashes");
        for (int i = 0; i < hashes.Length; i++)
            if (VersionedHashOf(Commitments[i]) != hashes[i])
                TransactionException.Throw(TransactionError.InvalidBlobSidecar, $"commitment {i} does not match versioned hash {hashes[i]}");
    }

    /// <summary>EIP-4844 kzg_to_versioned_hash: 0x01 ‖ sha256(commitment)[1..].</summary>
    public static Hash256 VersionedHashOf(ReadOnlySpan<byte> commitment)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(commitment, digest);
        digest[0] = Transaction.BlobCommitmentVersionKzg;
        return new Hash256(digest);
    }

    public byte[] Encode()
    {
        int txBody = Transaction.CanonicalLength - 1;
        int content = txBody
            + (WrapperVersion == WrapperVersionCellProofs ? 1 : 0)
            + RlpWriter.LengthOfList(RlpItems.ContentLengthOfBytesList(Blobs))
            + RlpWriter.LengthOfList(RlpItems.ContentLengthOfBytesList(Commitments))
            + RlpWriter.LengthOfList(RlpItems.ContentLengthOfBytesList(Proofs));
        var buffer = new byte[1 + RlpWriter.LengthOfList(content)];
        buffer[0] = (byte)TransactionType.Blob;
        var writer = new RlpWriter(buffer.AsSpan(1));
        writer.WriteListHeader(content);
        var canonical = Transaction.EncodeCanonical();
        writer.WriteEncoded(canonical.AsSpan(1));
        if (WrapperVersion == WrapperVersionCellProofs) writer.Write((ulong)WrapperVersion);
        RlpItems.WriteBytesList(ref writer, Blobs);
        RlpItems.WriteBytesList(ref writer, Commitments);
        RlpItems.WriteBytesList(ref writer, Proofs);
        return buffer;
    }
}
