using BeamSync.Evm.Precompiles;
using BeamSync.Core;

namespace BeamSync.Evm;

public sealed partial class VirtualMachine
{
    /// <summary>
    /// A message call. <paramref name="address"/> is the account whose storage the code runs in, <paramref name="codeAddress"/>
    /// where the code comes from; <paramref name="value"/> moves from caller to address for <see cref="CallKind.Call"/>
    /// and is only the apparent CALLVALUE otherwise. Depth and balance failures return the gas untouched.
    /// </summary>
    public ExecutionResult Call(CallKind kind, Address caller, Address address, Address codeAddress, in UInt256 value,
        byte[] input, long gas, bool isStatic, int depth) =>
        Call(kind, caller, address, codeAddress, value, input, gas, isStatic, depth, delegated: false);

    /// <summary>
    /// A message call whose <paramref name="codeAddress"/> may have been reached through an EIP-7702 delegation
    /// (<paramref name="delegated"/>): the delegate's code then runs as ordinary code, even where the delegate is a
    /// precompile address (EIP-7702 disables precompiles for delegated calls).
    /// </summary>
    public ExecutionResult Call(CallKind kind, Address caller, Address address, Address codeAddress, in UInt256 value,
        byte[] input, long gas, bool isStatic, int depth, bool delegated)
    {
        if (depth > MaxCallDepth) return new ExecutionResult(EvmStatus.CallDepthExceeded, gas, []);
        if ((kind == CallKind.Call || kind == CallKind.CallCode) && !value.IsZero && _state.GetBalance(caller) < value)
            return new ExecutionResult(EvmStatus.InsufficientBalance, gas, []);

        int snapshot = _state.Snapshot();
        bool isPrecompile = !delegated && _spec.IsPrecompile(codeAddress);
        switch (kind)
        {
            case CallKind.Call:
                // EIP-161: a zero-value call to a missing account does not bring it into existence.
                if (!_state.Exists(address) && !isPrecompile && _spec.IsSpuriousDragon && value.IsZero)
                    return new ExecutionResult(EvmStatus.Success, gas, []);
                Transfer(caller, address, value);
                break;
            case CallKind.StaticCall:
                // A zero-value touch, as geth does, so EIP-161 treats the callee as touched.
                _state.AddBalance(address, UInt256.Zero);
                break;
        }

        ExecutionResult result;
        if (isPrecompile) result = RunPrecompile(codeAddress, input, gas);
        else
        {
            var code = CodeOf(codeAddress);
            if (code.Length == 0) return new ExecutionResult(EvmStatus.Success, gas, []);
            var frame = RentFrame(depth).Reset(address, caller, codeAddress, value, input, code, gas, isStatic, depth);
            var status = Run(frame);
            result = new ExecutionResult(status, frame.Gas, frame.Output);
        }
        if (!result.IsSuccess)
        {
            _state.Revert(snapshot);
            if (result.Status != EvmStatus.Revert) result = new ExecutionResult(result.Status, 0, []);
        }
        return result;
    }

    private ExecutionResult RunPrecompile(Address address, byte[] input, long gas)
    {
        // An address the fork counts as a precompile (warm, exists) whose contract we do not run yet fails the
        // call outright rather than pretending to succeed.
        var precompile = PrecompileSet.Get(address, _spec.Fork);
        if (precompile is null) return new ExecutionResult(EvmStatus.PrecompileFailure, 0, []);
        long cost = precompile.GasCost(input, _spec.Fork);
        if (cost < 0 || cost > gas) return new ExecutionResult(EvmStatus.OutOfGas, 0, []);
        if (!precompile.TryRun(input, _spec.Fork, out var output)) return new ExecutionResult(EvmStatus.PrecompileFailure, 0, []);
        return new ExecutionResult(EvmStatus.Success, gas - cost, output);
    }

    /// <summary>
    /// CREATE/CREATE2 from a running frame: checks depth, balance and nonce (failures return the gas), bumps the
    /// creator's nonce, then runs the init code at <paramref name="address"/>.
    /// </summary>
    public ExecutionResult Create(Address creator, Address address, in UInt256 value, byte[] initCode, long gas, int depth)
    {
        if (depth > MaxCallDepth) return new ExecutionResult(EvmStatus.CallDepthExceeded, gas, []);
        if (_state.GetBalance(creator) < value) return new ExecutionResult(EvmStatus.InsufficientBalance, gas, []);
        ulong nonce = _state.GetNonce(creator);
        if (nonce == ulong.MaxValue) return new ExecutionResult(EvmStatus.NonceOverflow, gas, []);   // EIP-2681
        _state.SetNonce(creator, nonce + 1);
        return CreateAt(creator, address, value, initCode, gas, depth);
    }

    /// <summary>A creation transaction's body: the sender's nonce is already bumped by the transaction processor.</summary>
    public ExecutionResult CreateAt(Address creator, Address address, in UInt256 value, byte[] initCode, long gas, int depth)
    {
        if (_spec.IsBerlin) _state.WarmAccount(address);
        if (_state.HasCollision(address)) return new ExecutionResult(EvmStatus.ContractCollision, 0, []);

        int snapshot = _state.Snapshot();
        _state.CreateAccount(address);
        if (_spec.IsSpuriousDragon) _state.SetNonce(address, 1);   // EIP-161
        Transfer(creator, address, value);

        var result = RunInitCode(creator, address, value, initCode, gas, depth);
        if (!result.IsSuccess)
        {
            _state.Revert(snapshot);
            if (result.Status != EvmStatus.Revert) result = result with { GasLeft = 0, Output = [] };
        }
        return result;
    }

    private ExecutionResult RunInitCode(Address creator, Address address, in UInt256 value, byte[] initCode, long gas, int depth)
    {
        if (initCode.Length == 0) return new ExecutionResult(EvmStatus.Success, gas, [], address);
        var frame = RentFrame(depth).Reset(address, creator, address, value, [], new AnalyzedCode(initCode), gas, false, depth);
        var status = Run(frame);
        if (status != EvmStatus.Success) return new ExecutionResult(status, frame.Gas, frame.Output);

        var code = frame.Output;
        long gasLeft = frame.Gas;
        if (code.Length > _spec.MaxCodeSize) return new ExecutionResult(EvmStatus.CodeSizeExceeded, 0, []);            // EIP-170
        if (_spec.IsLondon && code.Length > 0 && code[0] == 0xEF) return new ExecutionResult(EvmStatus.InvalidCodePrefix, 0, []); // EIP-3541
        long deposit = code.Length * CodeDepositGasPerByte;
        if (deposit > gasLeft)
        {
            // Frontier kept the account without code; Homestead (EIP-2) made it a failure.
            if (_spec.IsHomestead) return new ExecutionResult(EvmStatus.OutOfGas, 0, []);
            code = [];
        }
        else gasLeft -= deposit;
        _state.SetCode(address, code);
        return new ExecutionResult(EvmStatus.Success, gasLeft, [], address);
    }
}
