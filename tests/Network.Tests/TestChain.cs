using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Tests;

/// <summary>A small synthetic chain (linked headers, bodies, receipts) and helpers to run two nodes on loopback.</summary>
internal static class TestChain
{
    public static byte[] Header(Hash256 parent, ulong number, byte[]? extra = null) => Rlp.EncodeList(
        Rlp.EncodeBytes(parent.Bytes), Rlp.EncodeBytes(Hash256.EmptyListHash.Bytes), Rlp.EncodeBytes(new byte[20]),
        Rlp.EncodeBytes(Hash256.EmptyTrieRoot.Bytes), Rlp.EncodeBytes(Hash256.EmptyTrieRoot.Bytes), Rlp.EncodeBytes(Hash256.EmptyTrieRoot.Bytes),
        Rlp.EncodeBytes(new byte[256]), Rlp.Encode(1UL), Rlp.Encode(number), Rlp.Encode(30_000_000UL), Rlp.Encode(0UL),
        Rlp.Encode(1_700_000_000UL + number * 12), Rlp.EncodeBytes(extra ?? []), Rlp.EncodeBytes(new byte[32]), Rlp.EncodeBytes(new byte[8]));

    public static readonly byte[] EmptyBody = Rlp.EncodeList(Rlp.EmptyList, Rlp.EmptyList);

    /// <summary>A typed (EIP-1559) receipt in consensus form: 0x02 || [status, gas, bloom, logs].</summary>
    public static byte[] TypedReceipt(ulong gas) =>
        [0x02, .. Rlp.EncodeList(Rlp.Encode(1UL), Rlp.Encode(gas), Rlp.EncodeBytes(new byte[256]), Rlp.EmptyList)];

    public static byte[] LegacyReceipt(ulong gas) => Rlp.EncodeList(Rlp.Encode(1UL), Rlp.Encode(gas), Rlp.EncodeBytes(new byte[256]), Rlp.EmptyList);

    public static InMemoryChainStore Build(int blocks)
    {
        var store = new InMemoryChainStore();
        var parent = Hash256.Zero;
        for (ulong n = 0; n <= (ulong)blocks; n++)
            parent = store.Add(Header(parent, n), EmptyBody, [LegacyReceipt(21000 * n), TypedReceipt(21000 * n + 1)]);
        return store;
    }

    public sealed class ChainInfo(InMemoryChainStore store, ulong networkId = 1337) : IEthChainInfo
    {
        public Hash256 Genesis { get; } = HeaderFields.Hash(store.GetCanonicalHeader(0)!);
        public EthStatus GetStatus(int version, EthStatus? remote) =>
            new(version, networkId, Genesis, new Core.Specs.ForkId(0xfc64ec04, 0), store.HeadHash, new UInt256(store.Head + 1), 0, store.Head);
    }
}
