using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Cli.Fixtures;

/// <summary>Account maps of blockchain fixtures (<c>pre</c>, <c>postState</c>): hex quantities, code and storage.</summary>
internal static class FixtureState
{
    public static Dictionary<Address, GenesisAccount> ParseAlloc(JsonElement accounts)
    {
        var result = new Dictionary<Address, GenesisAccount>();
        foreach (var entry in accounts.EnumerateObject())
        {
            var v = entry.Value;
            var storage = new Dictionary<UInt256, UInt256>();
            if (v.TryGetProperty("storage", out var s))
                foreach (var slot in s.EnumerateObject()) storage[UInt256.Parse(slot.Name)] = UInt256.Parse(slot.Value.GetString()!);
            var nonce = UInt256.Parse(v.GetProperty("nonce").GetString()!);
            if (!nonce.IsUInt64) throw new FormatException($"nonce of {entry.Name} does not fit 64 bits");
            result[Address.Parse(entry.Name)] = new GenesisAccount(UInt256.Parse(v.GetProperty("balance").GetString()!), nonce.U0,
                Hex.Parse(v.GetProperty("code").GetString()!), storage);
        }
        return result;
    }
}
