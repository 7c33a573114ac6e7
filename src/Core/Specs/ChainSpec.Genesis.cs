using System.Text.Json;

namespace BeamSync.Core.Specs;

public sealed partial class ChainSpec
{
    /// <summary>Reads the genesis fields and allocation of a geth-style genesis file (keys case-insensitive).</summary>
    private static GenesisSpec ParseGenesis(JsonElement root)
    {
        var genesis = new GenesisSpec();
        foreach (var property in root.EnumerateObject())
        {
            var v = property.Value;
            if (v.ValueKind == JsonValueKind.Null) continue;
            string f = property.Name;
            genesis = property.Name.ToLowerInvariant() switch
            {
                "nonce" => genesis with { Nonce = JsonFields.ReadUInt64(v, f) },
                "timestamp" => genesis with { Timestamp = JsonFields.ReadUInt64(v, f) },
                "extradata" => genesis with { ExtraData = JsonFields.ReadHexBytes(v, f) },
                "gaslimit" => genesis with { GasLimit = JsonFields.ReadUInt64(v, f) },
                "difficulty" => genesis with { Difficulty = JsonFields.ReadUInt256(v, f) },
                "mixhash" => genesis with { MixHash = JsonFields.ReadHash(v, f) },
                "coinbase" => genesis with { Coinbase = JsonFields.ReadAddress(v, f) },
                "number" => genesis with { Number = JsonFields.ReadUInt64(v, f) },
                "gasused" => genesis with { GasUsed = JsonFields.ReadUInt64(v, f) },
                "parenthash" => genesis with { ParentHash = JsonFields.ReadHash(v, f) },
                "basefeepergas" => genesis with { BaseFeePerGas = JsonFields.ReadUInt256(v, f) },
                "excessblobgas" => genesis with { ExcessBlobGas = JsonFields.ReadUInt64(v, f) },
                "blobgasused" => genesis with { BlobGasUsed = JsonFields.ReadUInt64(v, f) },
                "parentbeaconblockroot" => genesis with { ParentBeaconBlockRoot = JsonFields.ReadHash(v, f) },
                "alloc" => genesis with { Alloc = ParseAlloc(JsonFields.ReadObject(v, f)) },
                _ => genesis,
            };
        }
        return genesis;
    }

    private static Dictionary<Address, GenesisAccount> ParseAlloc(JsonElement alloc)
    {
        var accounts = new Dictionary<Address, GenesisAccount>();
        foreach (var entry in alloc.EnumerateObject())
        {
            string field = $"alloc[{entry.Name}]";
            var address = JsonFields.ParseAddress(entry.Name, field);
            var body = JsonFields.ReadObject(entry.Value, field);
            UInt256 balance = default;
            ulong nonce = 0;
            byte[] code = [];
            IReadOnlyDictionary<UInt256, UInt256> storage = GenesisAccount.NoStorage;
            foreach (var p in body.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Null) continue;
                string f = $"{field}.{p.Name}";
                switch (p.Name.ToLowerInvariant())
                {
                    case "balance": balance = JsonFields.ReadUInt256(p.Value, f); break;
                    case "nonce": nonce = JsonFields.ReadUInt64(p.Value, f); break;
                    case "code": code = JsonFields.ReadHexBytes(p.Value, f); break;
                    case "storage": storage = ParseStorage(JsonFields.ReadObject(p.Value, f), f); break;
                }
            }
            if (!accounts.TryAdd(address, new GenesisAccount(balance, nonce, code, storage)))
                throw new ChainSpecException($"{field}: address listed twice");
        }
        return accounts;
    }

    private static Dictionary<UInt256, UInt256> ParseStorage(JsonElement storage, string field)
    {
        var slots = new Dictionary<UInt256, UInt256>();
        foreach (var slot in storage.EnumerateObject())
        {
            string f = $"{field}[{slot.Name}]";
            var key = JsonFields.ParseWord(slot.Name, f);
            var value = JsonFields.ParseWord(JsonFields.ReadString(slot.Value, f), f);
            if (!slots.TryAdd(key, value)) throw new ChainSpecException($"{f}: slot listed twice");
        }
        return slots;
    }
}
