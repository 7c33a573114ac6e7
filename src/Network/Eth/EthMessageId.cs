namespace BeamSync.Network.Eth;

/// <summary>eth message codes relative to the capability offset (caps/eth.md; 0x0d/0x0e from eth-with-getnodedata.md).</summary>
public static class EthMessageId
{
    public const int Status = 0x00, NewBlockHashes = 0x01, Transactions = 0x02, GetBlockHeaders = 0x03, BlockHeaders = 0x04,
        GetBlockBodies = 0x05, BlockBodies = 0x06, NewBlock = 0x07, NewPooledTransactionHashes = 0x08,
        GetPooledTransactions = 0x09, PooledTransactions = 0x0a, GetNodeData = 0x0d, NodeData = 0x0e,
        GetReceipts = 0x0f, Receipts = 0x10, BlockRangeUpdate = 0x11;

    /// <summary>Ids each version reserves: 0x00..0x10 for eth/66-68, plus BlockRangeUpdate from eth/69.</summary>
    public static int MessageCount(int version) => version >= 69 ? 0x12 : 0x11;
}
