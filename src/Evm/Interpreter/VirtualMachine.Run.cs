using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Evm;

public sealed partial class VirtualMachine
{
    /// <summary>
    /// The interpreter loop: one frame's code until it halts. Stack bounds, definedness and constant gas come from the
    /// fork's opcode table before each handler; handlers charge only their dynamic gas. Exceptional halts leave
    /// <see cref="CallFrame.Gas"/> at zero; no exception is thrown on any path through the loop.
    /// </summary>
    [SkipLocalsInit]
    private EvmStatus Run(CallFrame f)
    {
        // Unchecked element access: the opcode table's stack checks run before every handler, the code is padded so
        // a read past its end meets zeros (PUSH data) or STOP, and jumps land only on analysed JUMPDESTs.
        ref OpcodeCheck checks = ref MemoryMarshal.GetArrayDataReference(_spec.OpcodeChecks);
        // The next code byte, as a reference rather than an index: no index arithmetic per instruction, and the start
        // of the code need not stay live across the loop (the few opcodes that need it, jumps and PC, derive it again),
        // which leaves the registers to the stack, its height and the gas.
        ref byte ip = ref CodeStart(f);
        ref UInt256 stack = ref MemoryMarshal.GetArrayDataReference(f.Stack);
        int sp = 0;
        // gas and sp never have their address taken (helpers that are not inlined get f.Gas and sp by value), so the
        // JIT keeps them in registers.
        long gas = f.Gas;
        EvmStatus status;

        while (true)
        {
            byte op = ip;
            ref readonly OpcodeCheck check = ref Unsafe.Add(ref checks, op);
            if (!check.Admits(sp)) { status = RejectionOf(op, sp); goto Fail; }
            if ((gas -= check.ConstantGas) < 0) { status = EvmStatus.OutOfGas; goto Fail; }
            ip = ref Unsafe.Add(ref ip, 1);

            // Constant case labels only (no ranges), so the compiler emits one jump table rather than a comparison tree.
            switch ((Opcode)op)
            {
                case Opcode.STOP:
                    f.Output = [];
                    status = EvmStatus.Success;
                    goto Done;
                case Opcode.ADD: { UInt256.Add(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.MUL: { UInt256.Multiply(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.SUB: { UInt256.Subtract(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.DIV: { UInt256.Divide(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.SDIV: { UInt256.SignedDivide(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.MOD: { UInt256.Mod(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.SMOD: { UInt256.SignedMod(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.ADDMOD: { UInt256.AddMod(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), in Unsafe.Add(ref stack, sp - 3), out var r); Unsafe.Add(ref stack, sp - 3) = r; sp -= 2; break; }
                case Opcode.MULMOD: { UInt256.MultiplyMod(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), in Unsafe.Add(ref stack, sp - 3), out var r); Unsafe.Add(ref stack, sp - 3) = r; sp -= 2; break; }
                case Opcode.EXP:
                {
                    if ((gas -= _spec.ExpByteGas * Unsafe.Add(ref stack, sp - 2).ByteLength) < 0) { status = EvmStatus.OutOfGas; goto Fail; }
                    UInt256.Exp(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--;
                    break;
                }
                case Opcode.SIGNEXTEND: { UInt256.SignExtend(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.LT: Unsafe.Add(ref stack, sp - 2) = Unsafe.Add(ref stack, sp - 1) < Unsafe.Add(ref stack, sp - 2) ? UInt256.One : UInt256.Zero; sp--; break;
                case Opcode.GT: Unsafe.Add(ref stack, sp - 2) = Unsafe.Add(ref stack, sp - 1) > Unsafe.Add(ref stack, sp - 2) ? UInt256.One : UInt256.Zero; sp--; break;
                case Opcode.SLT: Unsafe.Add(ref stack, sp - 2) = UInt256.SignedCompare(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2)) < 0 ? UInt256.One : UInt256.Zero; sp--; break;
                case Opcode.SGT: Unsafe.Add(ref stack, sp - 2) = UInt256.SignedCompare(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2)) > 0 ? UInt256.One : UInt256.Zero; sp--; break;
                case Opcode.EQ: Unsafe.Add(ref stack, sp - 2) = Unsafe.Add(ref stack, sp - 1) == Unsafe.Add(ref stack, sp - 2) ? UInt256.One : UInt256.Zero; sp--; break;
                case Opcode.ISZERO: Unsafe.Add(ref stack, sp - 1) = Unsafe.Add(ref stack, sp - 1).IsZero ? UInt256.One : UInt256.Zero; break;
                case Opcode.AND: { UInt256.And(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.OR: { UInt256.Or(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.XOR: { UInt256.Xor(in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.NOT: { UInt256.Not(in Unsafe.Add(ref stack, sp - 1), out var r); Unsafe.Add(ref stack, sp - 1) = r; break; }
                case Opcode.BYTE:
                {
                    ref readonly var i = ref Unsafe.Add(ref stack, sp - 1);
                    Unsafe.Add(ref stack, sp - 2) = i.IsUInt64 && i.U0 < 32 ? new UInt256(Unsafe.Add(ref stack, sp - 2).GetByteFromMostSignificant((int)i.U0)) : UInt256.Zero;
                    sp--;
                    break;
                }
                case Opcode.SHL: { UInt256.ShiftLeft(in Unsafe.Add(ref stack, sp - 2), ShiftAmount(in Unsafe.Add(ref stack, sp - 1)), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.SHR: { UInt256.ShiftRight(in Unsafe.Add(ref stack, sp - 2), ShiftAmount(in Unsafe.Add(ref stack, sp - 1)), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.SAR: { UInt256.ArithmeticShiftRight(in Unsafe.Add(ref stack, sp - 2), ShiftAmount(in Unsafe.Add(ref stack, sp - 1)), out var r); Unsafe.Add(ref stack, sp - 2) = r; sp--; break; }
                case Opcode.CLZ: Unsafe.Add(ref stack, sp - 1) = new UInt256((ulong)Unsafe.Add(ref stack, sp - 1).LeadingZeroCount); break;
                case Opcode.KECCAK256:
                {
                    ref readonly var offset = ref Unsafe.Add(ref stack, sp - 1);
                    ref readonly var length = ref Unsafe.Add(ref stack, sp - 2);
                    if (!ChargeMemory(f, ref gas, in offset, in length) || (gas -= 6 * Words(length.U0)) < 0) { status = EvmStatus.OutOfGas; goto Fail; }
                    var hash = Keccak256.Hash(length.IsZero ? ReadOnlySpan<byte>.Empty : f.Memory.Slice(offset.U0, length.U0));
                    Unsafe.Add(ref stack, sp - 2) = UInt256.FromHash(hash);
                    sp--;
                    break;
                }
                case Opcode.ADDRESS: Unsafe.Add(ref stack, sp++) = AddressToWord(f.Address); break;
                case Opcode.BALANCE:
                {
                    var a = WordToAddress(in Unsafe.Add(ref stack, sp - 1));
                    if (!ChargeAccountAccess(a, ref gas)) { status = EvmStatus.OutOfGas; goto Fail; }
                    Unsafe.Add(ref stack, sp - 1) = _state.GetBalance(a);
                    break;
                }
                case Opcode.ORIGIN: Unsafe.Add(ref stack, sp++) = AddressToWord(_tx.Origin); break;
                case Opcode.CALLER: Unsafe.Add(ref stack, sp++) = AddressToWord(f.Caller); break;
                case Opcode.CALLVALUE: Unsafe.Add(ref stack, sp++) = f.Value; break;
                case Opcode.CALLDATALOAD: Unsafe.Add(ref stack, sp - 1) = LoadWord(f.Input, in Unsafe.Add(ref stack, sp - 1)); break;
                case Opcode.CALLDATASIZE: Unsafe.Add(ref stack, sp++) = new UInt256((ulong)f.Input.Length); break;
                case Opcode.CALLDATACOPY:
                    f.Gas = gas;
                    if (!Copy(f, ref f.Gas, sp, f.Input)) { status = EvmStatus.OutOfGas; goto Fail; }
                    gas = f.Gas; sp -= 3;
                    break;
                case Opcode.CODESIZE: Unsafe.Add(ref stack, sp++) = new UInt256((ulong)f.Code.Length); break;
                case Opcode.CODECOPY:
                    f.Gas = gas;
                    if (!Copy(f, ref f.Gas, sp, f.Code.Code)) { status = EvmStatus.OutOfGas; goto Fail; }
                    gas = f.Gas; sp -= 3;
                    break;
                case Opcode.GASPRICE: Unsafe.Add(ref stack, sp++) = _tx.GasPrice; break;
                case Opcode.EXTCODESIZE:
                {
                    var a = WordToAddress(in Unsafe.Add(ref stack, sp - 1));
                    if (!ChargeAccountAccess(a, ref gas)) { status = EvmStatus.OutOfGas; goto Fail; }
                    Unsafe.Add(ref stack, sp - 1) = new UInt256((ulong)CodeOf(a).Length);
                    break;
                }
                case Opcode.EXTCODECOPY:
                {
                    var a = WordToAddress(in Unsafe.Add(ref stack, sp - 1));
                    if (!ChargeAccountAccess(a, ref gas)) { status = EvmStatus.OutOfGas; goto Fail; }
                    sp--;
                    f.Gas = gas;
                    if (!Copy(f, ref f.Gas, sp, CodeOf(a).Code)) { status = EvmStatus.OutOfGas; goto Fail; }
                    gas = f.Gas; sp -= 3;
                    break;
                }
                case Opcode.RETURNDATASIZE: Unsafe.Add(ref stack, sp++) = new UInt256((ulong)f.ReturnData.Length); break;
                case Opcode.RETURNDATACOPY:
                {
                    ref readonly var dataOffset = ref Unsafe.Add(ref stack, sp - 2);
                    ref readonly var length = ref Unsafe.Add(ref stack, sp - 3);
                    if (!dataOffset.IsUInt64 || !length.IsUInt64 || dataOffset.U0 + length.U0 < dataOffset.U0 ||
                        dataOffset.U0 + length.U0 > (ulong)f.ReturnData.Length)
                    { status = EvmStatus.ReturnDataOutOfBounds; goto Fail; }
                    f.Gas = gas;
                    if (!Copy(f, ref f.Gas, sp, f.ReturnData)) { status = EvmStatus.OutOfGas; goto Fail; }
                    gas = f.Gas; sp -= 3;
                    break;
                }
                case Opcode.EXTCODEHASH:
                {
                    var a = WordToAddress(in Unsafe.Add(ref stack, sp - 1));
                    if (!ChargeAccountAccess(a, ref gas)) { status = EvmStatus.OutOfGas; goto Fail; }
                    Unsafe.Add(ref stack, sp - 1) = _state.IsDead(a) ? UInt256.Zero : UInt256.FromHash(_state.GetCodeHash(a));
                    break;
                }
                case Opcode.BLOCKHASH: Unsafe.Add(ref stack, sp - 1) = BlockHash(in Unsafe.Add(ref stack, sp - 1)); break;
                case Opcode.COINBASE: Unsafe.Add(ref stack, sp++) = AddressToWord(_block.Coinbase); break;
                case Opcode.TIMESTAMP: Unsafe.Add(ref stack, sp++) = new UInt256(_block.Timestamp); break;
                case Opcode.NUMBER: Unsafe.Add(ref stack, sp++) = new UInt256(_block.Number); break;
                case Opcode.PREVRANDAO: Unsafe.Add(ref stack, sp++) = _spec.IsParis ? UInt256.FromHash(_block.PrevRandao) : _block.Difficulty; break;
                case Opcode.GASLIMIT: Unsafe.Add(ref stack, sp++) = new UInt256(_block.GasLimit); break;
                case Opcode.CHAINID: Unsafe.Add(ref stack, sp++) = new UInt256(_block.ChainId); break;
                case Opcode.SELFBALANCE: Unsafe.Add(ref stack, sp++) = _state.GetBalance(f.Address); break;
                case Opcode.BASEFEE: Unsafe.Add(ref stack, sp++) = _block.BaseFee; break;
                case Opcode.BLOBHASH:
                {
                    ref readonly var i = ref Unsafe.Add(ref stack, sp - 1);
                    Unsafe.Add(ref stack, sp - 1) = i.IsUInt64 && i.U0 < (ulong)_tx.BlobHashes.Length ? UInt256.FromHash(_tx.BlobHashes[i.U0]) : UInt256.Zero;
                    break;
                }
                case Opcode.BLOBBASEFEE: Unsafe.Add(ref stack, sp++) = _block.BlobBaseFee; break;
                case Opcode.POP: sp--; break;
                case Opcode.MLOAD:
                {
                    ref var offset = ref Unsafe.Add(ref stack, sp - 1);
                    // Memory that already covers the word costs nothing more: no expansion arithmetic then.
                    if (!f.Memory.Covers(in offset, 32) && !ChargeMemory(f, ref gas, in offset, 32)) { status = EvmStatus.OutOfGas; goto Fail; }
                    offset = LoadBigEndianWord(ref f.Memory.At(offset.U0));
                    break;
                }
                case Opcode.MSTORE:
                {
                    ref readonly var offset = ref Unsafe.Add(ref stack, sp - 1);
                    if (!f.Memory.Covers(in offset, 32) && !ChargeMemory(f, ref gas, in offset, 32)) { status = EvmStatus.OutOfGas; goto Fail; }
                    StoreBigEndianWord(in Unsafe.Add(ref stack, sp - 2), ref f.Memory.At(offset.U0));
                    sp -= 2;
                    break;
                }
                case Opcode.MSTORE8:
                {
                    ref readonly var offset = ref Unsafe.Add(ref stack, sp - 1);
                    if (!ChargeMemory(f, ref gas, in offset, 1)) { status = EvmStatus.OutOfGas; goto Fail; }
                    f.Memory.Slice(offset.U0, 1)[0] = (byte)Unsafe.Add(ref stack, sp - 2).U0;
                    sp -= 2;
                    break;
                }
                case Opcode.SLOAD:
                {
                    var slot = Unsafe.Add(ref stack, sp - 1);
                    if (_spec.IsBerlin && (gas -= _state.WarmSlot(f.Address, slot) ? ColdSloadCost : OpcodeTable.WarmStorageReadCost) < 0)
                    { status = EvmStatus.OutOfGas; goto Fail; }
                    Unsafe.Add(ref stack, sp - 1) = _state.GetStorage(f.Address, slot);
                    break;
                }
                case Opcode.SSTORE:
                    f.Gas = gas;
                    status = Sstore(f, ref f.Gas, in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2));
                    gas = f.Gas;
                    if (status != EvmStatus.Success) goto Fail;
                    sp -= 2;
                    break;
                case Opcode.JUMP:
                {
                    ref readonly var dest = ref Unsafe.Add(ref stack, sp - 1);
                    if (!dest.IsUInt64 || !f.Code.IsJumpDest(dest.U0)) { status = EvmStatus.BadJumpDestination; goto Fail; }
                    ip = ref Unsafe.Add(ref CodeStart(f), (nint)dest.U0);
                    sp--;
                    break;
                }
                case Opcode.JUMPI:
                {
                    if (!Unsafe.Add(ref stack, sp - 2).IsZero)
                    {
                        ref readonly var dest = ref Unsafe.Add(ref stack, sp - 1);
                        if (!dest.IsUInt64 || !f.Code.IsJumpDest(dest.U0)) { status = EvmStatus.BadJumpDestination; goto Fail; }
                        ip = ref Unsafe.Add(ref CodeStart(f), (nint)dest.U0);
                    }
                    sp -= 2;
                    break;
                }
                case Opcode.PC: Unsafe.Add(ref stack, sp++) = new UInt256((ulong)Unsafe.ByteOffset(ref CodeStart(f), ref ip) - 1); break;
                case Opcode.MSIZE: Unsafe.Add(ref stack, sp++) = new UInt256(f.Memory.Size); break;
                case Opcode.GAS: Unsafe.Add(ref stack, sp++) = new UInt256((ulong)gas); break;
                case Opcode.JUMPDEST: break;
                case Opcode.TLOAD: Unsafe.Add(ref stack, sp - 1) = _state.GetTransientStorage(f.Address, in Unsafe.Add(ref stack, sp - 1)); break;
                case Opcode.TSTORE:
                    if (f.IsStatic) { status = EvmStatus.StaticModeViolation; goto Fail; }
                    _state.SetTransientStorage(f.Address, in Unsafe.Add(ref stack, sp - 1), in Unsafe.Add(ref stack, sp - 2));
                    sp -= 2;
                    break;
                case Opcode.MCOPY:
                    f.Gas = gas;
                    if (!MemoryCopy(f, ref f.Gas, sp)) { status = EvmStatus.OutOfGas; goto Fail; }
                    gas = f.Gas; sp -= 3;
                    break;
                case Opcode.PUSH0: Unsafe.Add(ref stack, sp++) = UInt256.Zero; break;
                case Opcode.PUSH1: Unsafe.Add(ref stack, sp++) = new UInt256(ip); ip = ref Unsafe.Add(ref ip, 1); break;
                case Opcode.PUSH1 + 1: case Opcode.PUSH1 + 2: case Opcode.PUSH1 + 3: case Opcode.PUSH1 + 4:
                case Opcode.PUSH1 + 5: case Opcode.PUSH1 + 6: case Opcode.PUSH1 + 7:
                {
                    int n = op - (byte)Opcode.PUSH1 + 1;
                    // Eight bytes from ip are always inside the padded code; the bytes past the push data shift out.
                    ulong word = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref ip));
                    Unsafe.Add(ref stack, sp++) = new UInt256(word >> (64 - 8 * n));
                    ip = ref Unsafe.Add(ref ip, n);
                    break;
                }
                case Opcode.PUSH1 + 8: case Opcode.PUSH1 + 9: case Opcode.PUSH1 + 10: case Opcode.PUSH1 + 11:
                case Opcode.PUSH1 + 12: case Opcode.PUSH1 + 13: case Opcode.PUSH1 + 14: case Opcode.PUSH1 + 15:
                case Opcode.PUSH1 + 16: case Opcode.PUSH1 + 17: case Opcode.PUSH1 + 18: case Opcode.PUSH1 + 19:
                case Opcode.PUSH1 + 20: case Opcode.PUSH1 + 21: case Opcode.PUSH1 + 22: case Opcode.PUSH1 + 23:
                case Opcode.PUSH1 + 24: case Opcode.PUSH1 + 25: case Opcode.PUSH1 + 26: case Opcode.PUSH1 + 27:
                case Opcode.PUSH1 + 28: case Opcode.PUSH1 + 29: case Opcode.PUSH1 + 30: case Opcode.PUSH32:
                {
                    int n = op - (byte)Opcode.PUSH1 + 1;
                    ip = ref Unsafe.Add(ref ip, n);
                    // The 32 bytes that end with the push data (the leading padding is there when they begin before
                    // the code), less what precedes the data.
                    var word = LoadBigEndianWord(ref Unsafe.Add(ref ip, -32));
                    UInt256.And(in word, in Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(PushMasks), n), out Unsafe.Add(ref stack, sp++));
                    break;
                }
                case Opcode.DUP1: case Opcode.DUP1 + 1: case Opcode.DUP1 + 2: case Opcode.DUP1 + 3:
                case Opcode.DUP1 + 4: case Opcode.DUP1 + 5: case Opcode.DUP1 + 6: case Opcode.DUP1 + 7:
                case Opcode.DUP1 + 8: case Opcode.DUP1 + 9: case Opcode.DUP1 + 10: case Opcode.DUP1 + 11:
                case Opcode.DUP1 + 12: case Opcode.DUP1 + 13: case Opcode.DUP1 + 14: case Opcode.DUP16:
                    Unsafe.Add(ref stack, sp) = Unsafe.Add(ref stack, sp - (op - (byte)Opcode.DUP1 + 1));
                    sp++;
                    break;
                case Opcode.SWAP1: case Opcode.SWAP1 + 1: case Opcode.SWAP1 + 2: case Opcode.SWAP1 + 3:
                case Opcode.SWAP1 + 4: case Opcode.SWAP1 + 5: case Opcode.SWAP1 + 6: case Opcode.SWAP1 + 7:
                case Opcode.SWAP1 + 8: case Opcode.SWAP1 + 9: case Opcode.SWAP1 + 10: case Opcode.SWAP1 + 11:
                case Opcode.SWAP1 + 12: case Opcode.SWAP1 + 13: case Opcode.SWAP1 + 14: case Opcode.SWAP16:
                {
                    // Through vector registers: a tuple swap of the structs goes through two stack-frame temporaries.
                    ref var top = ref Unsafe.As<UInt256, Vector256<ulong>>(ref Unsafe.Add(ref stack, sp - 1));
                    ref var other = ref Unsafe.As<UInt256, Vector256<ulong>>(ref Unsafe.Add(ref stack, sp - 2 - (op - (byte)Opcode.SWAP1)));
                    (top, other) = (other, top);
                    break;
                }
                case Opcode.LOG0: case Opcode.LOG0 + 1: case Opcode.LOG0 + 2: case Opcode.LOG0 + 3: case Opcode.LOG4:
                    f.Gas = gas;
                    status = Log(f, ref f.Gas, sp, op - (byte)Opcode.LOG0);
                    if (status != EvmStatus.Success) goto Fail;
                    gas = f.Gas; sp += StackGrowth(op);
                    break;
                case Opcode.CREATE:
                case Opcode.CREATE2:
                    f.Gas = gas;
                    status = CreateOp(f, ref f.Gas, sp, op == (byte)Opcode.CREATE2);
                    if (status != EvmStatus.Success) goto Fail;
                    gas = f.Gas; sp += StackGrowth(op);
                    break;
                case Opcode.CALL:
                case Opcode.CALLCODE:
                case Opcode.DELEGATECALL:
                case Opcode.STATICCALL:
                    f.Gas = gas;
                    status = CallOp(f, ref f.Gas, sp, (Opcode)op);
                    if (status != EvmStatus.Success) goto Fail;
                    gas = f.Gas; sp += StackGrowth(op);
                    break;
                case Opcode.RETURN:
                case Opcode.REVERT:
                {
                    ref readonly var offset = ref Unsafe.Add(ref stack, sp - 1);
                    ref readonly var length = ref Unsafe.Add(ref stack, sp - 2);
                    if (!ChargeMemory(f, ref gas, in offset, in length)) { status = EvmStatus.OutOfGas; goto Fail; }
                    f.Output = length.IsZero ? [] : f.Memory.Slice(offset.U0, length.U0).ToArray();
                    status = op == (byte)Opcode.RETURN ? EvmStatus.Success : EvmStatus.Revert;
                    goto Done;
                }
                case Opcode.SELFDESTRUCT:
                    f.Gas = gas;
                    status = SelfDestruct(f, ref f.Gas, in Unsafe.Add(ref stack, sp - 1));
                    gas = f.Gas;
                    if (status != EvmStatus.Success) goto Fail;
                    f.Output = [];
                    goto Done;
                default:
                    status = EvmStatus.InvalidOpcode;
                    goto Fail;
            }
        }

    Done:
        f.Gas = gas;
        return status;
    Fail:
        f.Gas = 0;
        f.Output = [];
        return status;
    }

    /// <summary>The first byte of the frame's code in its padded copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte CodeStart(CallFrame f) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(f.Code.Padded), AnalyzedCode.LeadingPadding);

    /// <summary>Why an opcode's check failed: undefined, stack underflow or stack overflow.</summary>
    private EvmStatus RejectionOf(byte op, int sp)
    {
        var info = _spec.Opcodes[op];
        return !info.Defined ? EvmStatus.InvalidOpcode : sp < info.StackIn ? EvmStatus.StackUnderflow : EvmStatus.StackOverflow;
    }

    /// <summary>
    /// The stack change of an opcode that calls out; read from the table after the call (not kept live across the
    /// loop, where it would cost a register every instruction).
    /// </summary>
    private int StackGrowth(byte op) => _spec.Opcodes[op].StackGrowth;

    /// <summary>For PUSHn (n bytes): the low n bytes set.</summary>
    private static readonly UInt256[] PushMasks = BuildPushMasks();

    private static UInt256[] BuildPushMasks()
    {
        var masks = new UInt256[33];
        Span<byte> bytes = stackalloc byte[32];
        for (int n = 0; n <= 32; n++)
        {
            bytes.Clear();
            bytes[(32 - n)..].Fill(0xff);
            masks[n] = new UInt256(bytes);
        }
        return masks;
    }

    private const long ColdSloadCost = 2100;          // EIP-2929
    private const long ColdAccountAccessCost = 2600;  // EIP-2929

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShiftAmount(in UInt256 shift) => shift.IsUInt64 && shift.U0 < 256 ? (int)shift.U0 : 256;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Words(ulong length) => (long)((length + 31) / 32);

    /// <summary>The 32 big-endian bytes at <paramref name="source"/>; the caller guarantees they are readable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 LoadBigEndianWord(ref byte source) => new(
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, 24))),
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, 16))),
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, 8))),
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref source)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBigEndianWord(in UInt256 value, ref byte destination)
    {
        Unsafe.WriteUnaligned(ref destination, BinaryPrimitives.ReverseEndianness(value.U3));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 8), BinaryPrimitives.ReverseEndianness(value.U2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 16), BinaryPrimitives.ReverseEndianness(value.U1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 24), BinaryPrimitives.ReverseEndianness(value.U0));
    }

    private static UInt256 AddressToWord(Address a)
    {
        Span<byte> word = stackalloc byte[32];
        word[..12].Clear();
        a.Bytes.CopyTo(word[12..]);
        return new UInt256(word);
    }

    private static Address WordToAddress(in UInt256 w)
    {
        Span<byte> word = stackalloc byte[32];
        w.ToBigEndian(word);
        return Address.FromWord(word);
    }

    private static UInt256 LoadWord(byte[] data, in UInt256 offset)
    {
        if (!offset.IsUInt64 || offset.U0 >= (ulong)data.Length) return UInt256.Zero;
        int start = (int)offset.U0;
        if (data.Length - start >= 32) return new UInt256(data.AsSpan(start, 32));
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        data.AsSpan(start).CopyTo(word);
        return new UInt256(word);
    }

    private UInt256 BlockHash(in UInt256 number)
    {
        ulong current = _block.Number;
        if (!number.IsUInt64 || number.U0 >= current || current - number.U0 > 256) return UInt256.Zero;
        return UInt256.FromHash(_block.GetBlockHash(number.U0));
    }

    /// <summary>EIP-2929 account access: warm 100 is in the table's constant gas; a cold account adds 2500.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ChargeAccountAccess(Address a, ref long gas)
    {
        if (!_spec.IsBerlin) return true;
        if (_state.WarmAccount(a)) gas -= ColdAccountAccessCost - OpcodeTable.WarmStorageReadCost;
        return gas >= 0;
    }

    /// <summary>Charges and performs memory expansion; false when out of gas.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ChargeMemory(CallFrame f, ref long gas, in UInt256 offset, in UInt256 length)
    {
        long cost = f.Memory.ExpansionCost(in offset, in length);
        if (cost == 0) return true;
        if ((gas -= cost) < 0) return false;
        f.Memory.Expand(offset.U0, length.U0);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ChargeMemory(CallFrame f, ref long gas, in UInt256 offset, ulong length)
    {
        var l = new UInt256(length);
        return ChargeMemory(f, ref gas, in offset, in l);
    }
}
