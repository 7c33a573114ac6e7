using System.Runtime.CompilerServices;
using BeamSync.Core.Specs;

namespace BeamSync.Evm;

/// <summary>
/// Static traits of one opcode under one fork: whether it is defined, its constant gas, how many stack items it
/// reads and how far it grows the stack. The interpreter checks these before the handler runs, so handlers
/// never re-check stack bounds or constant gas.
/// </summary>
public readonly record struct OpcodeInfo(bool Defined, int ConstantGas, int StackIn, int StackGrowth);

/// <summary>
/// An <see cref="OpcodeInfo"/> in the form the interpreter checks before every instruction: one unsigned comparison
/// covers definedness, stack underflow and stack overflow (an undefined opcode fails it whatever the stack), and the
/// gas is already the width the gas counter has. Which of the three failed is worked out only on the failure path.
/// </summary>
internal readonly struct OpcodeCheck
{
    public readonly long ConstantGas;
    /// <summary>The stack height below which the opcode underflows; above any reachable height when undefined.</summary>
    private readonly int _minStack;
    /// <summary>How far above <see cref="_minStack"/> the stack may be before the opcode would overflow it.</summary>
    private readonly uint _stackRange;

    public OpcodeCheck(OpcodeInfo info)
    {
        ConstantGas = info.ConstantGas;
        if (info.Defined)
        {
            _minStack = info.StackIn;
            _stackRange = (uint)(CallFrame.StackLimit - info.StackGrowth - info.StackIn);
        }
        else
        {
            _minStack = CallFrame.StackLimit + 1;
            _stackRange = 0;
        }
    }

    /// <summary>Whether the opcode is defined and a stack of <paramref name="height"/> items neither underflows nor overflows under it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Admits(int height) => (uint)(height - _minStack) <= _stackRange;

    public static OpcodeCheck[] For(OpcodeInfo[] table) => Array.ConvertAll(table, info => new OpcodeCheck(info));
}

/// <summary>
/// Per-fork opcode tables: each fork copies its parent's table and applies its EIPs, then <see cref="Validate"/>
/// rejects an inconsistent entry. Tables are built once and never mutated; safe for concurrent use.
/// </summary>
public static class OpcodeTable
{
    private const int Zero = 0, Base = 2, VeryLow = 3, Low = 5, Mid = 8, High = 10;
    public const int WarmStorageReadCost = 100;   // EIP-2929

    public static OpcodeInfo[] For(Fork fork)
    {
        var t = Frontier();
        if (fork >= Fork.Homestead) Homestead(t);
        if (fork >= Fork.TangerineWhistle) Eip150(t);
        if (fork >= Fork.Byzantium) Byzantium(t);
        if (fork >= Fork.Constantinople) Constantinople(t);
        if (fork >= Fork.Istanbul) Istanbul(t);
        if (fork >= Fork.Berlin) Eip2929(t);
        if (fork >= Fork.London) Set(t, Opcode.BASEFEE, Base, 0, 1);           // EIP-3198
        if (fork >= Fork.Shanghai) Set(t, Opcode.PUSH0, Base, 0, 1);           // EIP-3855
        if (fork >= Fork.Cancun) Cancun(t);
        if (fork >= Fork.Osaka) Set(t, Opcode.CLZ, Low, 1, 1);                // EIP-7939
        Validate(t);
        return t;
    }

    private static void Set(OpcodeInfo[] t, Opcode op, int gas, int stackIn, int stackOut) =>
        t[(int)op] = new OpcodeInfo(true, gas, stackIn, stackOut - stackIn);

    private static void Reprice(OpcodeInfo[] t, Opcode op, int gas) => t[(int)op] = t[(int)op] with { ConstantGas = gas };

