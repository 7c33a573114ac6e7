namespace BeamSync.Network.Peers;

/// <summary>
/// A peer's reputation: starts at zero, falls with each bad or useless message (weights below), and at
/// <see cref="DisconnectThreshold"/> the peer is dropped and banned. Thread-safe (interlocked).
/// </summary>
public sealed class PeerScore
{
    /// <summary>A protocol breach (bad RLP, wrong message) ends the session at once.</summary>
    public const int Breach = -100;
    /// <summary>Useless data: unrequested responses, data that fails validation, empty answers we know the peer has.</summary>
    public const int Useless = -20;
    /// <summary>A request that timed out.</summary>
    public const int Timeout = -10;
    public const int DisconnectThreshold = -100;

    private int _value;
    public int Value => Volatile.Read(ref _value);

    /// <summary>Adds <paramref name="delta"/>; true when the score has reached the threshold.</summary>
    public bool Add(int delta) => Interlocked.Add(ref _value, delta) <= DisconnectThreshold;
}
