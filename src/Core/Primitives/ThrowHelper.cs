using System.Diagnostics.CodeAnalysis;

namespace BeamSync.Core;

/// <summary>Cold-path throws kept out of hot methods so those stay small enough to inline.</summary>
public static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string message) => throw new ArgumentException(message);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowRlp(RlpError error, string message) => throw new RlpException(error, message);
}
