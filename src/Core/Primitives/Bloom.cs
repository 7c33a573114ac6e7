using BeamSync.Core.Crypto;

namespace BeamSync.Core;

/// <summary>The 2048-bit log bloom of receipts and headers. Mutable: build it with <see cref="Add"/>.</summary>
public sealed class Bloom : IEquatable<Bloom>
{
    public const int Size = 256;
    private readonly byte[] _bytes;

    public Bloom() => _bytes = new byte[Size];

    public Bloom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) ThrowHelper.ThrowArgument($"Bloom needs {Size} bytes, got {bytes.Length}");
        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Sets the three bits chosen by keccak256(item): bytes 0-1, 2-3 and 4-5 of the hash, each mod 2048.</summary>
    public void Add(ReadOnlySpan<byte> item)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(item, h);
        for (int i = 0; i < 6; i += 2)
        {
            int bit = ((h[i] << 8) | h[i + 1]) & 2047;
            _bytes[Size - 1 - bit / 8] |= (byte)(1 << (bit % 8));
        }
    }

    public void Accumulate(Bloom other)
    {
        for (int i = 0; i < Size; i++) _bytes[i] |= other._bytes[i];
    }

    public bool Matches(ReadOnlySpan<byte> item)
    {
        var probe = new Bloom();
        probe.Add(item);
        for (int i = 0; i < Size; i++)
            if ((probe._bytes[i] & _bytes[i]) != probe._bytes[i]) return false;
        return true;
    }

    public bool Equals(Bloom? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);
    public override bool Equals(object? obj) => Equals(obj as Bloom);
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);
    public override string ToString() => Hex.ToHex(_bytes);
}
