using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Eth;

/// <summary>The wire form of an EIP-2124 fork id in Status: [fork-hash: B_4, fork-next: P].</summary>
public static class ForkIdWire
{
    public static byte[] Encode(ForkId id) => Rlp.EncodeList(Rlp.EncodeBytes(id.HashBytes()), Rlp.Encode(id.Next));

    public static ForkId Read(ref RlpReader reader)
    {
        var list = reader.ReadList();
        var hash = list.ReadBytes(4);
        return new ForkId(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash), list.ReadUInt64());
    }
}

/// <summary>
/// The eth Status message. eth/66-68: [version, networkid, td, besthash, genesis, forkid];
/// eth/69: [version, networkid, genesis, forkid, earliest, latest, latestHash]. Extra trailing elements are ignored.
/// </summary>
public sealed record EthStatus(int Version, ulong NetworkId, Hash256 Genesis, ForkId ForkId, Hash256 HeadHash,
    UInt256 TotalDifficulty = default, ulong Earliest = 0, ulong Latest = 0)
{
    public byte[] Encode() => Version >= 69
        ? Rlp.EncodeList(Rlp.Encode((ulong)Version), Rlp.Encode(NetworkId), Rlp.EncodeBytes(Genesis.Bytes), ForkIdWire.Encode(ForkId),
            Rlp.Encode(Earliest), Rlp.Encode(Latest), Rlp.EncodeBytes(HeadHash.Bytes))
        : Rlp.EncodeList(Rlp.Encode((ulong)Version), Rlp.Encode(NetworkId), Rlp.Encode(TotalDifficulty),
            Rlp.EncodeBytes(HeadHash.Bytes), Rlp.EncodeBytes(Genesis.Bytes), ForkIdWire.Encode(ForkId));

    public static EthStatus Decode(ReadOnlySpan<byte> payload, int negotiatedVersion)
    {
        var list = new RlpReader(payload).ReadList();
        int version = (int)Math.Min(list.ReadUInt64(), int.MaxValue);
        if (version != negotiatedVersion) RlpxException.Throw(DisconnectReason.SubprotocolSpecific, $"Status version {version} differs from negotiated eth/{negotiatedVersion}");
        ulong networkId = list.ReadUInt64();
        if (version >= 69)
        {
            var genesis = list.ReadHash();
            var fork = ForkIdWire.Read(ref list);
            ulong earliest = list.ReadUInt64(), latest = list.ReadUInt64();
            var latestHash = list.ReadHash();
            if (earliest > latest) RlpxException.Throw(DisconnectReason.SubprotocolSpecific, "Status: earliest block after latest");
            return new EthStatus(version, networkId, genesis, fork, latestHash, default, earliest, latest);
        }
        var td = list.ReadUInt256();
        var head = list.ReadHash();
        var genesisHash = list.ReadHash();
        var forkId = ForkIdWire.Read(ref list);
        return new EthStatus(version, networkId, genesisHash, forkId, head, td);
    }
}
