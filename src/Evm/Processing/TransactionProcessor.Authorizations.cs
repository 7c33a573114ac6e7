using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Evm;

public sealed partial class TransactionProcessor
{
    /// <summary>EIP-7702 PER_EMPTY_ACCOUNT_COST (charged up front per authorization) less PER_AUTH_BASE_COST.</summary>
    private const long ExistingAuthorityRefund = (long)IntrinsicGas.PerAuthorization - 12_500;

    /// <summary>
    /// EIP-7702: applies a set-code transaction's authorizations in order, after the sender's nonce is bumped and
    /// before the call. An authorization for another chain, with nonce 2^64-1, an unrecoverable signature, an
    /// authority that has non-delegation code or a nonce mismatch is skipped (the transaction stays valid). An
    /// accepted one writes <c>0xef0100 ‖ address</c> (or clears the code for the zero address), bumps the
    /// authority's nonce and refunds 12,500 when the authority already existed. Every recovered authority is
    /// warmed. None of this is undone when the call itself fails.
    /// </summary>
    private void ApplyAuthorizations(Authorization[] authorizations)
    {
        foreach (var auth in authorizations)
        {
            if (!auth.ChainId.IsZero && auth.ChainId != new UInt256(block.ChainId)) continue;
            if (auth.Nonce == ulong.MaxValue) continue;
            if (!auth.TryRecoverAuthority(out var authority)) continue;
            state.WarmAccount(authority);
            var code = state.GetCode(authority);
            if (code.Length != 0 && !Delegation.TryGetTarget(code, out _)) continue;
            if (state.GetNonce(authority) != auth.Nonce) continue;
            if (state.Exists(authority)) state.AddRefund(ExistingAuthorityRefund);
            state.SetCode(authority, auth.Address == Address.Zero ? [] : Delegation.Designator(auth.Address));
            state.SetNonce(authority, auth.Nonce + 1);
        }
    }
}
