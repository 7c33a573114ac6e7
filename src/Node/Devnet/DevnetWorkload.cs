using BeamSync.Chain.Building;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Types;

namespace BeamSync.Node.Devnet;

/// <summary>What a workload transaction does.</summary>
public enum WorkloadKind
{
    /// <summary>Type 2 value transfer to an existing account (three in four) or a new one.</summary>
    ValueTransfer,
    /// <summary>Type 0 (EIP-155) value transfer.</summary>
    LegacyTransfer,
    /// <summary>Type 2 ERC-20 <c>transfer</c> from a holder: a log, two balance slots.</summary>
    TokenTransfer,
    /// <summary>Type 1 ERC-20 <c>transfer</c> with the token and both balance slots in its access list.</summary>
    AccessListTokenTransfer,
    /// <summary>Type 2 call of a slot writer over 20 to 120 of its existing slots.</summary>
    SlotWrites,
    /// <summary>Type 2 call of a reverter with an odd input: reverts by design.</summary>
    RevertingCall,
    /// <summary>Type 2 call of a reverter with an even input: writes two slots.</summary>
    ReverterCall,
    /// <summary>Type 2 contract creation deploying a token or a reverter.</summary>
    Deployment,
    /// <summary>Type 4 (EIP-7702): a reserved account authorizes a slot writer's code; the call then writes three of its own slots.</summary>
    Delegation,
}

/// <summary>A generated transaction, its kind and whether its receipt should say success.</summary>
public sealed record WorkloadTransaction(Transaction Transaction, WorkloadKind Kind, bool ExpectSuccess);

/// <summary>
/// Generates each block's transactions over a <see cref="DevnetState"/> from a seeded generator. The mix, in
/// percent of a block's transactions (each drawn independently):
/// <list type="bullet">
/// <item>30 value transfers (type 2), 5 legacy value transfers (type 0, EIP-155);</item>
/// <item>20 ERC-20 transfers (type 2), 10 ERC-20 transfers with an access list (type 1);</item>
/// <item>15 slot-writer calls over 20-120 existing slots (about 5,000 gas a slot);</item>
/// <item>5 reverter calls that revert (odd input), 5 that succeed (even input);</item>
/// <item>5 deployments (a token or a reverter);</item>
/// <item>5 EIP-7702 delegations (type 4) whose call runs the delegated code in the authority's storage.</item>
/// </list>
/// No account sends twice or authorizes within one block, so every nonce is known: the workload counts each
/// sender's (and authority's) nonce and <see cref="Settle"/> gives back those of transactions the builder left out.
/// Fees: a 1 gwei tip over a cap of twice the block's base fee. A workload resumed on a stored chain continues the
/// generator from <see cref="GeneratorState"/> and reads each account's nonce from the chain the first time it uses it.
/// Not thread-safe: the producer's loop owns it.
/// </summary>
public sealed class DevnetWorkload
{
    private static readonly UInt256 Gwei = new(1_000_000_000);

    private readonly DevnetState _state;
    /// <summary>The next nonce of each account; <see cref="UnknownNonce"/> until read from the chain (resumed workloads).</summary>
    private readonly ulong[] _nonces;
    private const ulong UnknownNonce = ulong.MaxValue;
    private readonly Func<Address, ulong>? _chainNonce;
    private readonly DevnetContract[] _tokens, _slotWriters, _reverters;
    private readonly Dictionary<Hash256, (int Sender, int Authority)> _pending = [];
    private readonly HashSet<int> _usedThisBlock = [];
    private DevnetRandom _random;
    private UInt256 _tip = Gwei, _feeCap;
    private ulong _chainId;

    /// <summary>Cumulative percentages of <see cref="WorkloadKind"/> in declaration order (see the class summary).</summary>
    private static readonly (WorkloadKind Kind, int UpTo)[] Mix =
    [
        (WorkloadKind.ValueTransfer, 30), (WorkloadKind.LegacyTransfer, 35), (WorkloadKind.TokenTransfer, 55),
        (WorkloadKind.AccessListTokenTransfer, 65), (WorkloadKind.SlotWrites, 80), (WorkloadKind.RevertingCall, 85),
        (WorkloadKind.ReverterCall, 90), (WorkloadKind.Deployment, 95), (WorkloadKind.Delegation, 100),
    ];

    /// <summary>A workload from the chain's genesis, or with <paramref name="resume"/> one that continues a stored chain.</summary>
    /// <param name="resume">The generator state stored after the head block, and the nonce of an account at the head.</param>
    public DevnetWorkload(DevnetState state, (ulong GeneratorState, Func<Address, ulong> ChainNonce)? resume = null)
    {
        _state = state;
        _nonces = new ulong[state.Accounts.Length];
        if (resume is { } r)
        {
            Array.Fill(_nonces, UnknownNonce);
            _chainNonce = r.ChainNonce;
        }
        _tokens = [.. state.ContractsOf(DevnetContractKind.Token)];
        _slotWriters = [.. state.ContractsOf(DevnetContractKind.SlotWriter)];
        _reverters = [.. state.ContractsOf(DevnetContractKind.Reverter)];
        _random = resume is { } resumed ? new DevnetRandom(resumed.GeneratorState) : DevnetRandom.For(state.Options.Seed, 0x2000_0000);
        _chainId = state.Spec.ChainId;
    }

