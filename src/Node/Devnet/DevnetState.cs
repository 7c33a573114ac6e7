using System.Buffers.Binary;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;

namespace BeamSync.Node.Devnet;

/// <summary>
/// A generated contract: its kind, address, the number of slots it starts with and, for a token, the accounts that
/// start with a balance (indices into <see cref="DevnetState.Accounts"/>).
/// </summary>
public sealed record DevnetContract(int Index, Address Address, DevnetContractKind Kind, int SlotCount, int[] Holders);

/// <summary>
/// The devnet's generated state, reproducible from <see cref="DevnetOptions.Seed"/>: accounts with balances and keys
/// (<see cref="DevnetAccounts"/>), contracts of every <see cref="DevnetContractKind"/> (two in five tokens, two in
/// five slot writers, one in five reverters) with their storage, and the system contracts. The last hundredth of the
/// accounts is kept for EIP-7702 delegations (never a transfer's recipient, since a delegated recipient runs code).
/// <see cref="Spec"/> is a chain spec with this state as its genesis allocation, post-merge from genesis (terminal
/// total difficulty 0) with <see cref="DevnetOptions.Fork"/> active. Immutable once generated; thread-safe.
/// </summary>
public sealed class DevnetState
{
    /// <summary>The genesis time; blocks follow at whole-second steps of the block time, so a devnet chain is reproducible.</summary>
    public const ulong GenesisTimestamp = 1_700_000_000;

    private DevnetState(DevnetOptions options, DevnetAccount[] accounts, DevnetContract[] contracts, ChainSpec spec)
    {
        Options = options;
        Accounts = accounts;
        Contracts = contracts;
        Spec = spec;
    }

    public DevnetOptions Options { get; }
    public DevnetAccount[] Accounts { get; }
    public DevnetContract[] Contracts { get; }
    public ChainSpec Spec { get; }

    /// <summary>Accounts from this index on are reserved as EIP-7702 authorities.</summary>
    public int DelegationAccountsStart => Accounts.Length - Math.Max(1, Accounts.Length / 100);

    public IEnumerable<DevnetContract> ContractsOf(DevnetContractKind kind) => Contracts.Where(c => c.Kind == kind);

    public static DevnetState Generate(DevnetOptions options)
    {
        options.Validate();
        var accounts = DevnetAccounts.Generate(options.Seed, options.Accounts);
        int ordinaryAccounts = accounts.Length - Math.Max(1, accounts.Length / 100);
        var contracts = new DevnetContract[options.Contracts];
        var storages = new Dictionary<UInt256, UInt256>[options.Contracts];
        int largeLeft = options.LargeContracts;
        for (int i = 0; i < contracts.Length; i++)
        {
            // One generator per contract: contract i's storage does not depend on how many came before it.
            var random = DevnetRandom.For(options.Seed, 0x1000_0000UL + (ulong)i);
            var kind = (i % 5) switch { 0 or 1 => DevnetContractKind.Token, 2 or 3 => DevnetContractKind.SlotWriter, _ => DevnetContractKind.Reverter };
            int slots = kind == DevnetContractKind.SlotWriter && largeLeft-- > 0
                ? options.LargeContractSlots
                : random.Next(options.AverageSlots / 2, options.AverageSlots * 3 / 2 + 1);
            var storage = new Dictionary<UInt256, UInt256>(slots);
            int[] holders = [];
            if (kind == DevnetContractKind.Token)
            {
                var chosen = new HashSet<int>();
                while (chosen.Count < Math.Min(slots, ordinaryAccounts)) chosen.Add(random.Next(ordinaryAccounts));
                holders = [.. chosen.Order()];
                foreach (int h in holders)
                    storage[DevnetContracts.BalanceSlot(accounts[h].Address)] = new UInt256(1_000_000_000_000_000_000) * new UInt256(1_000 + (ulong)random.Next(1_000));
            }
            else
                for (int s = 0; s < slots; s++) storage[new UInt256((ulong)s)] = new UInt256(1 + (random.NextUInt64() >> 34));
            contracts[i] = new DevnetContract(i, ContractAddress(options.Seed, i), kind, storage.Count, holders);
            storages[i] = storage;
        }
        return new DevnetState(options, accounts, contracts, BuildSpec(options, accounts, contracts, storages));
    }

    /// <summary>Contract i's address: the low 20 bytes of keccak256("beamsync-devnet-contract" || seed || i).</summary>
    public static Address ContractAddress(ulong seed, int index)
    {
        Span<byte> preimage = stackalloc byte[24 + 12];
        "beamsync-devnet-contract"u8.CopyTo(preimage);
        BinaryPrimitives.WriteUInt64BigEndian(preimage[24..], seed);
        BinaryPrimitives.WriteInt32BigEndian(preimage[32..], index);
        return new Address(Keccak256.Hash(preimage).Bytes[12..]);
    }

    private static ChainSpec BuildSpec(DevnetOptions options, DevnetAccount[] accounts, DevnetContract[] contracts, Dictionary<UInt256, UInt256>[] storages)
    {
        var alloc = new Dictionary<Address, GenesisAccount>(accounts.Length + contracts.Length + 4);
        foreach (var a in accounts) alloc[a.Address] = new GenesisAccount(options.AccountBalance, 0, [], GenesisAccount.NoStorage);
        foreach (var c in contracts) alloc[c.Address] = new GenesisAccount(UInt256.Zero, 1, DevnetContracts.RuntimeOf(c.Kind), storages[c.Index]);
        foreach (var (address, account) in SystemContractCode.GenesisAccounts()) alloc[address] = account;
        return SpecWith(options, alloc);
    }

    /// <summary>
    /// The devnet's chain rules (chain id, forks, merge at genesis, genesis fields) without its state: what a beam
    /// node joining the devnet knows, which starts with no state at all. Cheap: nothing is generated.
    /// </summary>
    public static ChainSpec RulesOnly(DevnetOptions options) => SpecWith(options, new Dictionary<Address, GenesisAccount>());

    private static ChainSpec SpecWith(DevnetOptions options, Dictionary<Address, GenesisAccount> alloc)
    {
        var activations = new List<ForkActivation>();
        foreach (var fork in Enum.GetValues<Fork>())
        {
            if (fork is Fork.Frontier or Fork.Dao or Fork.Paris || fork > options.Fork) continue;
            activations.Add(new ForkActivation(fork, ForkActivation.TriggerOf(fork), 0));
        }
        return new ChainSpec(options.ChainId, activations)
        {
            Name = $"devnet-{options.Seed}",
            TerminalTotalDifficulty = UInt256.Zero,
            MergeNetsplitBlock = 0,
            Genesis = new GenesisSpec
            {
                Timestamp = GenesisTimestamp,
                GasLimit = options.GasLimit,
                ExtraData = "beamsync devnet"u8.ToArray(),
                Alloc = alloc,
            },
        };
    }
}
