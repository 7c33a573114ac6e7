using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm;

/// <summary>
/// The execution rules of one fork as flags and gas constants the interpreter reads on its hot path, plus that
/// fork's <see cref="OpcodeTable"/>. One immutable instance per fork (<see cref="For"/>); safe for concurrent use.
/// </summary>
public sealed class EvmSpec
{
    public readonly Fork Fork;
    public readonly bool IsHomestead, IsTangerineWhistle, IsSpuriousDragon, IsByzantium, IsConstantinople, IsPetersburg,
        IsIstanbul, IsBerlin, IsLondon, IsParis, IsShanghai, IsCancun, IsPrague, IsOsaka;
    public readonly OpcodeInfo[] Opcodes;
    /// <summary><see cref="Opcodes"/> as the interpreter checks them.</summary>
    internal readonly OpcodeCheck[] OpcodeChecks;

    /// <summary>EXP per byte of exponent: 10, then 50 from EIP-160.</summary>
    public readonly long ExpByteGas;
    /// <summary>SLOAD before EIP-2929: 50, 200 (EIP-150), 800 (EIP-1884).</summary>
    public readonly long SloadGas;
    /// <summary>Refund cap divisor: gasUsed/2, then gasUsed/5 from EIP-3529.</summary>
    public readonly long MaxRefundQuotient;
    /// <summary>SSTORE clear refund: 15000, then 4800 from EIP-3529 (SSTORE_RESET 2900 + ACCESS_LIST_STORAGE_KEY 1900).</summary>
    public readonly long SstoreClearRefund;
    /// <summary>SELFDESTRUCT refund: 24000 until EIP-3529 removed it.</summary>
    public readonly long SelfDestructRefund;
    public readonly int MaxCodeSize;
    public readonly int MaxInitCodeSize;
    public readonly int PrecompileCount;
    private readonly Address[] _precompileAddresses;

    private static readonly EvmSpec[] Specs = BuildAll();

    public static EvmSpec For(Fork fork) => Specs[(int)fork];

    private EvmSpec(Fork fork)
    {
        Fork = fork;
        IsHomestead = fork >= Fork.Homestead;
        IsTangerineWhistle = fork >= Fork.TangerineWhistle;
        IsSpuriousDragon = fork >= Fork.SpuriousDragon;
        IsByzantium = fork >= Fork.Byzantium;
        IsConstantinople = fork >= Fork.Constantinople;
        IsPetersburg = fork >= Fork.Petersburg;
        IsIstanbul = fork >= Fork.Istanbul;
        IsBerlin = fork >= Fork.Berlin;
        IsLondon = fork >= Fork.London;
        IsParis = fork >= Fork.Paris;
        IsShanghai = fork >= Fork.Shanghai;
        IsCancun = fork >= Fork.Cancun;
        IsPrague = fork >= Fork.Prague;
        IsOsaka = fork >= Fork.Osaka;
        ExpByteGas = IsSpuriousDragon ? 50 : 10;
        SloadGas = IsIstanbul ? 800 : IsTangerineWhistle ? 200 : 50;
        MaxRefundQuotient = IsLondon ? 5 : 2;
        SstoreClearRefund = IsLondon ? 4800 : 15000;
        SelfDestructRefund = IsLondon ? 0 : 24000;
        MaxCodeSize = IsSpuriousDragon ? 24576 : int.MaxValue;
        MaxInitCodeSize = IsShanghai ? 2 * 24576 : int.MaxValue;
        PrecompileCount = IsPrague ? 0x11 : IsCancun ? 10 : IsIstanbul ? 9 : IsByzantium ? 8 : 4;
        Opcodes = OpcodeTable.For(fork);
        OpcodeChecks = OpcodeCheck.For(Opcodes);
        _precompileAddresses = ListPrecompiles(PrecompileCount, IsOsaka);
    }

    private static EvmSpec[] BuildAll()
    {
        var all = Enum.GetValues<Fork>();
        var specs = new EvmSpec[all.Length];
        foreach (var f in all) specs[(int)f] = new EvmSpec(f);
        return specs;
    }

    /// <summary>Whether the EIP-161 rules (touched empty accounts are deleted) apply.</summary>
    public bool ClearsEmptyAccounts => IsSpuriousDragon;

    /// <summary>EIP-7951 (Osaka): P256VERIFY sits apart from the dense range, at 0x100.</summary>
    public const int P256VerifyNumber = 0x100;

    /// <summary>
    /// True for 0x01..0x(PrecompileCount) and, from Osaka, 0x100: the addresses the fork defines as precompiles,
    /// which are warm (EIP-2929) and exist even without an account, whether or not their contract is implemented.
    /// </summary>
    public bool IsPrecompile(Address address)
    {
        var b = address.Bytes;
        for (int i = 0; i < 18; i++) if (b[i] != 0) return false;
        int number = (b[18] << 8) | b[19];
        return (number != 0 && number <= PrecompileCount) || (IsOsaka && number == P256VerifyNumber);
    }

    /// <summary>The precompile addresses of this fork in address order (see <see cref="IsPrecompile"/>).</summary>
    public IReadOnlyList<Address> PrecompileAddresses => _precompileAddresses;

    private static Address[] ListPrecompiles(int count, bool osaka)
    {
        var list = new Address[count + (osaka ? 1 : 0)];
        Span<byte> bytes = stackalloc byte[Address.Size];
        for (int i = 1; i <= count; i++)
        {
            bytes.Clear();
            bytes[^1] = (byte)i;
            list[i - 1] = new Address(bytes);
        }
        if (osaka)
        {
            bytes.Clear();
            bytes[^2] = P256VerifyNumber >> 8;
            list[^1] = new Address(bytes);
        }
        return list;
    }
}
