using System.Collections.Concurrent;
using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Network.Peers;

public sealed partial class PeerPool
{
    // Keyed by the hash of the node id: 32 bytes inline instead of a 128-character hex string per ban.
    private readonly ConcurrentDictionary<Hash256, long> _bannedUntil = new();

    /// <summary>Bans currently held (expired ones may linger until the next ban prunes them).</summary>
    public int BannedCount => _bannedUntil.Count;

    /// <summary>Whether the node with this 64-byte id is banned now; an expired ban found here is dropped.</summary>
    public bool IsBanned(byte[] id)
    {
        var key = Keccak256.Hash(id);
        if (!_bannedUntil.TryGetValue(key, out var until)) return false;
        if (until > Environment.TickCount64) return true;
        _bannedUntil.TryRemove(new KeyValuePair<Hash256, long>(key, until));
        return false;
    }

    private void Ban(byte[] id)
    {
        _bannedUntil[Keccak256.Hash(id)] = Environment.TickCount64 + (long)_options.BanDuration.TotalMilliseconds;
        if (_bannedUntil.Count > _options.MaxBannedPeers) PruneBans();
    }

    /// <summary>
    /// Drops expired bans, then, while still over the bound, those closest to expiry, down to three quarters of it
    /// (so the O(n) pass runs once per quarter of the bound, not on every ban).
    /// </summary>
    private void PruneBans()
    {
        long now = Environment.TickCount64;
        foreach (var ban in _bannedUntil)
            if (ban.Value <= now) _bannedUntil.TryRemove(ban);
        int excess = _bannedUntil.Count - _options.MaxBannedPeers * 3 / 4;
        if (excess <= 0) return;
        foreach (var ban in _bannedUntil.OrderBy(b => b.Value).Take(excess).ToList()) _bannedUntil.TryRemove(ban);
    }
}
