using BeamSync.Core;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Eth;

/// <summary>An EIP-2124 fork identifier: CRC32 of genesis and passed fork points, and the next fork (0 if none).</summary>
public readonly record struct ForkIdentifier(uint Hash, ulong Next)
{
    public byte[] Encode()
    {
        Span<byte> h = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(h, Hash);
        return Rlp.EncodeList(Rlp.EncodeBytes(h), Rlp.Encode(Next));
    }

    public static ForkIdentifier Read(ref RlpReader reader)
    {
        var list = reader.ReadList();
        var hash = list.ReadBytes(4);
        return new ForkIdentifier(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash), list.ReadUInt64());
    }
}

/// <summary>
/// The eth Status message. eth/66-68: [version, networkid, td, besthash, genesis, forkid];
/// eth/69: [version, networkid, genesis, forkid, earliest, latest, latestHash]. Extra trailing elements are ignored.
/// </summary>
public sealed record EthStatus(int Version, ulong NetworkId, Hash256 Genesis, ForkIdentifier ForkId, Hash256 HeadHash,
    UInt256 TotalDifficulty = default, ulong Earliest = 0, ulong Latest = 0)
{
    public byte[] Encode() => Version >= 69
        ? Rlp.EncodeList(Rlp.Encode((ulong)Version), Rlp.Encode(NetworkId), Rlp.EncodeBytes(Genesis.Bytes), ForkId.Encode(),
            Rlp.Encode(Earliest), Rlp.Encode(Latest), Rlp.EncodeBytes(HeadHash.Bytes))
        : Rlp.EncodeList(Rlp.Encode((ulong)Version), Rlp.Encode(NetworkId), Rlp.Encode(TotalDifficulty),
            Rlp.EncodeBytes(HeadHash.Bytes), Rlp.EncodeBytes(Genesis.Bytes), ForkId.Encode());

    public static EthStatus Decode(ReadOnlySpan<byte> payload, int negotiatedVersion)
    {
        var list = new RlpReader(payload).ReadList();
        int version = (int)Math.Min(list.ReadUInt64(), int.MaxValue);
        if (version != negotiatedVersion) RlpxException.Throw(DisconnectReason.SubprotocolSpecific, $"Status version {version} differs from negotiated eth/{negotiatedVersion}");
        ulong networkId = list.ReadUInt64();
        if (version >= 69)
        {
            var genesis = list.ReadHash();
            var fork = ForkIdentifier.Read(ref list);
            ulong earliest = list.ReadUInt64(), latest = list.ReadUInt64();
            var latestHash = list.ReadHash();
            if (earliest > latest) RlpxException.Throw(DisconnectReason.SubprotocolSpecific, "Status: earliest block after latest");
            return new EthStatus(version, networkId, genesis, fork, latestHash, default, earliest, latest);
        }
        var td = list.ReadUInt256();
        var head = list.ReadHash();
        var genesisHash = list.ReadHash();
        var forkId = ForkIdentifier.Read(ref list);
        return new EthStatus(version, networkId, genesisHash, forkId, head, td);
    }
}
