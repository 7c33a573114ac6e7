using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Snap;

/// <summary>
/// The snap capability in the versions given (default snap/1 and snap/2; negotiation takes the highest shared): a
/// <see cref="SnapHandler"/> per session, serving from <see cref="ISnapServer"/> (null: answer empty) and block
/// access lists from <paramref name="accessLists"/> (null: every entry empty). Thread-safe.
/// </summary>
public sealed class SnapProtocol(ISnapServer? server, SnapVersions versions = SnapVersions.Both, IBlockAccessListSource? accessLists = null) : IProtocolFactory
{
    public const string Name = "snap";

    public IReadOnlyList<(Capability Capability, int MessageCount)> Offered { get; } = OfferedFor(versions);

    public IProtocolHandler Create(PeerSession session, SharedCapability capability) => new SnapHandler(session, capability, server, accessLists);

    private static List<(Capability, int)> OfferedFor(SnapVersions versions)
    {
        if ((versions & SnapVersions.Both) == 0) throw new ArgumentException("no snap version offered", nameof(versions));
        var offered = new List<(Capability, int)>(2);
        if ((versions & SnapVersions.Snap1) != 0) offered.Add((new Capability(Name, 1), SnapMessageId.Count));
        if ((versions & SnapVersions.Snap2) != 0) offered.Add((new Capability(Name, 2), SnapMessageId.CountV2));
        return offered;
    }
}

