using System.Buffers.Binary;

namespace BeamSync.Core.Specs;

/// <summary>Outcome of checking a peer's fork id against ours (EIP-2124 with EIP-6122's timestamps).</summary>
public enum ForkIdValidation
{
    /// <summary>Same chain, compatible now and (as far as we know) after the next fork.</summary>
    Compatible,
    /// <summary>The peer is on another chain, or ours lacks a fork the peer's says we should have passed (we are stale).</summary>
    LocalIncompatibleOrStale,
    /// <summary>The peer is behind on a fork we passed and does not know about it: it needs a software update.</summary>
    RemoteStale,
}

/// <summary>
/// An EIP-2124 fork identifier: CRC-32 of the genesis hash and every passed fork point, and the next scheduled
/// fork point (block number or, since Shanghai, timestamp; 0 when none is scheduled). Exchanged in the eth Status
/// message and in the ENR "eth" entry. An immutable value.
/// </summary>
public readonly record struct ForkId(uint Hash, ulong Next)
{
    /// <summary>
    /// Values at or above this are timestamps rather than block numbers (EIP-6122): it is mainnet's launch time
    /// (July 2015), which no block number will reach.
    /// </summary>
    public const ulong TimestampThreshold = 1438269973;

    /// <summary>The hash as the 4 big-endian bytes the wire carries.</summary>
    public byte[] HashBytes()
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Hash);
        return bytes;
    }

    /// <summary>Our fork id with the chain head at (<paramref name="headNumber"/>, <paramref name="headTime"/>).</summary>
    public static ForkId Compute(Hash256 genesisHash, ChainSpec spec, ulong headNumber, ulong headTime)
    {
        var (blocks, times) = ForkPoints(spec);
        uint hash = Crc32.Update(0, genesisHash.Bytes);
        foreach (ulong b in blocks)
        {
            if (headNumber < b) return new ForkId(hash, b);
            hash = AddFork(hash, b);
        }
        foreach (ulong t in times)
        {
            if (headTime < t) return new ForkId(hash, t);
            hash = AddFork(hash, t);
        }
        return new ForkId(hash, 0);
    }

    /// <summary>
    /// Checks a peer's fork id against our chain at (head number, head time): the rules of EIP-2124. Same hash: the
    /// peer is fine unless its announced next fork is one we have already passed without knowing it. Hash of one
    /// of our earlier states: fine if its announced next fork is the one we took next (the peer is merely syncing).
    /// Hash of one of our future states: fine (we are syncing). Anything else is another chain.
    /// </summary>
    public static ForkIdValidation Validate(Hash256 genesisHash, ChainSpec spec, ulong headNumber, ulong headTime, ForkId remote)
    {
        var (blocks, times) = ForkPoints(spec);
        int count = blocks.Count + times.Count;
        // sums[i]: the hash after the first i fork points.
        var sums = new uint[count + 1];
        sums[0] = Crc32.Update(0, genesisHash.Bytes);
        for (int i = 0; i < count; i++) sums[i + 1] = AddFork(sums[i], PointAt(blocks, times, i));

        // The index of the first fork point we have not passed (count if every one is passed).
        int current = 0;
        while (current < count && Passed(blocks, times, current, headNumber, headTime)) current++;

        if (sums[current] == remote.Hash)
        {
            bool remoteNextPassed = remote.Next > 0 &&
                (remote.Next >= TimestampThreshold ? headTime >= remote.Next : headNumber >= remote.Next);
            return remoteNextPassed ? ForkIdValidation.LocalIncompatibleOrStale : ForkIdValidation.Compatible;
        }
        for (int j = 0; j < current; j++)
        {
            if (sums[j] == remote.Hash)
                return PointAt(blocks, times, j) == remote.Next ? ForkIdValidation.Compatible : ForkIdValidation.RemoteStale;
        }
        for (int j = current + 1; j <= count; j++)
        {
            if (sums[j] == remote.Hash) return ForkIdValidation.Compatible;
        }
        return ForkIdValidation.LocalIncompatibleOrStale;
    }

    /// <summary>
    /// The fork points that enter the id: every distinct non-zero block at which some rule changes (forks, the DAO
    /// block, a separate EIP-155 block, the merge netsplit block), ascending, then every distinct fork timestamp after
    /// genesis, ascending. Forks active at genesis are part of the genesis and are left out.
    /// </summary>
    private static (List<ulong> Blocks, List<ulong> Times) ForkPoints(ChainSpec spec)
    {
        var blocks = new SortedSet<ulong>();
        var times = new SortedSet<ulong>();
        foreach (var a in spec.Activations)
        {
            if (a.Trigger == ForkTrigger.Block) { if (a.At > 0) blocks.Add(a.At); }
            else if (a.At > spec.GenesisTimestamp) times.Add(a.At);
        }
        if (spec.Eip155Block is > 0 and var e155) blocks.Add(e155);
        if (spec.MergeNetsplitBlock is > 0 and var netsplit) blocks.Add(netsplit);
        return ([.. blocks], [.. times]);
    }

    private static ulong PointAt(List<ulong> blocks, List<ulong> times, int i) => i < blocks.Count ? blocks[i] : times[i - blocks.Count];

    private static bool Passed(List<ulong> blocks, List<ulong> times, int i, ulong headNumber, ulong headTime) =>
        i < blocks.Count ? headNumber >= blocks[i] : headTime >= times[i - blocks.Count];

    private static uint AddFork(uint hash, ulong point)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, point);
        return Crc32.Update(hash, bytes);
    }
}
