using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Evm;
using static BeamSync.Evm.Opcode;

namespace BeamSync.Node.Devnet;

/// <summary>The kinds of contract a devnet state holds.</summary>
public enum DevnetContractKind
{
    /// <summary>An ERC-20 token: <c>transfer</c> and <c>balanceOf</c>, balances in storage.</summary>
    Token,
    /// <summary>A call that reads and writes a run of consecutive slots.</summary>
    SlotWriter,
    /// <summary>A call that reverts on odd inputs and writes two slots on even ones.</summary>
    Reverter,
}

/// <summary>
/// The devnet's contracts, assembled here (see each program's listing). They are deliberately small: each exists to
/// make blocks read and write state the way real traffic does. Immutable; thread-safe.
/// </summary>
public static class DevnetContracts
{
    /// <summary>The opcode enum names only DUP1 and DUP16.</summary>
    private const Opcode DUP2 = DUP1 + 1;

    /// <summary><c>transfer(address,uint256)</c> and <c>balanceOf(address)</c> selectors.</summary>
    public const uint TransferSelector = 0xa9059cbb, BalanceOfSelector = 0x70a08231;

    /// <summary>keccak256("Transfer(address,address,uint256)"): the ERC-20 event topic.</summary>
    public static readonly Hash256 TransferTopic = Keccak256.Hash("Transfer(address,address,uint256)"u8);

    /// <summary>
    /// ERC-20 runtime. The balance of an address lives in the slot whose key is the address as a 32-byte word (not
    /// Solidity's hashed mapping layout: a generated state can then place balances without hashing).
    /// <code>
    /// selector = calldata[0..4]
    /// transfer(to, amount): if balance[caller] &lt; amount revert; balance[caller] -= amount; balance[to] += amount;
    ///                       LOG3(amount, Transfer, caller, to); return true
    /// balanceOf(who):       return balance[who]
    /// anything else:        revert
    /// </code>
    /// </summary>
    public static readonly byte[] Token = new BytecodeAssembler()
        .Push(0).Op(CALLDATALOAD).Push(0xe0).Op(SHR)                        // [selector]
        .Op(DUP1).Push(TransferSelector).Op(EQ).PushLabel("transfer").Op(JUMPI)
        .Push(BalanceOfSelector).Op(EQ).PushLabel("balanceOf").Op(JUMPI)
        .Push(0).Push(0).Op(REVERT)
        .Label("balanceOf")
        .Push(4).Op(CALLDATALOAD, SLOAD).Push(0).Op(MSTORE).Push(32).Push(0).Op(RETURN)
        .Label("transfer").Op(POP)
        .Push(0x24).Op(CALLDATALOAD)                                         // [amount]
        .Op(CALLER, SLOAD)                                                   // [from balance, amount]
        .Op(DUP2, DUP2, LT).PushLabel("insufficient").Op(JUMPI)
        .Op(DUP2, SWAP1, SUB, CALLER, SSTORE)                                // balance[caller] -= amount; [amount]
        .Op(DUP1).Push(4).Op(CALLDATALOAD, SLOAD, ADD).Push(4).Op(CALLDATALOAD, SSTORE) // balance[to] += amount
        .Push(0).Op(MSTORE)                                                  // memory[0] = amount
        .Push(4).Op(CALLDATALOAD, CALLER).Push(TransferTopic.Bytes).Push(32).Push(0).Op(LOG3)
        .Push(1).Push(0).Op(MSTORE).Push(32).Push(0).Op(RETURN)
        .Label("insufficient").Push(0).Push(0).Op(REVERT)
        .Build();

    /// <summary>
    /// Slot writer runtime: calldata <c>(start, count)</c> as two words; for each i in [start, start + count) it
    /// reads slot i and writes slot i + 1 back (a cold read and a write per slot).
    /// </summary>
    public static readonly byte[] SlotWriter = new BytecodeAssembler()
        .Push(0).Op(CALLDATALOAD)                                            // [i = start]
        .Op(DUP1).Push(32).Op(CALLDATALOAD, ADD, SWAP1)                      // [i, end]
        .Label("loop")
        .Op(DUP2, DUP2, LT, ISZERO).PushLabel("done").Op(JUMPI)              // while i < end
        .Op(DUP1, SLOAD).Push(1).Op(ADD, DUP2, SSTORE)                       // slot[i] += 1
        .Push(1).Op(ADD).PushLabel("loop").Op(JUMP)
        .Label("done").Op(STOP)
        .Build();

    /// <summary>
    /// Reverter runtime: calldata word x. Odd x reverts with x as the revert data; even x stores x in slot 0 and
    /// counts the call in slot 1.
    /// </summary>
    public static readonly byte[] Reverter = new BytecodeAssembler()
        .Push(0).Op(CALLDATALOAD)                                            // [x]
        .Op(DUP1).Push(1).Op(AND).PushLabel("revert").Op(JUMPI)
        .Push(0).Op(SSTORE)                                                  // slot[0] = x
        .Push(1).Op(SLOAD).Push(1).Op(ADD).Push(1).Op(SSTORE)                // slot[1] += 1
        .Op(STOP)
        .Label("revert").Push(0).Op(MSTORE).Push(32).Push(0).Op(REVERT)
        .Build();

    public static byte[] RuntimeOf(DevnetContractKind kind) => kind switch
    {
        DevnetContractKind.Token => Token,
        DevnetContractKind.SlotWriter => SlotWriter,
        _ => Reverter,
    };

    /// <summary>Creation code that deploys <paramref name="runtime"/> as is: CODECOPY the tail of this code, RETURN it.</summary>
    public static byte[] InitCodeFor(byte[] runtime)
    {
        // Two passes: the prefix's own length is the offset it copies from (one byte for any prefix this short).
        static byte[] Prefix(int runtimeLength, int offset) => new BytecodeAssembler()
            .Push((ulong)runtimeLength).Op(DUP1).Push((ulong)offset).Push(0).Op(CODECOPY).Push(0).Op(RETURN)
            .Build();
        var prefix = Prefix(runtime.Length, byte.MaxValue);
        prefix = Prefix(runtime.Length, prefix.Length);
        return [.. prefix, .. runtime];
    }

    /// <summary>Calldata of <c>transfer(to, amount)</c>.</summary>
    public static byte[] TransferCall(Address to, in UInt256 amount)
    {
        var data = new byte[4 + 64];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data, TransferSelector);
        to.Bytes.CopyTo(data.AsSpan(4 + 12));
        amount.ToBigEndian(data.AsSpan(36, 32));
        return data;
    }

    /// <summary>Calldata of a slot writer call over [start, start + count).</summary>
    public static byte[] SlotWriterCall(ulong start, ulong count)
    {
        var data = new byte[64];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(24), start);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(56), count);
        return data;
    }

    /// <summary>Calldata of a reverter call with x (odd reverts).</summary>
    public static byte[] ReverterCall(ulong x)
    {
        var data = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(24), x);
        return data;
    }

    /// <summary>The storage key of an address's token balance: the address as a word.</summary>
    public static UInt256 BalanceSlot(Address holder)
    {
        Span<byte> word = stackalloc byte[32];
        holder.Bytes.CopyTo(word[12..]);
        return new UInt256(word);
    }
}
