namespace BeamSync.Evm.Precompiles;

/// <summary>
/// Reads precompile input as if it were followed by infinitely many zero bytes, as every precompile that reads
/// fixed fields must (short input is right-padded). Stateless; thread-safe.
/// </summary>
internal static class PaddedInput
{
    /// <summary>Fills <paramref name="destination"/> with input[offset..], zero past the end of the input.</summary>
    public static void Copy(ReadOnlySpan<byte> input, ulong offset, Span<byte> destination)
    {
        if (offset >= (ulong)input.Length)
        {
            destination.Clear();
            return;
        }
        ReadOnlySpan<byte> available = input[(int)offset..];
        if (available.Length >= destination.Length)
        {
            available[..destination.Length].CopyTo(destination);
            return;
        }
        available.CopyTo(destination);
        destination[available.Length..].Clear();
    }

    /// <summary>How many of the <paramref name="length"/> bytes starting at <paramref name="offset"/> the input really holds.</summary>
    public static int AvailableLength(ReadOnlySpan<byte> input, ulong offset, ulong length)
    {
        if (offset >= (ulong)input.Length) return 0;
        ulong remaining = (ulong)input.Length - offset;
        return (int)Math.Min(remaining, length);
    }
}
