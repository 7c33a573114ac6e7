using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.State;

namespace BeamSync.Bench;

/// <summary>
/// A deterministic Cancun block of 1,000 ERC-20 <c>transfer(address,uint256)</c> calls, each a signed EIP-1559
/// transaction, from 500 senders (two each) against a minimal token whose balances live in a Solidity-layout
/// mapping at slot 0: every transfer does two cold SLOADs, two SSTOREs (half to fresh recipients, 0 to nonzero)
/// and a LOG3 <c>Transfer</c>. The pre-state also holds 10,000 other token holders and 10,000 other accounts so the
/// account and storage tries have a realistic depth. Built once; <see cref="Execute"/> runs it against a fresh
/// trie-backed state each time. Instances are immutable after construction.
/// </summary>
internal sealed class Erc20Block
{
    public const int TransferCount = 1000;
    public const int SenderCount = 500;
    public const int ExtraHolders = 10_000;
    public const int ExtraAccounts = 10_000;
    public const Fork BlockFork = Fork.Cancun;
    public const ulong ChainId = 1;
    public const ulong TransferGasLimit = 100_000;

    public static readonly Address Token = Address.Parse("0x00000000000000000000000000000000000e2c20");
    public static readonly Address Coinbase = Address.Parse("0x00000000000000000000000000000000c0ffee01");

    /// <summary>
    /// The token's runtime code, hand-assembled (124 bytes). Only <c>transfer</c> (0xa9059cbb) is implemented; any
    /// other selector, or a balance below the amount, reverts. balance(a) = sload(keccak256(a . 0)), as solc lays
    /// out <c>mapping(address =&gt; uint256)</c> at slot 0.
    /// <code>
    /// 00 PUSH1 0; CALLDATALOAD; PUSH1 0xe0; SHR; PUSH4 0xa9059cbb; EQ; PUSH1 0x14; JUMPI
    /// 0f JUMPDEST; PUSH1 0; DUP1; REVERT                                   revert:
    /// 14 JUMPDEST; CALLER; PUSH1 0; MSTORE; PUSH1 0; PUSH1 0x20; MSTORE   transfer: mem = caller . 0
    /// 1e PUSH1 0x40; PUSH1 0; SHA3; DUP1; SLOAD                            [fromSlot, fromBal]
    /// 25 PUSH1 0x24; CALLDATALOAD; DUP1; DUP3; LT; PUSH1 0x0f; JUMPI       revert if fromBal &lt; amount
    /// 2e SWAP1; DUP2; SWAP1; SUB; DUP3; SSTORE                             fromBal - amount -> fromSlot
    /// 34 PUSH1 4; CALLDATALOAD; PUSH1 0; MSTORE; PUSH1 0x40; PUSH1 0; SHA3 [fromSlot, amount, toSlot]
    /// 3f DUP1; SLOAD; DUP3; ADD; SWAP1; SSTORE                             toBal + amount -> toSlot
    /// 45 PUSH1 0; MSTORE; PUSH1 4; CALLDATALOAD; CALLER; PUSH32 Transfer; PUSH1 0x20; PUSH1 0; LOG3
    /// 72 PUSH1 1; PUSH1 0; MSTORE; PUSH1 0x20; PUSH1 0; RETURN            return true
    /// </code>
    /// </summary>
    public static readonly byte[] RuntimeCode = Hex.Parse(
        "60003560e01c63a9059cbb146014575b600080fd5b33600052600060205260406000208054602435808210600f57908190038255" +
        "6004356000526040600020805482019055600052600435337fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4d" +
        "f523b3ef60206000a3600160005260206000f3");

    public IReadOnlyList<AccountChange> PreState { get; }
    public Transaction[] Transactions { get; }
    public Address[] Senders { get; }
    public BlockContext Block { get; }
    public EvmSpec Spec { get; } = EvmSpec.For(BlockFork);

    public Erc20Block()
    {
        var random = new Random(20);
        var senderKeys = new byte[SenderCount][];
        Senders = new Address[SenderCount];
        for (int i = 0; i < SenderCount; i++)
        {
            senderKeys[i] = BenchBlocks.Key(i);
            Senders[i] = Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(senderKeys[i]));
        }