    /// <summary>The generator's state: stored after each block, it lets a restarted producer continue the same sequence.</summary>
    public ulong GeneratorState => _random.State;

    /// <summary>The nonce the workload will use next for account <paramref name="index"/>.</summary>
    public ulong NonceOf(int index) => NonceSlot(index);

    private ref ulong NonceSlot(int index)
    {
        ref ulong nonce = ref _nonces[index];
        if (nonce == UnknownNonce) nonce = _chainNonce!(_state.Accounts[index].Address);
        return ref nonce;
    }

    /// <summary>
    /// <paramref name="count"/> transactions for a block whose base fee is <paramref name="baseFee"/>, every one signed.
    /// Call <see cref="Settle"/> with the built block before asking for the next block's.
    /// </summary>
    public List<WorkloadTransaction> NextBlock(int count, in UInt256 baseFee)
    {
        _usedThisBlock.Clear();
        _pending.Clear();
        _feeCap = baseFee * new UInt256(2) + _tip;
        var transactions = new List<WorkloadTransaction>(count);
        for (int i = 0; i < count; i++)
        {
            int roll = _random.Next(100);
            var kind = Array.Find(Mix, m => roll < m.UpTo).Kind;
            transactions.Add(Generate(kind));
        }
        return transactions;
    }

    /// <summary>Gives back the nonces of this block's transactions the built block left out (<paramref name="leftOut"/>).</summary>
    public void Settle(IEnumerable<Transaction> leftOut)
    {
        foreach (var skipped in leftOut)
        {
            if (!_pending.TryGetValue(skipped.Hash, out var owner)) continue;
            NonceSlot(owner.Sender)--;
            if (owner.Authority >= 0) NonceSlot(owner.Authority)--;
        }
        _pending.Clear();
    }

    private WorkloadTransaction Generate(WorkloadKind kind) => kind switch
    {
        WorkloadKind.ValueTransfer => ValueTransfer(TransactionType.DynamicFee, kind),
        WorkloadKind.LegacyTransfer => ValueTransfer(TransactionType.Legacy, kind),
        WorkloadKind.TokenTransfer => TokenTransfer(withAccessList: false),
        WorkloadKind.AccessListTokenTransfer => TokenTransfer(withAccessList: true),
        WorkloadKind.SlotWrites => SlotWrites(),
        WorkloadKind.RevertingCall => ReverterCall(revert: true),
        WorkloadKind.ReverterCall => ReverterCall(revert: false),
        WorkloadKind.Deployment => Deployment(),
        _ => Delegation(),
    };

    private WorkloadTransaction ValueTransfer(TransactionType type, WorkloadKind kind)
    {
        int sender = FreshSender();
        // A quarter go to new accounts (the state grows as on a real chain); the rest to existing ordinary ones.
        Address to = _random.Next(4) == 0 ? NewAddress() : _state.Accounts[_random.Next(_state.DelegationAccountsStart)].Address;
        return Sign(sender, -1, kind, true, Unsigned(type, sender, to, 21_000, new UInt256(1 + (ulong)_random.Next(1_000_000)), []));
    }

    private WorkloadTransaction TokenTransfer(bool withAccessList)
    {
        var token = _tokens[_random.Next(_tokens.Length)];
        int sender = -1;
        for (int attempt = 0; attempt < 8 && sender < 0; attempt++)
        {
            int holder = token.Holders[_random.Next(token.Holders.Length)];
            if (_usedThisBlock.Add(holder)) sender = holder;
        }
        if (sender < 0) return ValueTransfer(TransactionType.DynamicFee, WorkloadKind.ValueTransfer);
        var to = _state.Accounts[_random.Next(_state.DelegationAccountsStart)].Address;
        var data = DevnetContracts.TransferCall(to, new UInt256(1 + (ulong)_random.Next(1_000)));
        var type = withAccessList ? TransactionType.AccessList : TransactionType.DynamicFee;
        var tx = Unsigned(type, sender, token.Address, withAccessList ? 90_000UL : 80_000UL, UInt256.Zero, data);
        if (withAccessList)
        {
            Hash256[] slots = [SlotKey(DevnetContracts.BalanceSlot(_state.Accounts[sender].Address)), SlotKey(DevnetContracts.BalanceSlot(to))];
            tx = With(tx, accessList: [new AccessListItem(token.Address, slots)]);
        }
        return Sign(sender, -1, withAccessList ? WorkloadKind.AccessListTokenTransfer : WorkloadKind.TokenTransfer, true, tx);
    }

    private WorkloadTransaction SlotWrites()
    {
        int sender = FreshSender();
        var writer = _slotWriters[_random.Next(_slotWriters.Length)];
        int count = Math.Min(_random.Next(20, 121), writer.SlotCount);
        int start = _random.Next(writer.SlotCount - count + 1);
        var data = DevnetContracts.SlotWriterCall((ulong)start, (ulong)count);
        return Sign(sender, -1, WorkloadKind.SlotWrites, true,
            Unsigned(TransactionType.DynamicFee, sender, writer.Address, 40_000 + (ulong)count * 5_200, UInt256.Zero, data));
    }

