using System.Runtime.InteropServices;

namespace BeamSync.Db;

/// <summary>Content equality for byte-array keys, with span lookups so a read needs no key copy.</summary>
public sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);
    public int GetHashCode(byte[] obj) => Hash(obj);
    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);
    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    // Keys are mostly hashes: their first bytes are already uniform, so mixing the length and a few words suffices.
    private static int Hash(ReadOnlySpan<byte> key)
    {
        if (key.Length >= 8) return HashCode.Combine(key.Length, MemoryMarshal.Read<long>(key), MemoryMarshal.Read<long>(key[^8..]));
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }
}
