using System.Text.Json;
using BeamSync.Core;

namespace BeamSync.Trie.Tests;

/// <summary>Known answers: the state roots of public genesis states, from their allocations.</summary>
public sealed class GenesisTests
{
    private static string Fixtures => BeamSync.Tests.Shared.TestFixtures.PathOf(".");

    /// <summary>Reads the <c>alloc</c> of a geth-style genesis.json (only what the state root needs).</summary>
    private static List<AccountAlloc> ReadAlloc(string chain)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "chains", chain, "genesis.json")));
        var accounts = new List<AccountAlloc>();
        foreach (var entry in doc.RootElement.GetProperty("alloc").EnumerateObject())
        {
            var a = entry.Value;
            var storage = new Dictionary<UInt256, UInt256>();
            if (a.TryGetProperty("storage", out var s))
                foreach (var slot in s.EnumerateObject()) storage[UInt256.Parse(slot.Name)] = UInt256.Parse(slot.Value.GetString()!);
            accounts.Add(new AccountAlloc(
                Address.Parse(entry.Name.StartsWith("0x") ? entry.Name : "0x" + entry.Name),
                a.TryGetProperty("nonce", out var n) ? (ulong)UInt256.Parse(n.GetString()!) : 0,
                UInt256.Parse(a.GetProperty("balance").GetString()!),
                a.TryGetProperty("code", out var c) ? Hex.Parse(c.GetString()!) : [],
                storage));
        }
        return accounts;
    }

    [Theory]
    [InlineData("mainnet", "0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544")]
    [InlineData("sepolia", "0x5eb6e371a698b8d68f665192350ffcecbbbf322916f4b51bd79bb6887da3f494")]
    public void Genesis_state_root(string chain, string expected)
    {
        Assert.Equal(Hash256.Parse(expected), StateTrieBuilder.ComputeRoot(ReadAlloc(chain)));
    }

    [Fact]
    public void Storage_and_code_change_the_root_as_the_consensus_encoding_says()
    {
        var plain = new AccountAlloc(Address.Parse("0x000000000000000000000000000000000000aaaa"), 1, 5, [], new Dictionary<UInt256, UInt256>());
        var withZeroSlot = plain with { Storage = new Dictionary<UInt256, UInt256> { [1] = 0 } };
        Assert.Equal(StateTrieBuilder.ComputeRoot([plain]), StateTrieBuilder.ComputeRoot([withZeroSlot]));
        var withCode = plain with { Code = [0x60, 0x00] };
        Assert.NotEqual(StateTrieBuilder.ComputeRoot([plain]), StateTrieBuilder.ComputeRoot([withCode]));
    }
}
