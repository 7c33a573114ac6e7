using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.State;

namespace BeamSync.Evm.Tests;

/// <summary>EIP-7702 through the transaction processor: authorizations, delegated execution and its gas.</summary>
public class SetCodeTransactionTests
{
    private static readonly byte[] AuthorityKey = Convert.FromHexString("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
    private static readonly Address Authority = Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(AuthorityKey));
    private static readonly Address Sender = Address.Parse("0x1000000000000000000000000000000000000001");
    private static readonly Address Delegate = Address.Parse("0x2000000000000000000000000000000000000002");
    private static readonly Address Caller = Address.Parse("0x3000000000000000000000000000000000000003");
    private const ulong ChainId = 1;

    // PUSH1 0x2a, PUSH1 0, SSTORE, STOP: writes 42 into slot 0 of whatever account runs it.
    private static readonly byte[] StoreCode = [0x60, 0x2a, 0x60, 0x00, 0x55, 0x00];

    private static Authorization Sign(Address target, ulong nonce, ulong chainId = ChainId)
    {
        var unsigned = new Authorization(new UInt256(chainId), target, nonce, 0, UInt256.One, UInt256.One);
        var (signature, recoveryId) = Secp256k1Curve.Sign(unsigned.SigningHash().Bytes, AuthorityKey);
        return new Authorization(new UInt256(chainId), target, nonce, recoveryId,
            new UInt256(signature.AsSpan(0, 32)), new UInt256(signature.AsSpan(32, 32)));
    }

    private static WorldState NewState()
    {
        var state = new WorldState(new TrieStateStore(new MemoryKeyValueStore()));
        state.AddBalance(Sender, new UInt256(1_000_000_000_000));
        state.SetCode(Delegate, StoreCode);
        state.FinalizeTransaction(true);
        return state;
    }

    private static TransactionResult Execute(WorldState state, Address to, Fork fork, params Authorization[] authorizations)
    {
        var block = new BlockContext(Address.Zero, 1, 1, 30_000_000, UInt256.One, UInt256.Zero, Hash256.Zero, ChainId, UInt256.One, _ => Hash256.Zero);
        var tx = new Transaction
        {
            Type = authorizations.Length > 0 ? TransactionType.SetCode : TransactionType.DynamicFee, ChainId = ChainId,
            Nonce = state.GetNonce(Sender), To = to, GasLimit = 200_000, MaxFeePerGas = UInt256.One,
            MaxPriorityFeePerGas = UInt256.Zero, AuthorizationList = authorizations,
        };
        return new TransactionProcessor(state, EvmSpec.For(fork), block).Execute(tx, Sender);
    }

    [Fact]
    public void Authorization_sets_the_designator_and_the_call_runs_the_delegate_in_the_authority()
    {
        var state = NewState();
        var result = Execute(state, Authority, Fork.Prague, Sign(Delegate, 0));
        Assert.True(result.IsValid, result.Error);
        Assert.True(result.Success);
        Assert.Equal(Delegation.Designator(Delegate), state.GetCode(Authority));
        Assert.Equal(1UL, state.GetNonce(Authority));
        Assert.Equal(new UInt256(42), state.GetStorage(Authority, UInt256.Zero));
        Assert.Equal(UInt256.Zero, state.GetStorage(Delegate, UInt256.Zero));
        // 21000 + 25000 per authorization; the delegate is warmed for free; cold SSTORE 22100 + 2 pushes. The
        // authority did not exist before, so no 12500 refund.
        Assert.Equal(21_000 + 25_000 + 6 + 22_100, result.GasUsed);
    }

    [Fact]
    public void Existing_authority_is_refunded_and_bad_authorizations_are_skipped()
    {
        var state = NewState();
        state.AddBalance(Authority, UInt256.One);
        state.FinalizeTransaction(true);
        var skipped = Execute(state, Sender, Fork.Prague, Sign(Delegate, 5), Sign(Delegate, 0, chainId: 7));
        Assert.True(skipped.IsValid, skipped.Error);
        Assert.Empty(state.GetCode(Authority));
        Assert.Equal(0UL, state.GetNonce(Authority));
        Assert.Equal(21_000 + 2 * 25_000, skipped.GasUsed);

        // Chain id 0 is valid on every chain; the existing authority earns 12,500 back, capped at a fifth of gas used.
        var applied = Execute(state, Sender, Fork.Prague, Sign(Delegate, 0, chainId: 0));
        Assert.Equal(Delegation.Designator(Delegate), state.GetCode(Authority));
        Assert.Equal(46_000 - 46_000 / 5, applied.GasUsed);
    }

    [Fact]
    public void Call_to_a_delegated_account_pays_for_the_delegate_and_code_opcodes_see_the_designator()
    {
        var state = NewState();
        Assert.True(Execute(state, Authority, Fork.Prague, Sign(Delegate, 0)).Success);
        // PUSH1 0 ×4, PUSH20 target, GAS, CALL, POP, then EXTCODESIZE(target) into slot 1 and EXTCODEHASH into slot 2.
        byte[] CallThenInspect(Address target) =>
        [
            0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x73, .. target.Bytes, 0x5a, 0xf1, 0x50,
            0x73, .. target.Bytes, 0x3b, 0x60, 1, 0x55,
            0x73, .. target.Bytes, 0x3f, 0x60, 2, 0x55, 0x00,
        ];
        state.SetCode(Caller, CallThenInspect(Authority));
        state.FinalizeTransaction(true);
        var viaAuthority = Execute(state, Caller, Fork.Prague);
        Assert.Equal(new UInt256(Delegation.DesignatorLength), state.GetStorage(Caller, UInt256.One));
        Assert.Equal(UInt256.FromHash(Keccak256.Hash(Delegation.Designator(Delegate))), state.GetStorage(Caller, new UInt256(2)));

        var direct = NewState();
        direct.SetCode(Caller, CallThenInspect(Delegate));
        direct.SetStorage(Delegate, UInt256.Zero, new UInt256(42));   // as the authority's slot already holds
        direct.FinalizeTransaction(true);
        var viaDelegate = Execute(direct, Caller, Fork.Prague);
        // Same work except the second (cold) account access for the delegate; the inspected sizes and hashes
        // differ only in stored values whose SSTORE costs are identical (zero to nonzero).
        Assert.Equal(viaDelegate.GasUsed + 2_600, viaAuthority.GasUsed);
    }

    [Fact]
    public void Set_code_transaction_is_invalid_before_Prague_without_authorizations_or_as_a_creation()
    {
        Assert.False(Execute(NewState(), Authority, Fork.Cancun, Sign(Delegate, 0)).IsValid);
        var block = new BlockContext(Address.Zero, 1, 1, 30_000_000, UInt256.One, UInt256.Zero, Hash256.Zero, ChainId, UInt256.One, _ => Hash256.Zero);
        var empty = new Transaction
        {
            Type = TransactionType.SetCode, ChainId = ChainId, To = Authority, GasLimit = 100_000, MaxFeePerGas = UInt256.One,
        };
        Assert.False(new TransactionProcessor(NewState(), EvmSpec.For(Fork.Prague), block).Execute(empty, Sender).IsValid);
        var create = new Transaction
        {
            Type = TransactionType.SetCode, ChainId = ChainId, GasLimit = 100_000, MaxFeePerGas = UInt256.One,
            AuthorizationList = [Sign(Delegate, 0)],
        };
        Assert.False(new TransactionProcessor(NewState(), EvmSpec.For(Fork.Prague), block).Execute(create, Sender).IsValid);
    }
}
