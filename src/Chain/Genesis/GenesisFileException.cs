namespace BeamSync.Chain.Genesis;

/// <summary>A genesis file (or chain file) that cannot be read: missing, not JSON, or a field of the wrong shape.</summary>
public sealed class GenesisFileException(string message, Exception? inner = null) : Exception(message, inner);
