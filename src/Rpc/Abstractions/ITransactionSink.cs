using BeamSync.Core.Types;

namespace BeamSync.Rpc;

/// <summary>
/// Where eth_sendRawTransaction hands a decoded, signature-checked transaction (the node's pool). Returns null when
/// accepted, otherwise the reason it was refused (reported to the client as an error). Thread-safe.
/// </summary>
public interface ITransactionSink
{
    string? Submit(Transaction transaction, BlobTransactionWithSidecar? sidecar);
}