/// <summary>
/// snap/1 or snap/2 on one session: serves range, code and (snap/1) trie-node or (snap/2) block-access-list requests
/// within the byte limits, state only for recent roots (empty answers otherwise, as the spec requires), and issues
/// the same requests with response checks that need no trie (ordering, bounds, code hashes, positions). A message
/// the negotiated version lacks is a breach. Proof verification belongs to the caller (the Trie layer's range
/// proofs). Request methods are thread-safe.
/// </summary>
public sealed class SnapHandler(PeerSession session, SharedCapability capability, ISnapServer? server, IBlockAccessListSource? accessLists = null)
    : RequestingHandler(session, capability)
{
    /// <summary>Hard cap on what we serve per response whatever the peer asks (geth uses 2 MiB as well).</summary>
    public const int MaxResponseBytes = 2 * 1024 * 1024;
    /// <summary>Default soft limit we ask for: half the hard cap, so responses stay well inside the 16 MiB message bound.</summary>
    public const int DefaultRequestBytes = 512 * 1024;
    public static readonly Hash256 MaxHash = new(Enumerable.Repeat((byte)0xff, 32).ToArray());

    /// <summary>snap/2 dropped trie nodes by path; it alone has block access lists.</summary>
    public bool ServesTrieNodes => Version == 1;

    public override Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public override async ValueTask HandleAsync(int code, RlpxMessage message, CancellationToken ct)
    {
        if (!InVersion(code)) RlpxException.BreachOfProtocol($"snap/{Version} has no message {code}");
        switch (code)
        {
            case SnapMessageId.GetAccountRange or SnapMessageId.GetStorageRanges or SnapMessageId.GetByteCodes or SnapMessageId.GetTrieNodes
                or SnapMessageId.GetBlockAccessLists:
                await QueueServingAsync((payload, c) => ServeAsync(code, payload, c), message, ct).ConfigureAwait(false);
                break;
            default:
                DeliverResponse(code, message.Payload);
                break;
        }
    }

    private bool InVersion(int code) => code switch
    {
        >= SnapMessageId.GetAccountRange and <= SnapMessageId.ByteCodes => true,
        SnapMessageId.GetTrieNodes or SnapMessageId.TrieNodes => ServesTrieNodes,
        SnapMessageId.GetBlockAccessLists or SnapMessageId.BlockAccessLists => !ServesTrieNodes,
        _ => false,
    };

    private static int Budget(ulong requested) => (int)Math.Min(requested, MaxResponseBytes);

    private async Task ServeAsync(int code, byte[] payload, CancellationToken ct)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        byte[] body;
        int responseCode = code + 1;
        switch (code)
        {
            case SnapMessageId.GetAccountRange:
            {
                var root = list.ReadHash(); var origin = list.ReadHash(); var limit = list.ReadHash();
                int bytes = Budget(list.ReadUInt64());
                var range = server is not null && server.HasRecentState(root) && origin.CompareTo(limit) <= 0
                    ? server.GetAccountRange(root, origin, limit, bytes) : new AccountRange([], []);
                body = Rlp.EncodeList(Rlp.Encode(id), SnapCodec.EncodeAccounts(range.Accounts), WireLists.EncodeByteStrings(range.Proof));
                break;
            }
            case SnapMessageId.GetStorageRanges:
            {
                var root = list.ReadHash();
                var accounts = WireLists.ReadHashes(ref list);
                var origin = SnapCodec.ReadLooseHash(ref list, Hash256.Zero);
                var limit = SnapCodec.ReadLooseHash(ref list, MaxHash);
                int bytes = Budget(list.ReadUInt64());
                var ranges = server is not null && server.HasRecentState(root) && accounts.Count > 0
                    ? server.GetStorageRanges(root, accounts, origin, limit, bytes) : new StorageRanges([], []);
                body = Rlp.EncodeList(Rlp.Encode(id), SnapCodec.EncodeSlots(ranges.Slots), WireLists.EncodeByteStrings(ranges.Proof));
                break;
            }
            case SnapMessageId.GetByteCodes:
            {
                var hashes = WireLists.ReadHashes(ref list);
                int bytes = Budget(list.ReadUInt64());
                var codes = server?.GetByteCodes(hashes, bytes) ?? [];
                body = Rlp.EncodeList(Rlp.Encode(id), WireLists.EncodeByteStrings(codes));
                break;
            }
            case SnapMessageId.GetBlockAccessLists:
            {
                var hashes = WireLists.ReadHashes(ref list);
                int bytes = Budget(list.ReadUInt64());
                body = Rlp.EncodeList(Rlp.Encode(id), EncodeAccessLists(hashes, bytes));
                break;
            }
            default:
            {
                var root = list.ReadHash();
                var paths = SnapCodec.ReadPaths(ref list);
                int bytes = Budget(list.ReadUInt64());
                var nodes = server is not null && server.HasRecentState(root) ? server.GetTrieNodes(root, paths, bytes) : [];
                body = Rlp.EncodeList(Rlp.Encode(id), WireLists.EncodeByteStrings(nodes));
                break;
            }
        }
        await SendAsync(responseCode, body, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One entry per requested hash in request order, the RLP empty string where no list is known (snap2.md: no
    /// collapsing), cut from the tail once the budget is spent but never before the first entry.
    /// </summary>
    private byte[] EncodeAccessLists(IReadOnlyList<Hash256> hashes, int budget)
    {
        var items = new List<byte[]>(Math.Min(hashes.Count, StoreSnapServer.MaxLookups));
        int bytes = 0;
        for (int i = 0; i < hashes.Count && i < StoreSnapServer.MaxLookups && (bytes < budget || items.Count == 0); i++)
        {
            var item = accessLists?.GetBlockAccessList(hashes[i]) ?? Rlp.EmptyString;
            items.Add(item);
            bytes += item.Length;
        }
        return Rlp.EncodeList(items);
    }

    /// <summary>
    /// Block access lists in request order, null where the peer has none; fewer than asked when it cut the tail.
    /// Checking each against its header's access-list hash is the caller's (it holds the headers).
    /// </summary>
    public async Task<List<byte[]?>> GetBlockAccessListsAsync(IReadOnlyList<Hash256> blockHashes, int responseBytes = DefaultRequestBytes, CancellationToken ct = default)
    {
        if (ServesTrieNodes) throw new NotSupportedException("block access lists need snap/2");
        var payload = await RequestAsync(SnapMessageId.GetBlockAccessLists, SnapMessageId.BlockAccessLists, ct,
            WireLists.EncodeHashes(blockHashes), Rlp.Encode((ulong)responseBytes)).ConfigureAwait(false);
        var items = ReadResponse(payload, static (ref RlpReader r) => WireLists.ReadItems(ref r));
        if (items.Count > blockHashes.Count) Useless("more block access lists than hashes requested");
        return items.ConvertAll(static item => item.AsSpan().SequenceEqual(Rlp.EmptyString) ? null : item);
    }

    /// <summary>Accounts from <paramref name="origin"/>, ascending; the proof nodes are returned for the caller to verify against the root.</summary>
    public async Task<AccountRange> GetAccountRangeAsync(Hash256 root, Hash256 origin, Hash256 limit, int responseBytes = DefaultRequestBytes, CancellationToken ct = default)
    {
        var payload = await RequestAsync(SnapMessageId.GetAccountRange, SnapMessageId.AccountRange, ct,
            Rlp.EncodeBytes(root.Bytes), Rlp.EncodeBytes(origin.Bytes), Rlp.EncodeBytes(limit.Bytes), Rlp.Encode((ulong)responseBytes)).ConfigureAwait(false);
        var range = ReadResponse(payload, static (ref RlpReader r) => new AccountRange(SnapCodec.ReadAccounts(ref r), WireLists.ReadByteStrings(ref r)));
        for (int i = 0; i < range.Accounts.Count; i++)
        {
            if (range.Accounts[i].Hash.CompareTo(origin) < 0) Useless("account before the requested origin");
            if (i > 0 && range.Accounts[i].Hash.CompareTo(range.Accounts[i - 1].Hash) <= 0) Useless("accounts not strictly ascending");
        }
        return range;
    }

    public async Task<StorageRanges> GetStorageRangesAsync(Hash256 root, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit,
        int responseBytes = DefaultRequestBytes, CancellationToken ct = default)
    {
        var payload = await RequestAsync(SnapMessageId.GetStorageRanges, SnapMessageId.StorageRanges, ct, Rlp.EncodeBytes(root.Bytes),
            WireLists.EncodeHashes(accounts), Rlp.EncodeBytes(origin.Bytes), Rlp.EncodeBytes(limit.Bytes), Rlp.Encode((ulong)responseBytes)).ConfigureAwait(false);
        var ranges = ReadResponse(payload, static (ref RlpReader r) => new StorageRanges(SnapCodec.ReadSlots(ref r), WireLists.ReadByteStrings(ref r)));
        if (ranges.Slots.Count > accounts.Count) Useless("more storage ranges than accounts requested");
        foreach (var slots in ranges.Slots)
            for (int i = 1; i < slots.Count; i++)
                if (slots[i].Hash.CompareTo(slots[i - 1].Hash) <= 0) Useless("slots not strictly ascending");
        return ranges;
    }

    /// <summary>Codes in request order (gaps allowed); each must hash to a requested code hash, in order.</summary>
    public async Task<List<byte[]>> GetByteCodesAsync(IReadOnlyList<Hash256> codeHashes, int responseBytes = DefaultRequestBytes, CancellationToken ct = default)
    {
        var payload = await RequestAsync(SnapMessageId.GetByteCodes, SnapMessageId.ByteCodes, ct,
            WireLists.EncodeHashes(codeHashes), Rlp.Encode((ulong)responseBytes)).ConfigureAwait(false);
        var codes = ReadResponse(payload, static (ref RlpReader r) => WireLists.ReadByteStrings(ref r));
        int next = 0;
        foreach (var code in codes)
        {
            var hash = Core.Crypto.Keccak256.Hash(code);
            while (next < codeHashes.Count && codeHashes[next] != hash) next++;
            if (next++ == codeHashes.Count) Useless("byte code not requested or out of order");
        }
        return codes;
    }

    /// <summary>Trie nodes in request order; the caller verifies each against the hash its parent names.</summary>
    public async Task<List<byte[]>> GetTrieNodesAsync(Hash256 root, IReadOnlyList<TrieNodePathSet> paths, int responseBytes = DefaultRequestBytes, CancellationToken ct = default)
    {
        if (!ServesTrieNodes) throw new NotSupportedException("snap/2 has no trie nodes by path");
        var payload = await RequestAsync(SnapMessageId.GetTrieNodes, SnapMessageId.TrieNodes, ct,
            Rlp.EncodeBytes(root.Bytes), SnapCodec.EncodePaths(paths), Rlp.Encode((ulong)responseBytes)).ConfigureAwait(false);
        var nodes = ReadResponse(payload, static (ref RlpReader r) => WireLists.ReadByteStrings(ref r));
        int requested = 0;
        foreach (var p in paths) requested += Math.Max(1, p.StoragePaths.Count);
        if (nodes.Count > requested) Useless("more trie nodes than paths requested");
        return nodes;
    }
}
