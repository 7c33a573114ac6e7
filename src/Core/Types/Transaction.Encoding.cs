using System.Buffers;
using BeamSync.Core.Crypto;

namespace BeamSync.Core.Types;

// Encoding: canonical form (legacy = RLP list; typed = type byte || RLP list), the in-list form used by block
// bodies and eth messages (typed transactions wrapped as an RLP string), and the signing payloads.
public sealed partial class Transaction
{
    /// <summary>The length of the field list's content, signed (with v, r, s) or as signed over.</summary>
    private int FieldsLength(bool signed)
    {
        int n = 0;
        bool typed = Type != TransactionType.Legacy;
        if (typed) n += RlpWriter.LengthOf(ChainId);
        n += RlpWriter.LengthOf(Nonce);
        if (Type is TransactionType.Legacy or TransactionType.AccessList) n += RlpWriter.LengthOf(GasPrice);
        else n += RlpWriter.LengthOf(MaxPriorityFeePerGas) + RlpWriter.LengthOf(MaxFeePerGas);
        n += RlpWriter.LengthOf(GasLimit) + RlpWriter.LengthOf(To) + RlpWriter.LengthOf(Value) + RlpWriter.LengthOfBytes(Data);
        if (typed) n += RlpWriter.LengthOfList(AccessListCodec.ContentLength(AccessList));
        if (Type == TransactionType.Blob) n += RlpWriter.LengthOf(MaxFeePerBlobGas) + RlpItems.LengthOfHashList(BlobVersionedHashes);
        if (Type == TransactionType.SetCode) n += RlpWriter.LengthOfList(AuthorizationListCodec.ContentLength(AuthorizationList));
        if (signed) n += RlpWriter.LengthOf(V) + RlpWriter.LengthOf(R) + RlpWriter.LengthOf(S);
        else if (!typed && IsReplayProtected) n += RlpWriter.LengthOf(ChainId) + 2; // EIP-155: chain id, 0, 0
        return n;
    }

    private void WriteFields(ref RlpWriter writer, bool signed, int fieldsLength)
    {
        bool typed = Type != TransactionType.Legacy;
        writer.WriteListHeader(fieldsLength);
        if (typed) writer.Write(ChainId);
        writer.Write(Nonce);
        if (Type is TransactionType.Legacy or TransactionType.AccessList) writer.Write(GasPrice);
        else
        {
            writer.Write(MaxPriorityFeePerGas);
            writer.Write(MaxFeePerGas);
        }
        writer.Write(GasLimit);
        writer.Write(To);
        writer.Write(Value);
        writer.WriteBytes(Data);
        if (typed) AccessListCodec.Write(ref writer, AccessList);
        if (Type == TransactionType.Blob)
        {
            writer.Write(MaxFeePerBlobGas);
            RlpItems.WriteHashList(ref writer, BlobVersionedHashes);
        }
        if (Type == TransactionType.SetCode) AuthorizationListCodec.Write(ref writer, AuthorizationList);
        if (signed)
        {
            writer.Write(V);
            writer.Write(R);
            writer.Write(S);
        }
        else if (!typed && IsReplayProtected)
        {
            writer.Write(ChainId);
            writer.Write(0UL);
            writer.Write(0UL);
        }
    }

    private int EnvelopeLength(bool signed, out int fieldsLength)
    {
        if (signed)
        {
            // Immutable fields, so the signed length is computed once; an int publishes atomically.
            if (_signedFieldsLength == 0) _signedFieldsLength = FieldsLength(true);
            fieldsLength = _signedFieldsLength;
        }
        else fieldsLength = FieldsLength(false);
        int list = RlpWriter.LengthOfList(fieldsLength);
        return Type == TransactionType.Legacy ? list : 1 + list;
    }

    private void WriteEnvelope(ref RlpWriter writer, bool signed, int fieldsLength)
    {
        if (Type != TransactionType.Legacy) writer.WriteEncoded([(byte)Type]);
        WriteFields(ref writer, signed, fieldsLength);
    }

    /// <summary>Length of the canonical (EIP-2718) encoding.</summary>
    public int CanonicalLength => EnvelopeLength(true, out _);

    /// <summary>Writes the canonical encoding: the RLP list for legacy, type || RLP list for typed.</summary>
    public void WriteCanonical(ref RlpWriter writer)
    {
        EnvelopeLength(true, out int fields);
        WriteEnvelope(ref writer, true, fields);
    }

    public byte[] EncodeCanonical()
    {
        var buffer = new byte[EnvelopeLength(true, out int fields)];
        var writer = new RlpWriter(buffer);
        WriteEnvelope(ref writer, true, fields);
        return buffer;
    }

    /// <summary>Length as an item of a list (block bodies, eth messages): typed transactions become an RLP string.</summary>
    public int LengthInList
    {
        get
        {
            int canonical = EnvelopeLength(true, out _);
            return Type == TransactionType.Legacy ? canonical : RlpWriter.LengthOfLength(canonical) + canonical;
        }
    }

    public void WriteInList(ref RlpWriter writer)
    {
        int canonical = EnvelopeLength(true, out int fields);
        if (Type != TransactionType.Legacy) RlpItems.WriteStringHeader(ref writer, canonical);
        WriteEnvelope(ref writer, true, fields);
    }

    /// <summary>
    /// The hash the sender signed: keccak256 of the unsigned fields (legacy, with chain id, 0, 0 appended under
    /// EIP-155), prefixed with the type byte for typed transactions.
    /// </summary>
    public Hash256 SigningHash() => HashEnvelope(signed: false);

    private Hash256 ComputeHash() => HashEnvelope(signed: true);

    private Hash256 HashEnvelope(bool signed)
    {
        const int StackLimit = 1024;
        int length = EnvelopeLength(signed, out int fields);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var writer = new RlpWriter(buffer[..length]);
            WriteEnvelope(ref writer, signed, fields);
            return Keccak256.Hash(buffer[..length]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
