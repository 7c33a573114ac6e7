using System.Runtime.CompilerServices;

// The limb-level division helpers (reciprocal, 2-by-1 step) are tested directly, not only through UInt256.
[assembly: InternalsVisibleTo("BeamSync.Core.Tests")]
