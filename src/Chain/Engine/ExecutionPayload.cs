using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Engine;

/// <summary>
/// The engine API's view of a post-merge block (ExecutionPayloadV1..V3): the header fields the consensus layer sees,
/// the transactions in their canonical encoding and the withdrawals. The header fields the payload omits are the
/// constants of EIP-3675 (no ommers, difficulty 0, nonce 0), and the parent beacon block root and requests hash
/// come beside it in the call. Immutable by convention.
/// </summary>
public sealed record ExecutionPayload
{
    public required Hash256 ParentHash { get; init; }
    public required Address FeeRecipient { get; init; }
    public required Hash256 StateRoot { get; init; }
    public required Hash256 ReceiptsRoot { get; init; }
    public required Bloom LogsBloom { get; init; }
    public required Hash256 PrevRandao { get; init; }
    public required ulong BlockNumber { get; init; }
    public required ulong GasLimit { get; init; }
    public required ulong GasUsed { get; init; }
    public required ulong Timestamp { get; init; }
    public required byte[] ExtraData { get; init; }
    public required UInt256 BaseFeePerGas { get; init; }
    public required Hash256 BlockHash { get; init; }
    /// <summary>Each transaction in its canonical (EIP-2718) encoding.</summary>
    public required IReadOnlyList<byte[]> Transactions { get; init; }
    /// <summary>From Shanghai (V2); null before.</summary>
    public Withdrawal[]? Withdrawals { get; init; }
    /// <summary>From Cancun (V3); null before.</summary>
    public ulong? BlobGasUsed { get; init; }
    public ulong? ExcessBlobGas { get; init; }

    /// <summary>The payload of a stored or built block.</summary>
    public static ExecutionPayload FromBlock(Block block)
    {
        var h = block.Header;
        return new ExecutionPayload
        {
            ParentHash = h.ParentHash, FeeRecipient = h.Coinbase, StateRoot = h.StateRoot, ReceiptsRoot = h.ReceiptsRoot,
            LogsBloom = h.LogsBloom, PrevRandao = h.MixHash, BlockNumber = h.Number, GasLimit = h.GasLimit, GasUsed = h.GasUsed,
            Timestamp = h.Timestamp, ExtraData = h.ExtraData, BaseFeePerGas = h.BaseFeePerGas ?? UInt256.Zero, BlockHash = h.Hash,
            Transactions = [.. block.Transactions.Select(t => t.EncodeCanonical())],
            Withdrawals = block.Body.Withdrawals, BlobGasUsed = h.BlobGasUsed, ExcessBlobGas = h.ExcessBlobGas,
        };
    }

    /// <summary>
    /// The block this payload describes, with the fields that come beside the payload (Cancun's parent beacon block
    /// root, Prague's requests hash). Throws <see cref="InvalidPayloadException"/> when a transaction is empty or does
    /// not decode, or when the block's hash is not <see cref="BlockHash"/>.
    /// </summary>
    public Block ToBlock(Hash256? parentBeaconBlockRoot, Hash256? requestsHash)
    {
        var block = ToUncheckedBlock(parentBeaconBlockRoot, requestsHash);
        if (block.Hash != BlockHash)
            throw new InvalidPayloadException(PayloadError.BlockHashMismatch, $"block hash {BlockHash} given, {block.Hash} computed");
        return block;
    }

    /// <summary><see cref="ToBlock"/> without the block hash check: the block the fields describe, whatever <see cref="BlockHash"/> says.</summary>
    public Block ToUncheckedBlock(Hash256? parentBeaconBlockRoot, Hash256? requestsHash)
    {
        var transactions = new Transaction[Transactions.Count];
        for (int i = 0; i < transactions.Length; i++)
        {
            if (Transactions[i].Length == 0) throw new InvalidPayloadException(PayloadError.InvalidTransaction, $"transaction {i} is empty");
            try { transactions[i] = Transaction.DecodeCanonical(Transactions[i]); }
            catch (Exception e) when (e is RlpException or TransactionException)
            {
                throw new InvalidPayloadException(PayloadError.InvalidTransaction, $"transaction {i} does not decode: {e.Message}");
            }
        }
        var header = new BlockHeader
        {
            ParentHash = ParentHash, Coinbase = FeeRecipient, StateRoot = StateRoot,
            TransactionsRoot = OrderedTrie.TransactionsRoot(transactions), ReceiptsRoot = ReceiptsRoot, LogsBloom = LogsBloom,
            Difficulty = UInt256.Zero, Number = BlockNumber, GasLimit = GasLimit, GasUsed = GasUsed, Timestamp = Timestamp,
            ExtraData = ExtraData, MixHash = PrevRandao, Nonce = 0, BaseFeePerGas = BaseFeePerGas,
            WithdrawalsRoot = Withdrawals is { } w ? OrderedTrie.WithdrawalsRoot(w) : null,
            BlobGasUsed = BlobGasUsed, ExcessBlobGas = ExcessBlobGas,
            ParentBeaconBlockRoot = parentBeaconBlockRoot, RequestsHash = requestsHash,
        };
        return new Block(header, new BlockBody(transactions, [], Withdrawals));
    }
}

/// <summary>Why a payload does not describe a block at all (before any validation against its parent).</summary>
public enum PayloadError
{
    /// <summary>An empty or undecodable transaction: the spec's INVALID with no latest valid hash.</summary>
    InvalidTransaction,
    /// <summary>The header built from the payload does not hash to its blockHash: INVALID_BLOCK_HASH (V1) or INVALID.</summary>
    BlockHashMismatch,
}

public sealed class InvalidPayloadException(PayloadError error, string message) : Exception(message)
{
    public PayloadError Error { get; } = error;
}
