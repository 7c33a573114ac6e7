namespace BeamSync.Trie;

/// <summary>
/// Nibble paths (one nibble per byte, values 0..15) and the hex-prefix ("compact") encoding that trie nodes use
/// for them. Pure functions; thread-safe.
/// </summary>
public static class Nibbles
{
    public static byte[] FromBytes(ReadOnlySpan<byte> key)
    {
        var nibbles = new byte[key.Length * 2];
        FromBytes(key, nibbles);
        return nibbles;
    }

    public static void FromBytes(ReadOnlySpan<byte> key, Span<byte> nibbles)
    {
        for (int i = 0; i < key.Length; i++)
        {
            nibbles[2 * i] = (byte)(key[i] >> 4);
            nibbles[2 * i + 1] = (byte)(key[i] & 0x0f);
        }
    }

    /// <summary>Packs an even-length nibble path back into bytes.</summary>
    public static byte[] ToBytes(ReadOnlySpan<byte> nibbles)
    {
        if ((nibbles.Length & 1) != 0) throw new ArgumentException("a key has an even number of nibbles", nameof(nibbles));
        var bytes = new byte[nibbles.Length / 2];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)((nibbles[2 * i] << 4) | nibbles[2 * i + 1]);
        return bytes;
    }

    public static int CommonPrefixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.CommonPrefixLength(b);

    public static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r);
        b.CopyTo(r.AsSpan(a.Length));
        return r;
    }

    public static byte[] Concat(byte a, ReadOnlySpan<byte> b)
    {
        var r = new byte[1 + b.Length];
        r[0] = a;
        b.CopyTo(r.AsSpan(1));
        return r;
    }

    /// <summary>Length of the hex-prefix encoding of <paramref name="nibbleCount"/> nibbles.</summary>
    public static int CompactLength(int nibbleCount) => nibbleCount / 2 + 1;

    /// <summary>
    /// Hex-prefix encoding: the first nibble carries the flags (2 = leaf, 1 = odd length); an odd path puts its first
    /// nibble beside the flags, an even one pads with a zero nibble.
    /// </summary>
    public static void ToCompact(ReadOnlySpan<byte> nibbles, bool isLeaf, Span<byte> destination)
    {
        bool odd = (nibbles.Length & 1) != 0;
        int flags = (isLeaf ? 2 : 0) | (odd ? 1 : 0);
        int i = 0;
        if (odd) destination[0] = (byte)((flags << 4) | nibbles[i++]);
        else destination[0] = (byte)(flags << 4);
        for (int j = 1; i < nibbles.Length; i += 2, j++) destination[j] = (byte)((nibbles[i] << 4) | nibbles[i + 1]);
    }

    /// <summary>Decodes a hex-prefix path; false when the flags or padding are not canonical.</summary>
    public static bool TryFromCompact(ReadOnlySpan<byte> compact, out byte[] nibbles, out bool isLeaf)
    {
        nibbles = [];
        isLeaf = false;
        if (compact.Length == 0) return false;
        int flags = compact[0] >> 4;
        if (flags > 3) return false;
        isLeaf = (flags & 2) != 0;
        bool odd = (flags & 1) != 0;
        if (!odd && (compact[0] & 0x0f) != 0) return false;
        nibbles = new byte[(compact.Length - 1) * 2 + (odd ? 1 : 0)];
        int n = 0;
        if (odd) nibbles[n++] = (byte)(compact[0] & 0x0f);
        for (int i = 1; i < compact.Length; i++)
        {
            nibbles[n++] = (byte)(compact[i] >> 4);
            nibbles[n++] = (byte)(compact[i] & 0x0f);
        }
        return true;
    }
}
