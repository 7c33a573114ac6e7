namespace BeamSync.Network.P2p;

/// <summary>A capability as announced in Hello: name (ASCII, case-sensitive, at most 8 characters) and version.</summary>
public readonly record struct Capability(string Name, int Version)
{
    public override string ToString() => $"{Name}/{Version}";
}

/// <summary>A capability both sides share, with its place in the connection's message-id space.</summary>
public readonly record struct SharedCapability(string Name, int Version, int Offset, int MessageCount)
{
    public bool Owns(ulong id) => id >= (ulong)Offset && id < (ulong)(Offset + MessageCount);
}

/// <summary>
/// rlpx.md "Message ID-based Multiplexing": ids from 0x10 go to the shared capabilities in alphabetical order
/// of name, each taking as many ids as it declares; of several shared versions of one name the highest wins.
/// </summary>
public static class CapabilityNegotiation
{
    public const int FirstSubprotocolId = 0x10;

    /// <param name="local">What this node offers, with each version's message count.</param>
    public static List<SharedCapability> Negotiate(IReadOnlyList<(Capability Capability, int MessageCount)> local, IReadOnlyList<Capability> remote)
    {
        var best = new SortedDictionary<string, (int Version, int Count)>(StringComparer.Ordinal);
        foreach (var (cap, count) in local)
        {
            bool shared = false;
            foreach (var r in remote) if (r == cap) { shared = true; break; }
            if (!shared) continue;
            if (!best.TryGetValue(cap.Name, out var current) || current.Version < cap.Version) best[cap.Name] = (cap.Version, count);
        }
        var result = new List<SharedCapability>(best.Count);
        int offset = FirstSubprotocolId;
        foreach (var (name, (version, count)) in best)
        {
            result.Add(new SharedCapability(name, version, offset, count));
            offset += count;
        }
        return result;
    }
}
