using BeamSync.Core;

namespace BeamSync.Chain.Processing;

/// <summary>Addresses and limits of the system calls blocks make at their start.</summary>
public static class SystemContracts
{
    /// <summary>The caller of system calls (EIP-4788).</summary>
    public static readonly Address SystemAddress = Address.Parse("0xfffffffffffffffffffffffffffffffffffffffe");
    /// <summary>EIP-4788's beacon roots contract.</summary>
    public static readonly Address BeaconRoots = Address.Parse("0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02");
    /// <summary>Gas given to a system call; not counted in the block's gas.</summary>
    public const long SystemCallGas = 30_000_000;
}
