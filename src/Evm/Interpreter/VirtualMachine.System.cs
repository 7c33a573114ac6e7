using BeamSync.Core;

namespace BeamSync.Evm;

public sealed partial class VirtualMachine
{
    private const long CallValueTransferGas = 9000;
    private const long CallNewAccountGas = 25000;
    private const long InitCodeWordGas = 2;      // EIP-3860
    private const long Create2HashWordGas = 6;   // EIP-1014

    private EvmStatus CallOp(CallFrame f, ref long gas, int sp, Opcode op)
    {
        var s = f.Stack;
        bool hasValue = op is Opcode.CALL or Opcode.CALLCODE;
        var gasArg = s[sp - 1];
        var target = WordToAddress(in s[sp - 2]);
        int i = sp - 3;
        var value = hasValue ? s[i--] : UInt256.Zero;
        var inOffset = s[i]; var inLength = s[i - 1]; var outOffset = s[i - 2]; var outLength = s[i - 3];
        int resultIndex = sp - (hasValue ? 7 : 6);   // the caller moves sp by the opcode table's stack growth

        if (op == Opcode.CALL && f.IsStatic && !value.IsZero) return EvmStatus.StaticModeViolation;
        if (!ChargeAccountAccess(target, ref gas)) return EvmStatus.OutOfGas;
        // EIP-7702: a delegated target runs its delegate's code; reaching the delegate is a second account access.
        var codeAddress = target;
        bool delegated = false;
        if (_spec.IsPrague && CodeOf(target) is { IsDelegation: true } designator)
        {
            codeAddress = designator.DelegationTarget;
            delegated = true;
            if ((gas -= _state.WarmAccount(codeAddress) ? ColdAccountAccessCost : OpcodeTable.WarmStorageReadCost) < 0)
                return EvmStatus.OutOfGas;
        }
        if (!ChargeMemory(f, ref gas, in inOffset, in inLength) || !ChargeMemory(f, ref gas, in outOffset, in outLength))
            return EvmStatus.OutOfGas;
        long extra = 0;
        if (!value.IsZero) extra += CallValueTransferGas;
        if (op == Opcode.CALL && (_spec.IsSpuriousDragon ? !value.IsZero && _state.IsDead(target) : !_state.Exists(target)))
            extra += CallNewAccountGas;
        if ((gas -= extra) < 0) return EvmStatus.OutOfGas;

        long callGas;
        if (_spec.IsTangerineWhistle)
        {
            long cap = gas - gas / 64;   // EIP-150: all but one 64th
            callGas = gasArg.IsUInt64 && gasArg.U0 < (ulong)cap ? (long)gasArg.U0 : cap;
        }
        else
        {
            if (!gasArg.IsUInt64 || gasArg.U0 > (ulong)gas) return EvmStatus.OutOfGas;
            callGas = (long)gasArg.U0;
        }
        gas -= callGas;
        if (!value.IsZero) callGas += CallStipend;

        var input = inLength.IsZero ? [] : f.Memory.Slice(inOffset.U0, inLength.U0).ToArray();
        var result = op switch
        {
            Opcode.CALL => Call(CallKind.Call, f.Address, target, codeAddress, value, input, callGas, f.IsStatic, f.Depth + 1, delegated),
            Opcode.CALLCODE => Call(CallKind.CallCode, f.Address, f.Address, codeAddress, value, input, callGas, f.IsStatic, f.Depth + 1, delegated),
            Opcode.DELEGATECALL => Call(CallKind.DelegateCall, f.Caller, f.Address, codeAddress, f.Value, input, callGas, f.IsStatic, f.Depth + 1, delegated),
            _ => Call(CallKind.StaticCall, f.Address, target, codeAddress, UInt256.Zero, input, callGas, true, f.Depth + 1, delegated),
        };
        gas += result.GasLeft;
        f.ReturnData = result.Output;
        if (!outLength.IsZero && result.Output.Length > 0)
        {
            int n = (int)Math.Min(outLength.U0, (ulong)result.Output.Length);
            result.Output.AsSpan(0, n).CopyTo(f.Memory.Slice(outOffset.U0, (ulong)n));
        }
        s[resultIndex] = result.IsSuccess ? UInt256.One : UInt256.Zero;
        return EvmStatus.Success;
    }

    private EvmStatus CreateOp(CallFrame f, ref long gas, int sp, bool isCreate2)
    {
        if (f.IsStatic) return EvmStatus.StaticModeViolation;
        var s = f.Stack;
        var value = s[sp - 1];
        var offset = s[sp - 2];
        var length = s[sp - 3];
        var salt = isCreate2 ? s[sp - 4] : UInt256.Zero;
        int resultIndex = sp - (isCreate2 ? 4 : 3);   // the caller moves sp by the opcode table's stack growth

        if (!ChargeMemory(f, ref gas, in offset, in length)) return EvmStatus.OutOfGas;
        long words = Words(length.U0);
        if (_spec.IsShanghai)
        {
            if (length.U0 > (ulong)_spec.MaxInitCodeSize) return EvmStatus.OutOfGas;   // EIP-3860
            gas -= InitCodeWordGas * words;
        }
        if (isCreate2) gas -= Create2HashWordGas * words;
        if (gas < 0) return EvmStatus.OutOfGas;

        var initCode = length.IsZero ? [] : f.Memory.Slice(offset.U0, length.U0).ToArray();
        long callGas = _spec.IsTangerineWhistle ? gas - gas / 64 : gas;
        gas -= callGas;
        var address = isCreate2
            ? Create2Address(f.Address, in salt, initCode)
            : CreateAddress(f.Address, _state.GetNonce(f.Address));

        var result = Create(f.Address, address, value, initCode, callGas, f.Depth + 1);
        gas += result.GasLeft;
        f.ReturnData = result.Status == EvmStatus.Revert ? result.Output : [];
        s[resultIndex] = result.IsSuccess ? AddressToWord(address) : UInt256.Zero;
        return EvmStatus.Success;
    }

    private EvmStatus SelfDestruct(CallFrame f, ref long gas, in UInt256 beneficiaryWord)
    {
        if (f.IsStatic) return EvmStatus.StaticModeViolation;
        var beneficiary = WordToAddress(in beneficiaryWord);
        if (_spec.IsBerlin && _state.WarmAccount(beneficiary)) gas -= ColdAccountAccessCost;
        var balance = _state.GetBalance(f.Address);
        if (_spec.IsTangerineWhistle &&
            (_spec.IsSpuriousDragon ? _state.IsDead(beneficiary) && !balance.IsZero : !_state.Exists(beneficiary)))
            gas -= CallNewAccountGas;
        if (gas < 0) return EvmStatus.OutOfGas;

        if (_spec.SelfDestructRefund > 0 && !_state.HasSelfDestructed(f.Address)) _state.AddRefund(_spec.SelfDestructRefund);
        _state.AddBalance(beneficiary, balance);
        if (!_spec.IsCancun || _state.IsCreatedInTransaction(f.Address))
            _state.MarkSelfDestructed(f.Address);   // zeroes the balance, burning it when the beneficiary is itself
        else
            _state.SubtractBalance(f.Address, balance);   // EIP-6780: only the balance moves
        return EvmStatus.Success;
    }
}
