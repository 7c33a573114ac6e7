using System.Buffers.Binary;

namespace BeamSync.Core.Types;

// RLP: a list of the 15 base fields followed by the optional fields present, in order.
public sealed partial class BlockHeader
{
    private const int NonceSize = 8;

    private int ContentLength()
    {
        int n = 33 + 33 + 21 + 33 + 33 + 33 + RlpWriter.LengthOfLength(Bloom.Size) + Bloom.Size
            + RlpWriter.LengthOf(Difficulty) + RlpWriter.LengthOf(Number) + RlpWriter.LengthOf(GasLimit)
            + RlpWriter.LengthOf(GasUsed) + RlpWriter.LengthOf(Timestamp) + RlpWriter.LengthOfBytes(ExtraData)
            + 33 + 1 + NonceSize;
        int optional = OptionalFieldCount();
        if (optional >= 1) n += RlpWriter.LengthOf(BaseFeePerGas.GetValueOrDefault());
        if (optional >= 2) n += 33;
        if (optional >= 3) n += RlpWriter.LengthOf(BlobGasUsed.GetValueOrDefault());
        if (optional >= 4) n += RlpWriter.LengthOf(ExcessBlobGas.GetValueOrDefault());
        if (optional >= 5) n += 33;
        if (optional >= 6) n += 33;
        return n;
    }

    /// <summary>How many optional fields are encoded: up to the last one set. A gap (a later field set, an earlier not) is a bug.</summary>
    private int OptionalFieldCount()
    {
        int count = RequestsHash.HasValue ? 6
            : ParentBeaconBlockRoot.HasValue ? 5
            : ExcessBlobGas.HasValue ? 4
            : BlobGasUsed.HasValue ? 3
            : WithdrawalsRoot.HasValue ? 2
            : BaseFeePerGas.HasValue ? 1
            : 0;
        bool gap = (count >= 1 && !BaseFeePerGas.HasValue) || (count >= 2 && !WithdrawalsRoot.HasValue)
            || (count >= 3 && !BlobGasUsed.HasValue) || (count >= 4 && !ExcessBlobGas.HasValue)
            || (count >= 5 && !ParentBeaconBlockRoot.HasValue);
        if (gap) ThrowHelper.ThrowInvalidOperation("header optional fields must be set in order (London, Shanghai, Cancun, Prague)");
        return count;
    }

    public int EncodedLength => RlpWriter.LengthOfList(ContentLength());

    public void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        writer.Write(ParentHash);
        writer.Write(OmmersHash);
        writer.Write(Coinbase);
        writer.Write(StateRoot);
        writer.Write(TransactionsRoot);
        writer.Write(ReceiptsRoot);
        writer.WriteBytes(LogsBloom.Bytes);
        writer.Write(Difficulty);
        writer.Write(Number);
        writer.Write(GasLimit);
        writer.Write(GasUsed);
        writer.Write(Timestamp);
        writer.WriteBytes(ExtraData);
        writer.Write(MixHash);
        Span<byte> nonce = stackalloc byte[NonceSize];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, Nonce);
        writer.WriteBytes(nonce);
        int optional = OptionalFieldCount();
        if (optional >= 1) writer.Write(BaseFeePerGas.GetValueOrDefault());
        if (optional >= 2) writer.Write(WithdrawalsRoot.GetValueOrDefault());
        if (optional >= 3) writer.Write(BlobGasUsed.GetValueOrDefault());
        if (optional >= 4) writer.Write(ExcessBlobGas.GetValueOrDefault());
        if (optional >= 5) writer.Write(ParentBeaconBlockRoot.GetValueOrDefault());
        if (optional >= 6) writer.Write(RequestsHash.GetValueOrDefault());
    }

    public byte[] Encode()
    {
        var buffer = new byte[EncodedLength];
        var writer = new RlpWriter(buffer);
        Write(ref writer);
        return buffer;
    }

    /// <summary>Decodes a header, consuming all of <paramref name="encoded"/>.</summary>
    public static BlockHeader Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var header = Read(ref reader);
        reader.EnsureEnd();
        return header;
    }

    public static BlockHeader Read(ref RlpReader reader)
    {
        var f = reader.ReadList();
        var parentHash = f.ReadHash();
        var ommersHash = f.ReadHash();
        var coinbase = f.ReadAddress();
        var stateRoot = f.ReadHash();
        var txRoot = f.ReadHash();
        var receiptsRoot = f.ReadHash();
        var bloom = new Bloom(f.ReadBytes(Bloom.Size));
        var difficulty = f.ReadUInt256();
        ulong number = f.ReadUInt64();
        ulong gasLimit = f.ReadUInt64();
        ulong gasUsed = f.ReadUInt64();
        ulong timestamp = f.ReadUInt64();
        var extraData = f.ReadBytes().ToArray();
        var mixHash = f.ReadHash();
        ulong nonce = BinaryPrimitives.ReadUInt64BigEndian(f.ReadBytes(NonceSize));
        UInt256? baseFee = f.HasMore ? f.ReadUInt256() : null;
        Hash256? withdrawalsRoot = f.HasMore ? f.ReadHash() : null;
        ulong? blobGasUsed = f.HasMore ? f.ReadUInt64() : null;
        ulong? excessBlobGas = f.HasMore ? f.ReadUInt64() : null;
        Hash256? beaconRoot = f.HasMore ? f.ReadHash() : null;
        Hash256? requestsHash = f.HasMore ? f.ReadHash() : null;
        f.EnsureEnd();
        return new BlockHeader
        {
            ParentHash = parentHash,
            OmmersHash = ommersHash,
            Coinbase = coinbase,
            StateRoot = stateRoot,
            TransactionsRoot = txRoot,
            ReceiptsRoot = receiptsRoot,
            LogsBloom = bloom,
            Difficulty = difficulty,
            Number = number,
            GasLimit = gasLimit,
            GasUsed = gasUsed,
            Timestamp = timestamp,
            ExtraData = extraData,
            MixHash = mixHash,
            Nonce = nonce,
            BaseFeePerGas = baseFee,
            WithdrawalsRoot = withdrawalsRoot,
            BlobGasUsed = blobGasUsed,
            ExcessBlobGas = excessBlobGas,
            ParentBeaconBlockRoot = beaconRoot,
            RequestsHash = requestsHash,
        };
    }
}
