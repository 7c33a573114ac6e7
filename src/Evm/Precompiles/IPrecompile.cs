using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// A precompiled contract. Implementations are stateless and safe for concurrent use. The interpreter charges
/// <see cref="GasCost"/> first (running out of gas there fails the call); a false <see cref="TryRun"/> is a failed
/// call that consumes all gas given to it, as the EIPs specify for invalid input.
/// </summary>
public interface IPrecompile
{
    Address Address { get; }

    /// <summary>Gas for this input under <paramref name="fork"/>'s pricing; may exceed long.MaxValue-saturated inputs, so saturate.</summary>
    long GasCost(ReadOnlySpan<byte> input, Fork fork);

    /// <summary>Runs the contract; false when the input is invalid (not on the curve, bad length, ...).</summary>
    bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output);
}
