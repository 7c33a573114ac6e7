using BeamSync.Core;

namespace BeamSync.State;

/// <summary>A log emitted by LOG0..LOG4: the emitting address, up to four topics and the data. Immutable.</summary>
public sealed record LogEntry(Address Address, Hash256[] Topics, byte[] Data);
