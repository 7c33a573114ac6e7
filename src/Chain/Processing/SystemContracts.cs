using BeamSync.Core;

namespace BeamSync.Chain.Processing;

/// <summary>Addresses and limits of the system calls blocks make at their start.</summary>
public static class SystemContracts
{
    /// <summary>The caller of system calls (EIP-4788).</summary>
    public static readonly Address SystemAddress = Address.Parse("0xfffffffffffffffffffffffffffffffffffffffe");
    /// <summary>EIP-4788's beacon roots contract.</summary>
    public static readonly Address BeaconRoots = Address.Parse("0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02");
    /// <summary>EIP-2935's block hash history contract (Prague).</summary>
    public static readonly Address HistoryStorage = Address.Parse("0x0000F90827F1C53a10cb7A02335B175320002935");
    /// <summary>EIP-7002's withdrawal request queue (Prague).</summary>
    public static readonly Address WithdrawalRequests = Address.Parse("0x00000961Ef480Eb55e80D19ad83579A64c007002");
    /// <summary>EIP-7251's consolidation request queue (Prague).</summary>
    public static readonly Address ConsolidationRequests = Address.Parse("0x0000BBdDc7CE488642fb579F8B00f3a590007251");
    /// <summary>The mainnet deposit contract, for chains whose spec names none (EIP-6110).</summary>
    public static readonly Address MainnetDepositContract = Address.Parse("0x00000000219ab540356cBB839Cbe05303d7705Fa");
    /// <summary>Gas given to a system call; not counted in the block's gas.</summary>
    public const long SystemCallGas = 30_000_000;
}