    private static OpcodeInfo[] Frontier()
    {
        var t = new OpcodeInfo[256];
        Set(t, Opcode.STOP, Zero, 0, 0);
        Set(t, Opcode.ADD, VeryLow, 2, 1); Set(t, Opcode.MUL, Low, 2, 1); Set(t, Opcode.SUB, VeryLow, 2, 1);
        Set(t, Opcode.DIV, Low, 2, 1); Set(t, Opcode.SDIV, Low, 2, 1); Set(t, Opcode.MOD, Low, 2, 1); Set(t, Opcode.SMOD, Low, 2, 1);
        Set(t, Opcode.ADDMOD, Mid, 3, 1); Set(t, Opcode.MULMOD, Mid, 3, 1); Set(t, Opcode.EXP, High, 2, 1);
        Set(t, Opcode.SIGNEXTEND, Low, 2, 1);
        foreach (var op in new[] { Opcode.LT, Opcode.GT, Opcode.SLT, Opcode.SGT, Opcode.EQ, Opcode.AND, Opcode.OR, Opcode.XOR, Opcode.BYTE })
            Set(t, op, VeryLow, 2, 1);
        Set(t, Opcode.ISZERO, VeryLow, 1, 1); Set(t, Opcode.NOT, VeryLow, 1, 1);
        Set(t, Opcode.KECCAK256, 30, 2, 1);
        Set(t, Opcode.ADDRESS, Base, 0, 1); Set(t, Opcode.BALANCE, 20, 1, 1); Set(t, Opcode.ORIGIN, Base, 0, 1);
        Set(t, Opcode.CALLER, Base, 0, 1); Set(t, Opcode.CALLVALUE, Base, 0, 1); Set(t, Opcode.CALLDATALOAD, VeryLow, 1, 1);
        Set(t, Opcode.CALLDATASIZE, Base, 0, 1); Set(t, Opcode.CALLDATACOPY, VeryLow, 3, 0); Set(t, Opcode.CODESIZE, Base, 0, 1);
        Set(t, Opcode.CODECOPY, VeryLow, 3, 0); Set(t, Opcode.GASPRICE, Base, 0, 1); Set(t, Opcode.EXTCODESIZE, 20, 1, 1);
        Set(t, Opcode.EXTCODECOPY, 20, 4, 0);
        Set(t, Opcode.BLOCKHASH, 20, 1, 1); Set(t, Opcode.COINBASE, Base, 0, 1); Set(t, Opcode.TIMESTAMP, Base, 0, 1);
        Set(t, Opcode.NUMBER, Base, 0, 1); Set(t, Opcode.PREVRANDAO, Base, 0, 1); Set(t, Opcode.GASLIMIT, Base, 0, 1);
        Set(t, Opcode.POP, Base, 1, 0); Set(t, Opcode.MLOAD, VeryLow, 1, 1); Set(t, Opcode.MSTORE, VeryLow, 2, 0);
        Set(t, Opcode.MSTORE8, VeryLow, 2, 0); Set(t, Opcode.SLOAD, 50, 1, 1); Set(t, Opcode.SSTORE, Zero, 2, 0);
        Set(t, Opcode.JUMP, Mid, 1, 0); Set(t, Opcode.JUMPI, High, 2, 0); Set(t, Opcode.PC, Base, 0, 1);
        Set(t, Opcode.MSIZE, Base, 0, 1); Set(t, Opcode.GAS, Base, 0, 1); Set(t, Opcode.JUMPDEST, 1, 0, 0);
        for (int i = 0; i < 32; i++) Set(t, (Opcode)((int)Opcode.PUSH1 + i), VeryLow, 0, 1);
        for (int i = 0; i < 16; i++) Set(t, (Opcode)((int)Opcode.DUP1 + i), VeryLow, i + 1, i + 2);
        for (int i = 0; i < 16; i++) Set(t, (Opcode)((int)Opcode.SWAP1 + i), VeryLow, i + 2, i + 2);
        for (int i = 0; i <= 4; i++) Set(t, (Opcode)((int)Opcode.LOG0 + i), 375 + 375 * i, 2 + i, 0);
        Set(t, Opcode.CREATE, 32000, 3, 1); Set(t, Opcode.CALL, 40, 7, 1); Set(t, Opcode.CALLCODE, 40, 7, 1);
        Set(t, Opcode.RETURN, Zero, 2, 0); Set(t, Opcode.SELFDESTRUCT, Zero, 1, 0);
        return t;
    }