    private WorkloadTransaction ReverterCall(bool revert)
    {
        int sender = FreshSender();
        var reverter = _reverters[_random.Next(_reverters.Length)];
        ulong x = (ulong)_random.Next(1 << 30) * 2 + (revert ? 1UL : 0UL);
        return Sign(sender, -1, revert ? WorkloadKind.RevertingCall : WorkloadKind.ReverterCall, !revert,
            Unsigned(TransactionType.DynamicFee, sender, reverter.Address, 60_000, UInt256.Zero, DevnetContracts.ReverterCall(x)));
    }

    private WorkloadTransaction Deployment()
    {
        int sender = FreshSender();
        var runtime = _random.Next(2) == 0 ? DevnetContracts.Token : DevnetContracts.Reverter;
        return Sign(sender, -1, WorkloadKind.Deployment, true,
            Unsigned(TransactionType.DynamicFee, sender, null, 200_000, UInt256.Zero, DevnetContracts.InitCodeFor(runtime)));
    }

    private WorkloadTransaction Delegation()
    {
        int sender = FreshSender();
        int authority = -1;
        int reserved = _state.Accounts.Length - _state.DelegationAccountsStart;
        for (int attempt = 0; attempt < 8 && authority < 0; attempt++)
        {
            int candidate = _state.DelegationAccountsStart + _random.Next(reserved);
            if (_usedThisBlock.Add(candidate)) authority = candidate;
        }
        if (authority < 0) return ValueTransfer(TransactionType.DynamicFee, WorkloadKind.ValueTransfer);
        var writer = _slotWriters[_random.Next(_slotWriters.Length)];
        var account = _state.Accounts[authority];
        var unsignedAuthorization = new Authorization(new UInt256(_chainId), writer.Address, NonceSlot(authority), 0, UInt256.Zero, UInt256.Zero);
        var (signature, recoveryId) = Secp256k1Curve.Sign(unsignedAuthorization.SigningHash().Bytes, account.PrivateKey);
        var authorization = new Authorization(new UInt256(_chainId), writer.Address, NonceSlot(authority), recoveryId,
            new UInt256(signature.AsSpan(0, 32)), new UInt256(signature.AsSpan(32, 32)));
        NonceSlot(authority)++;
        var tx = With(Unsigned(TransactionType.SetCode, sender, account.Address, 250_000, UInt256.Zero, DevnetContracts.SlotWriterCall(0, 3)),
            authorizations: [authorization]);
        return Sign(sender, authority, WorkloadKind.Delegation, true, tx);
    }

    /// <summary>An ordinary account that has not sent in this block.</summary>
    private int FreshSender()
    {
        while (true)
        {
            int candidate = _random.Next(_state.DelegationAccountsStart);
            if (_usedThisBlock.Add(candidate)) return candidate;
        }
    }

    private Address NewAddress()
    {
        Span<byte> bytes = stackalloc byte[20];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, _random.NextUInt64());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _random.NextUInt64());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes[16..], (uint)_random.NextUInt64());
        return new Address(bytes);
    }

    private static Hash256 SlotKey(in UInt256 slot)
    {
        Span<byte> word = stackalloc byte[32];
        slot.ToBigEndian(word);
        return new Hash256(word);
    }

    private Transaction Unsigned(TransactionType type, int sender, Address? to, ulong gasLimit, UInt256 value, byte[] data)
    {
        bool legacyPricing = type is TransactionType.Legacy or TransactionType.AccessList;
        return new Transaction
        {
            Type = type,
            ChainId = new UInt256(_chainId),
            Nonce = NonceSlot(sender)++,
            GasPrice = legacyPricing ? _feeCap : UInt256.Zero,
            MaxPriorityFeePerGas = legacyPricing ? UInt256.Zero : _tip,
            MaxFeePerGas = legacyPricing ? UInt256.Zero : _feeCap,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
        };
    }

    private static Transaction With(Transaction tx, AccessListItem[]? accessList = null, Authorization[]? authorizations = null) => new()
    {
        Type = tx.Type, ChainId = tx.ChainId, Nonce = tx.Nonce, GasPrice = tx.GasPrice, MaxPriorityFeePerGas = tx.MaxPriorityFeePerGas,
        MaxFeePerGas = tx.MaxFeePerGas, GasLimit = tx.GasLimit, To = tx.To, Value = tx.Value, Data = tx.Data,
        AccessList = accessList ?? tx.AccessList, AuthorizationList = authorizations ?? tx.AuthorizationList,
    };

    private WorkloadTransaction Sign(int sender, int authority, WorkloadKind kind, bool expectSuccess, Transaction tx)
    {
        var signed = tx.Sign(_state.Accounts[sender].PrivateKey);
        _pending[signed.Hash] = (sender, authority);
        return new WorkloadTransaction(signed, kind, expectSuccess);
    }
}
