namespace BeamSync.Node.Devnet;

/// <summary>
/// SplitMix64: a small, fast generator whose sequence is fixed by its seed on every platform and runtime version,
/// so a devnet generated from a seed is the same everywhere. Not for cryptography. Not thread-safe.
/// </summary>
internal struct DevnetRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The generator's whole state: <c>new DevnetRandom(State)</c> continues the same sequence.</summary>
    public readonly ulong State => _state;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9e3779b97f4a7c15;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound) (Lemire's multiply-shift; the bias is below 2^-32 for the bounds used here).</summary>
    public int Next(int bound) => (int)((NextUInt64() >> 32) * (ulong)bound >> 32);

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>A generator for a named purpose, independent of this one's position.</summary>
    public static DevnetRandom For(ulong seed, ulong purpose) => new(seed * 0x9e3779b97f4a7c15 ^ purpose);
}