    private static void Homestead(OpcodeInfo[] t) => Set(t, Opcode.DELEGATECALL, 40, 6, 1);   // EIP-7

    // EIP-150: IO-heavy opcodes repriced.
    private static void Eip150(OpcodeInfo[] t)
    {
        Reprice(t, Opcode.BALANCE, 400);
        Reprice(t, Opcode.EXTCODESIZE, 700);
        Reprice(t, Opcode.EXTCODECOPY, 700);
        Reprice(t, Opcode.SLOAD, 200);
        Reprice(t, Opcode.CALL, 700);
        Reprice(t, Opcode.CALLCODE, 700);
        Reprice(t, Opcode.DELEGATECALL, 700);
        Reprice(t, Opcode.SELFDESTRUCT, 5000);
    }

    private static void Byzantium(OpcodeInfo[] t)
    {
        Set(t, Opcode.RETURNDATASIZE, Base, 0, 1);    // EIP-211
        Set(t, Opcode.RETURNDATACOPY, VeryLow, 3, 0);
        Set(t, Opcode.STATICCALL, 700, 6, 1);         // EIP-214
        Set(t, Opcode.REVERT, Zero, 2, 0);            // EIP-140
    }

    private static void Constantinople(OpcodeInfo[] t)
    {
        Set(t, Opcode.SHL, VeryLow, 2, 1); Set(t, Opcode.SHR, VeryLow, 2, 1); Set(t, Opcode.SAR, VeryLow, 2, 1);  // EIP-145
        Set(t, Opcode.EXTCODEHASH, 400, 1, 1);        // EIP-1052
        Set(t, Opcode.CREATE2, 32000, 4, 1);          // EIP-1014
    }

    private static void Istanbul(OpcodeInfo[] t)
    {
        Set(t, Opcode.CHAINID, Base, 0, 1);           // EIP-1344
        Set(t, Opcode.SELFBALANCE, Low, 0, 1);        // EIP-1884
        Reprice(t, Opcode.BALANCE, 700);
        Reprice(t, Opcode.EXTCODEHASH, 700);
        Reprice(t, Opcode.SLOAD, 800);
    }

    // EIP-2929: account and slot access is charged dynamically (warm 100, cold 2600 / 2100); the constant part is
    // the warm cost, except SLOAD whose whole cost is dynamic.
    private static void Eip2929(OpcodeInfo[] t)
    {
        foreach (var op in new[] { Opcode.BALANCE, Opcode.EXTCODESIZE, Opcode.EXTCODECOPY, Opcode.EXTCODEHASH,
                     Opcode.CALL, Opcode.CALLCODE, Opcode.DELEGATECALL, Opcode.STATICCALL })
            Reprice(t, op, WarmStorageReadCost);
        Reprice(t, Opcode.SLOAD, 0);
    }

    private static void Cancun(OpcodeInfo[] t)
    {
        Set(t, Opcode.TLOAD, WarmStorageReadCost, 1, 1);   // EIP-1153
        Set(t, Opcode.TSTORE, WarmStorageReadCost, 2, 0);
        Set(t, Opcode.MCOPY, VeryLow, 3, 0);               // EIP-5656
        Set(t, Opcode.BLOBHASH, VeryLow, 1, 1);            // EIP-4844
        Set(t, Opcode.BLOBBASEFEE, Base, 0, 1);            // EIP-7516
    }

    /// <summary>Rejects a table whose entries cannot be right (undefined with traits, negative gas, impossible stack).</summary>
    public static void Validate(OpcodeInfo[] table)
    {
        if (table.Length != 256) throw new InvalidOperationException("opcode table must have 256 entries");
        for (int i = 0; i < 256; i++)
        {
            var e = table[i];
            if (!e.Defined && (e.ConstantGas != 0 || e.StackIn != 0 || e.StackGrowth != 0))
                throw new InvalidOperationException($"undefined opcode 0x{i:x2} has traits");
            if (e.ConstantGas < 0 || e.StackIn < 0 || e.StackIn > 17 || e.StackGrowth > 1)
                throw new InvalidOperationException($"opcode 0x{i:x2} has impossible traits");
        }
    }
}
