using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Wit;

/// <summary>wit/0 message codes (caps/wit.md); 0x00 is reserved for a future Status.</summary>
public static class WitMessageId
{
    public const int GetBlockWitnessHashes = 0x01, BlockWitnessHashes = 0x02;
    public const int Count = 3;
}

/// <summary>The wit/0 capability: a <see cref="WitHandler"/> per session, serving from <see cref="IWitnessStore"/> (null: answer empty). Thread-safe.</summary>
public sealed class WitProtocol(IWitnessStore? store) : IProtocolFactory
{
    public const string Name = "wit";
    public IReadOnlyList<(Capability Capability, int MessageCount)> Offered { get; } = [(new Capability(Name, 0), WitMessageId.Count)];
    public IProtocolHandler Create(PeerSession session, SharedCapability capability) => new WitHandler(session, capability, store);
}

/// <summary>
/// wit/0 on one session: answers GetBlockWitnessHashes (always, empty when unknown, as the spec requires) and asks
/// for a block's witness hashes. The hashes cannot be verified before the block executes; the beam syncer scores a
/// peer whose hashes fetch nodes the block never reads. Request methods are thread-safe.
/// </summary>
public sealed class WitHandler(PeerSession session, SharedCapability capability, IWitnessStore? store) : RequestingHandler(session, capability)
{
    public override Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public override async ValueTask HandleAsync(int code, RlpxMessage message, CancellationToken ct)
    {
        switch (code)
        {
            case WitMessageId.GetBlockWitnessHashes:
                await QueueServingAsync(ServeWitnessHashesAsync, message, ct).ConfigureAwait(false);
                break;
            case WitMessageId.BlockWitnessHashes:
                DeliverResponse(code, message.Payload);
                break;
            default:
                RlpxException.BreachOfProtocol($"wit/0 has no message {code}");
                break;
        }
    }

    private async Task ServeWitnessHashesAsync(byte[] payload, CancellationToken ct)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        var block = list.ReadHash();
        var hashes = store?.GetWitnessHashes(block) ?? [];
        await SendAsync(WitMessageId.BlockWitnessHashes, Rlp.EncodeList(Rlp.Encode(id), WireLists.EncodeHashes(hashes)), ct).ConfigureAwait(false);
    }

    public async Task<List<Hash256>> GetBlockWitnessHashesAsync(Hash256 blockHash, CancellationToken ct = default)
    {
        var payload = await RequestAsync(WitMessageId.GetBlockWitnessHashes, WitMessageId.BlockWitnessHashes, ct, Rlp.EncodeBytes(blockHash.Bytes)).ConfigureAwait(false);
        return ReadResponse(payload, static (ref RlpReader r) => WireLists.ReadHashes(ref r));
    }
}
