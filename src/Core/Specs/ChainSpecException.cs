namespace BeamSync.Core.Specs;

/// <summary>
/// A chain specification (genesis file, fork schedule, fixture network) is malformed or inconsistent. The message
/// names the offending field and value so the file can be fixed without a debugger.
/// </summary>
public sealed class ChainSpecException : Exception
{
    public ChainSpecException(string message) : base(message) { }
    public ChainSpecException(string message, Exception inner) : base(message, inner) { }
}
