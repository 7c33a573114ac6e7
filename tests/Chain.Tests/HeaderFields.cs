using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Tests;

/// <summary>A header's fields as a record, so tests can write <c>with { ... }</c> to tamper with one.</summary>
internal sealed record HeaderFields(Hash256 ParentHash, Hash256 OmmersHash, Address Coinbase, Hash256 StateRoot, Hash256 TransactionsRoot,
    Hash256 ReceiptsRoot, Bloom Bloom, UInt256 Difficulty, ulong Number, ulong GasLimit, ulong GasUsed, ulong Timestamp, byte[] ExtraData,
    Hash256 MixHash, ulong Nonce, UInt256? BaseFee, Hash256? WithdrawalsRoot, ulong? BlobGasUsed, ulong? ExcessBlobGas,
    Hash256? ParentBeaconBlockRoot, Hash256? RequestsHash)
{
    public static HeaderFields From(BlockHeader h) => new(h.ParentHash, h.OmmersHash, h.Coinbase, h.StateRoot, h.TransactionsRoot,
        h.ReceiptsRoot, h.LogsBloom, h.Difficulty, h.Number, h.GasLimit, h.GasUsed, h.Timestamp, h.ExtraData, h.MixHash, h.Nonce,
        h.BaseFeePerGas, h.WithdrawalsRoot, h.BlobGasUsed, h.ExcessBlobGas, h.ParentBeaconBlockRoot, h.RequestsHash);

    public BlockHeader ToHeader() => new()
    {
        ParentHash = ParentHash, OmmersHash = OmmersHash, Coinbase = Coinbase, StateRoot = StateRoot, TransactionsRoot = TransactionsRoot,
        ReceiptsRoot = ReceiptsRoot, LogsBloom = Bloom, Difficulty = Difficulty, Number = Number, GasLimit = GasLimit, GasUsed = GasUsed,
        Timestamp = Timestamp, ExtraData = ExtraData, MixHash = MixHash, Nonce = Nonce, BaseFeePerGas = BaseFee,
        WithdrawalsRoot = WithdrawalsRoot, BlobGasUsed = BlobGasUsed, ExcessBlobGas = ExcessBlobGas,
        ParentBeaconBlockRoot = ParentBeaconBlockRoot, RequestsHash = RequestsHash,
    };
}
