namespace BeamSync.Core.Specs;

/// <summary>
/// Blob-gas parameters of one fork (EIP-4844, EIP-7691, EIP-7840, EIP-7892): the target and maximum blobs per block
/// and the base-fee update fraction. An immutable value.
/// </summary>
public readonly record struct BlobParameters(ulong Target, ulong Max, ulong BaseFeeUpdateFraction)
{
    /// <summary>EIP-4844's launch values, used when a genesis without <c>blobSchedule</c> activates Cancun.</summary>
    public static readonly BlobParameters CancunDefault = new(3, 6, 3338477);

    /// <summary>EIP-7691's values, kept by Osaka; the defaults for those forks without a <c>blobSchedule</c> entry.</summary>
    public static readonly BlobParameters PragueDefault = new(6, 9, 5007716);

    /// <summary>The EIP-7840 defaults for a fork, or null where the fork has none (BPO forks must be configured).</summary>
    public static BlobParameters? DefaultFor(Fork fork) => fork switch
    {
        Fork.Cancun => CancunDefault,
        Fork.Prague or Fork.Osaka => PragueDefault,
        _ => null,
    };
}
