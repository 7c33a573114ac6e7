using BeamSync.Core;

namespace BeamSync.Network.Serving;

/// <summary>
/// Reads the few header fields the network layer needs (parent hash, number, extra data) straight from the
/// header's RLP, so serving and range checks need not decode whole headers. Malformed input is an RlpException.
/// </summary>
public static class HeaderFields
{
    private const int ParentHashIndex = 0, NumberIndex = 8, ExtraDataIndex = 12;

    public static Hash256 ParentHash(ReadOnlySpan<byte> header)
    {
        var list = new RlpReader(header).ReadList();
        return list.ReadHash();
    }

    public static ulong Number(ReadOnlySpan<byte> header)
    {
        var list = new RlpReader(header).ReadList();
        for (int i = 0; i < NumberIndex; i++) list.SkipItem();
        return list.ReadUInt64();
    }

    public static ReadOnlySpan<byte> ExtraData(ReadOnlySpan<byte> header)
    {
        var list = new RlpReader(header).ReadList();
        for (int i = 0; i < ExtraDataIndex; i++) list.SkipItem();
        return list.ReadBytes();
    }

    public static Hash256 Hash(ReadOnlySpan<byte> header) => Core.Crypto.Keccak256.Hash(header);
}
