namespace BeamSync.Core;

/// <summary>Why an RLP input was rejected.</summary>
public enum RlpError
{
    UnexpectedEnd,
    NonCanonicalSize,
    NonCanonicalSingleByte,
    LeadingZeroInLength,
    LeadingZeroInInteger,
    ExpectedList,
    ExpectedString,
    IntegerTooLarge,
    WrongLength,
    TrailingBytes,
    TooLarge,
    InvalidValue,
}

/// <summary>Malformed RLP: the input, not the program, is wrong. Carries the kind and a readable reason.</summary>
public sealed class RlpException(RlpError error, string message) : Exception(message)
{
    public RlpError Error { get; } = error;
}
