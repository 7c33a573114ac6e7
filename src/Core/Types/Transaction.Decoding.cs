namespace BeamSync.Core.Types;

// Strict decoding. Malformed bytes are RlpException; well-formed bytes that no transaction can carry (an unknown
// type, a nonce or gas limit beyond 64 bits) are TransactionException.
public sealed partial class Transaction
{
    /// <summary>Decodes the canonical (EIP-2718) form, consuming all of <paramref name="encoded"/>.</summary>
    public static Transaction DecodeCanonical(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, "empty transaction");
        if (encoded[0] >= 0xc0)
        {
            var reader = new RlpReader(encoded);
            var tx = ReadLegacy(ref reader);
            reader.EnsureEnd();
            return tx;
        }
        return DecodeTyped(encoded);
    }

    /// <summary>Reads one transaction as a list item: a legacy RLP list, or an RLP string wrapping a typed transaction.</summary>
    public static Transaction ReadFromList(ref RlpReader reader)
    {
        if (reader.PeekIsList()) return ReadLegacy(ref reader);
        return DecodeTyped(reader.ReadBytes());
    }

    /// <summary>Decodes type || RLP payload, consuming all of <paramref name="encoded"/>.</summary>
    public static Transaction DecodeTyped(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, "empty typed transaction");
        byte type = encoded[0];
        if (type is 0 or > (byte)TransactionType.SetCode)
            TransactionException.Throw(TransactionError.TypeNotSupported, $"transaction type 0x{type:x2} is not supported");
        return DecodeTypedPayload((TransactionType)type, encoded[1..]);
    }

    /// <summary>Decodes the RLP payload (the field list) of a typed transaction whose type byte was already read.</summary>
    internal static Transaction DecodeTypedPayload(TransactionType type, ReadOnlySpan<byte> payload)
    {
        var reader = new RlpReader(payload);
        var fields = reader.ReadList();
        reader.EnsureEnd();
        var tx = ReadTypedFields(type, ref fields);
        fields.EnsureEnd();
        return tx;
    }

    private static Transaction ReadLegacy(ref RlpReader reader)
    {
        var f = reader.ReadList();
        ulong nonce = RlpItems.ReadUInt64Field(ref f, TransactionError.NonceOverflow, "nonce");
        var gasPrice = f.ReadUInt256();
        ulong gasLimit = RlpItems.ReadUInt64Field(ref f, TransactionError.GasLimitOverflow, "gas limit");
        var to = f.ReadOptionalAddress();
        var value = f.ReadUInt256();
        var data = f.ReadBytes().ToArray();
        var v = f.ReadUInt256();
        var r = f.ReadUInt256();
        var s = f.ReadUInt256();
        f.EnsureEnd();
        return new Transaction
        {
            Type = TransactionType.Legacy,
            ChainId = LegacyChainId(v),
            Nonce = nonce,
            GasPrice = gasPrice,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
            V = v,
            R = r,
            S = s,
        };
    }

    /// <summary>EIP-155: v = chain_id * 2 + 35 + y_parity. Zero for unprotected v; a v beyond 64 bits cannot name our chain and fails validation.</summary>
    private static UInt256 LegacyChainId(in UInt256 v) => v.IsUInt64 && v.U0 >= 35 ? new UInt256((v.U0 - 35) / 2) : UInt256.Zero;

    private static Transaction ReadTypedFields(TransactionType type, ref RlpReader f)
    {
        var chainId = f.ReadUInt256();
        ulong nonce = RlpItems.ReadUInt64Field(ref f, TransactionError.NonceOverflow, "nonce");
        UInt256 gasPrice = default, maxPriority = default, maxFee = default;
        if (type == TransactionType.AccessList) gasPrice = f.ReadUInt256();
        else
        {
            maxPriority = f.ReadUInt256();
            maxFee = f.ReadUInt256();
        }
        ulong gasLimit = RlpItems.ReadUInt64Field(ref f, TransactionError.GasLimitOverflow, "gas limit");
        var to = f.ReadOptionalAddress();
        var value = f.ReadUInt256();
        var data = f.ReadBytes().ToArray();
        var accessList = AccessListCodec.Read(ref f);
        UInt256 maxFeePerBlobGas = default;
        Hash256[] blobHashes = [];
        Authorization[] authorizations = [];
        if (type == TransactionType.Blob)
        {
            maxFeePerBlobGas = f.ReadUInt256();
            blobHashes = RlpItems.ReadHashList(ref f);
        }
        else if (type == TransactionType.SetCode)
        {
            authorizations = AuthorizationListCodec.Read(ref f);
        }
        var yParity = f.ReadUInt256();
        var r = f.ReadUInt256();
        var s = f.ReadUInt256();
        return new Transaction
        {
            Type = type,
            ChainId = chainId,
            Nonce = nonce,
            GasPrice = gasPrice,
            MaxPriorityFeePerGas = maxPriority,
            MaxFeePerGas = maxFee,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
            AccessList = accessList,
            MaxFeePerBlobGas = maxFeePerBlobGas,
            BlobVersionedHashes = blobHashes,
            AuthorizationList = authorizations,
            V = yParity,
            R = r,
            S = s,
        };
    }
}
