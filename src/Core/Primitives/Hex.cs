using System.Runtime.CompilerServices;

namespace BeamSync.Core;

/// <summary>Hex encoding and decoding of byte strings, with or without a <c>0x</c> prefix.</summary>
public static class Hex
{
    private static ReadOnlySpan<byte> Lower => "0123456789abcdef"u8;

    public static string ToHex(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        int len = bytes.Length * 2 + (prefix ? 2 : 0);
        return string.Create(len, (bytes.ToArray(), prefix), static (dst, state) =>
        {
            int o = 0;
            if (state.prefix) { dst[0] = '0'; dst[1] = 'x'; o = 2; }
            foreach (byte b in state.Item1)
            {
                dst[o++] = (char)Lower[b >> 4];
                dst[o++] = (char)Lower[b & 0xF];
            }
        });
    }

    /// <summary>Parses hex with an optional 0x prefix; an odd number of digits is read as if a leading 0 were present.</summary>
    public static byte[] Parse(ReadOnlySpan<char> hex)
    {
        if (!TryParse(hex, out byte[] result))
            throw new FormatException($"Invalid hex string: '{Truncate(hex)}'");
        return result;
    }

    public static bool TryParse(ReadOnlySpan<char> hex, out byte[] result)
    {
        if (hex.StartsWith("0x") || hex.StartsWith("0X")) hex = hex[2..];
        bool odd = (hex.Length & 1) == 1;
        result = new byte[(hex.Length + 1) / 2];
        int i = 0, o = 0;
        if (odd)
        {
            int v = Nibble(hex[0]);
            if (v < 0) { result = []; return false; }
            result[o++] = (byte)v;
            i = 1;
        }
        for (; i < hex.Length; i += 2)
        {
            int hi = Nibble(hex[i]), lo = Nibble(hex[i + 1]);
            if ((hi | lo) < 0) { result = []; return false; }
            result[o++] = (byte)((hi << 4) | lo);
        }
        return true;
    }

    /// <summary>Decodes exactly <paramref name="destination"/>.Length bytes; false on bad digits or wrong length.</summary>
    public static bool TryParseExact(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.StartsWith("0x") || hex.StartsWith("0X")) hex = hex[2..];
        if (hex.Length != destination.Length * 2) return false;
        for (int i = 0; i < destination.Length; i++)
        {
            int hi = Nibble(hex[2 * i]), lo = Nibble(hex[2 * i + 1]);
            if ((hi | lo) < 0) return false;
            destination[i] = (byte)((hi << 4) | lo);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string Truncate(ReadOnlySpan<char> s) => s.Length > 80 ? string.Concat(s[..80], "...") : s.ToString();
}
