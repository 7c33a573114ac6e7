using System.Buffers;

namespace BeamSync.Core;

public ref partial struct RlpReader
{
    /// <summary>Below this depth the walk's stack of list ends lives on the call stack; above, in a rented array.</summary>
    private const int StackallocDepth = 64;

    /// <summary>
    /// Walks one item and everything nested in it without recursion: a list pushes its parent's end and narrows the
    /// bounds to its own payload, so every header is checked against the innermost enclosing list.
    /// </summary>
    internal static void ValidateTree(ReadOnlySpan<byte> data, int maxDepth)
    {
        int[]? rented = null;
        Span<int> parentEnds = maxDepth <= StackallocDepth
            ? stackalloc int[StackallocDepth]
            : (rented = ArrayPool<int>.Shared.Rent(maxDepth));
        try
        {
            int position = 0, end = data.Length, depth = 0;
            bool topItemRead = false;
            while (true)
            {
                if (depth == 0)
                {
                    if (topItemRead) break;
                    topItemRead = true;
                }
                else if (position == end)
                {
                    end = parentEnds[--depth];
                    continue;
                }
                var (isList, start, length) = new RlpReader(data, position, end).ReadHeader(position);
                if (!isList)
                {
                    position = start + length;
                    continue;
                }
                if (depth == maxDepth) ThrowHelper.ThrowRlp(RlpError.TooLarge, $"RLP lists nested deeper than {maxDepth}");
                parentEnds[depth++] = end;
                end = start + length;
                position = start;
            }
            if (position != data.Length)
                ThrowHelper.ThrowRlp(RlpError.TrailingBytes, $"{data.Length - position} trailing bytes after RLP item");
        }
        finally
        {
            if (rented is not null) ArrayPool<int>.Shared.Return(rented);
        }
    }
}
