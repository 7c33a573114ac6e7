using BeamSync.Core;

namespace BeamSync.Evm;

public sealed partial class VirtualMachine
{
    private const long SstoreSetGas = 20000;
    private const long SstoreLegacyResetGas = 5000;
    private const long SstoreLegacyClearRefund = 15000;
    /// <summary>EIP-2200: SSTORE fails when no more than the call stipend remains (reentrancy guard).</summary>
    private const long SstoreSentryGas = 2300;

    /// <summary>SSTORE metering and refunds by fork: legacy, EIP-1283 (Constantinople only), EIP-2200, EIP-2929, EIP-3529.</summary>
    private EvmStatus Sstore(CallFrame f, ref long gas, in UInt256 slot, in UInt256 value)
    {
        if (f.IsStatic) return EvmStatus.StaticModeViolation;
        if (_spec.IsIstanbul && gas <= SstoreSentryGas) return EvmStatus.OutOfGas;

        long cost = 0;
        if (_spec.IsBerlin && _state.WarmSlot(f.Address, slot)) cost += ColdSloadCost;
        var current = _state.GetStorage(f.Address, slot);

        bool netMetering = _spec.IsIstanbul || (_spec.IsConstantinople && !_spec.IsPetersburg);
        if (!netMetering)
        {
            if (current.IsZero && !value.IsZero) cost += SstoreSetGas;
            else cost += SstoreLegacyResetGas;
            if (!current.IsZero && value.IsZero) _state.AddRefund(SstoreLegacyClearRefund);
        }
        else
        {
            // "No-op" and "dirty" writes cost one warm read; a first write to a clean slot costs set or reset.
            long readGas = _spec.IsBerlin ? OpcodeTable.WarmStorageReadCost : _spec.IsIstanbul ? _spec.SloadGas : 200;
            long resetGas = _spec.IsBerlin ? SstoreLegacyResetGas - ColdSloadCost : SstoreLegacyResetGas;
            long clearRefund = _spec.SstoreClearRefund;
            var original = _state.GetOriginalStorage(f.Address, slot);
            if (current == value) cost += readGas;
            else if (original == current)
            {
                if (original.IsZero) cost += SstoreSetGas;
                else
                {
                    if (value.IsZero) _state.AddRefund(clearRefund);
                    cost += resetGas;
                }
            }
            else
            {
                cost += readGas;
                if (!original.IsZero)
                {
                    if (current.IsZero) _state.AddRefund(-clearRefund);
                    else if (value.IsZero) _state.AddRefund(clearRefund);
                }
                if (original == value)
                    _state.AddRefund(original.IsZero ? SstoreSetGas - readGas : resetGas - readGas);
            }
        }
        if ((gas -= cost) < 0) return EvmStatus.OutOfGas;
        _state.SetStorage(f.Address, slot, value);
        return EvmStatus.Success;
    }
}