        var tokenStorage = new List<KeyValuePair<UInt256, UInt256>>();
        var accounts = new List<AccountChange>();
        var ether = new UInt256(1_000_000_000_000_000_000UL);
        foreach (var sender in Senders)
        {
            tokenStorage.Add(new(BalanceSlot(sender), new UInt256(1_000_000)));
            accounts.Add(Eoa(sender, ether));
        }
        for (int i = 0; i < ExtraHolders; i++)
            tokenStorage.Add(new(BalanceSlot(Derived(random)), new UInt256((ulong)random.Next(1, 1_000_000))));
        for (int i = 0; i < ExtraAccounts; i++)
            accounts.Add(Eoa(Derived(random), new UInt256((ulong)random.NextInt64(1, long.MaxValue))));
        accounts.Add(new AccountChange(Token, false, 1, UInt256.Zero, Keccak256.Hash(RuntimeCode), RuntimeCode, true, tokenStorage));
        PreState = accounts;

        // Transfer i: sender i % 500 (nonce i / 500); even i pays another sender (a nonzero balance), odd i a fresh address.
        Transactions = new Transaction[TransferCount];
        for (int i = 0; i < TransferCount; i++)
        {
            var to = i % 2 == 0 ? Senders[(i * 7 + 3) % SenderCount] : Derived(random);
            Transactions[i] = new Transaction
            {
                Type = TransactionType.DynamicFee, ChainId = ChainId, Nonce = (ulong)(i / SenderCount),
                MaxPriorityFeePerGas = 1_000_000_000UL, MaxFeePerGas = 40_000_000_000UL, GasLimit = TransferGasLimit,
                To = Token, Data = TransferCalldata(to, (ulong)random.Next(1, 1000)),
            }.Sign(senderKeys[i % SenderCount]);
        }

        Block = new BlockContext(Coinbase, 20_000_000, 1_750_000_000, 60_000_000, new UInt256(7_000_000_000UL), UInt256.Zero,
            Keccak256.Hash("prevrandao"u8), ChainId, UInt256.One, _ => Hash256.Zero);
    }

    /// <summary>A fresh in-memory trie store holding the pre-state (committed, so reads go through the tries).</summary>
    public TrieStateStore CreatePreState()
    {
        var store = new TrieStateStore(new MemoryKeyValueStore());
        store.Commit(PreState);
        return store;
    }

    /// <summary>Recovers every sender (cached on the transactions), so timed runs measure execution only.</summary>
    public void RecoverSenders()
    {
        foreach (var tx in Transactions)
            if (!tx.TryRecoverSender(out _)) throw new InvalidOperationException("benchmark transaction does not recover");
    }

    /// <summary>
    /// Executes every transfer through <see cref="TransactionProcessor"/> and commits, returning the gas used and the
    /// post-state root (zero when <paramref name="commit"/> is false). Throws when a transfer is invalid or fails: a
    /// benchmark of failing transfers measures nothing.
    /// </summary>
    public (long GasUsed, Hash256 StateRoot) Execute(TrieStateStore preState, bool commit = true)
    {
        var state = new WorldState(preState);
        var processor = new TransactionProcessor(state, Spec, Block);
        long gas = 0;
        foreach (var tx in Transactions)
        {
            var result = processor.Execute(tx, tx.Sender);
            if (!result.IsValid || !result.Success)
                throw new InvalidOperationException($"transfer {tx.Nonce} failed: {result.Error ?? "reverted"}");
            gas += result.GasUsed;
        }
        return (gas, commit ? state.Commit() : Hash256.Zero);
    }

    public static UInt256 BalanceSlot(Address holder)
    {
        Span<byte> key = stackalloc byte[64];
        key.Clear();
        holder.Bytes.CopyTo(key[12..32]);
        return UInt256.FromHash(Keccak256.Hash(key));
    }

    private static byte[] TransferCalldata(Address to, ulong amount)
    {
        var data = new byte[4 + 32 + 32];
        data[0] = 0xa9; data[1] = 0x05; data[2] = 0x9c; data[3] = 0xbb;
        to.Bytes.CopyTo(data.AsSpan(16, 20));
        new UInt256(amount).ToBigEndian(data.AsSpan(36, 32));
        return data;
    }

    private static AccountChange Eoa(Address address, UInt256 balance) =>
        new(address, false, 0, balance, Hash256.EmptyKeccak, null, true, []);

    private static Address Derived(Random random)
    {
        Span<byte> bytes = stackalloc byte[20];
        random.NextBytes(bytes);
        return new Address(bytes);
    }
}
