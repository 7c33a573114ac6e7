using System.Text.Json;
using System.Text.RegularExpressions;
using BeamSync.Core;
using BeamSync.Network.Snap;
using BeamSync.Tests.Shared;
using BeamSync.Trie;
using Xunit.Abstractions;

namespace BeamSync.Network.Tests.SnapStore;

/// <summary>
/// Issue 15's independent check of range proofs, against @ethereumjs/mpt (pinned in bench/ethereumjs, run by
/// bench/ethereumjs/range-proof.mjs): the account and storage ranges our snap server gives, from a full state and
/// from a beam node's partial state, verify in <c>verifyMerkleRangeProof</c> with the same "more to the right"
/// answer as ours; proofs @ethereumjs/mpt builds for ranges of the same tries verify in <see cref="RangeProof"/>.
/// Tampered answers are sent too and must be rejected, so neither side can pass by accepting everything. About 3 s.
/// </summary>
[Collection(EthereumJsCollection.Name)]
public partial class RangeProofEthereumJsTests(SnapStateFixture state, ITestOutputHelper output) : IClassFixture<SnapStateFixture>
{
    private const string Mpt = "@ethereumjs/mpt";
    private const int Unlimited = 64 * 1024 * 1024;
    private const int MissingNibble = 8;

    /// <summary>A range answer in the script's shape; a null proof is a whole-trie answer (first and last null too).</summary>
    private sealed record RangeCase(string Name, Hash256 Root, byte[]? First, byte[]? Last, List<byte[]> Keys, List<byte[]> Values, List<byte[]>? Proof);

    [BenchNodeFact(Mpt)]
    public void Ranges_our_server_gives_from_full_and_partial_state_verify_in_ethereumjs_and_tampered_ones_do_not()
    {
        var full = state.Server();
        var keys = state.Accounts.Keys.ToList();
        var big = state.BigStorageAccount;
        var bigRoot = SlimAccount.StorageRoot(state.Accounts[big]);
        var bigSlots = state.Storage[big].Keys.ToList();
        var small = state.Storage.Keys.First(k => k != big);

        var cases = new List<RangeCase>
        {
            Accounts("accounts: whole state, no proof", full, Hash256.Zero, SnapHandler.MaxHash, Unlimited),
            Accounts("accounts: from zero, cut by the byte budget", full, Hash256.Zero, SnapHandler.MaxHash, 4096),
            Accounts("accounts: origin in a gap", full, SnapStateFixture.Next(keys[1000]), SnapHandler.MaxHash, 4096),
            Accounts("accounts: one present key (a read by key)", full, keys[1234], keys[1234], 256),
            Accounts("accounts: one absent key (proof of absence and the next)", full, SnapStateFixture.Next(keys[1500]), SnapStateFixture.Next(keys[1500]), 256),
            Accounts("accounts: past the last key (empty)", full, SnapStateFixture.Next(keys[^1]), SnapHandler.MaxHash, 4096),
            Accounts("accounts: to the end", full, keys[^10], SnapHandler.MaxHash, Unlimited),
            Storage("storage: cut by the byte budget", full, big, bigRoot, Hash256.Zero, 2048),
            Storage("storage: from an origin to the end", full, big, bigRoot, SnapStateFixture.Next(bigSlots[700]), Unlimited),
            Storage("storage: one present slot", full, big, bigRoot, bigSlots[42], Unlimited, limit: bigSlots[42]),
            Storage("storage: a whole small trie, no proof", full, small, SlimAccount.StorageRoot(state.Accounts[small]), Hash256.Zero, Unlimited),
            Accounts("partial accounts: from zero to the hole", state.PartialServer(MissingNibble, state.Root), Hash256.Zero, SnapHandler.MaxHash, Unlimited),
            Accounts("partial accounts: past the hole to the end", state.PartialServer(MissingNibble, state.Root), At(MissingNibble + 1), SnapHandler.MaxHash, Unlimited),
            Storage("partial storage: to the hole", state.PartialServer(MissingNibble, bigRoot), big, bigRoot, Hash256.Zero, Unlimited),
        };
        Assert.Contains(cases, c => c.Proof is null);
        Assert.Contains(cases, c => c.Keys.Count == 0);

        var cut = cases[1];
        var absent = cases[4];
        var tampered = new List<RangeCase>
        {
            cut with { Name = "tampered: a proof node dropped", Proof = cut.Proof!.Take(cut.Proof!.Count - 1).ToList() },
            absent with { Name = "tampered: a value byte flipped", Values = absent.Values.Select(Flip).ToList() },
            cut with { Name = "tampered: entries withheld, claimed empty", Last = null, Keys = [], Values = [], Proof = cut.Proof!.ToList() },
            cut with { Name = "tampered: an entry left out", Keys = cut.Keys.Where((_, i) => i != 3).ToList(), Values = cut.Values.Where((_, i) => i != 3).ToList() },
        };

        var lines = RunScript("verify", new { cases = cases.Concat(tampered).Select(ToJson) });
        foreach (var c in cases)
        {
            bool ours = RangeProof.Verify(c.Root, c.First ?? new byte[32], c.Keys, c.Values, c.Proof);
            Assert.Contains($"ok {c.Name} more={(ours ? "true" : "false")}", lines);
        }
        foreach (var c in tampered)
            Assert.Contains(lines, l => l.StartsWith($"rejected {c.Name}:", StringComparison.Ordinal));
        Assert.Contains($"verify: {cases.Count} accepted, {tampered.Count} rejected of {cases.Count + tampered.Count}", lines);
    }

    [BenchNodeFact(Mpt)]
    public void Proofs_ethereumjs_builds_for_our_tries_verify_in_ours_and_a_tampered_one_does_not()
    {
        var accountKeys = state.Accounts.Keys.ToList();
        var big = state.BigStorageAccount;
        var bigSlots = state.Storage[big].Keys.ToList();
        var tries = new[]
        {
            new
            {
                name = "accounts",
                entries = state.Accounts.Select(e => new[] { Hex(e.Key.ToArray()), Hex(e.Value) }).ToList(),
                ranges = new[] { (accountKeys[0], 50), (SnapStateFixture.Next(accountKeys[777]), 100), (accountKeys[^1], 1), (SnapStateFixture.Next(accountKeys[^1]), 10), (Hash256.Zero, 3000) }
                    .Select(r => new { origin = Hex(r.Item1.ToArray()), count = r.Item2 }).ToList(),
            },
            new
            {
                name = "storage",
                entries = state.Storage[big].Select(e => new[] { Hex(e.Key.ToArray()), Hex(e.Value) }).ToList(),
                ranges = new[] { (bigSlots[0], 200), (SnapStateFixture.Next(bigSlots[900]), 64), (bigSlots[1499], 1) }
                    .Select(r => new { origin = Hex(r.Item1.ToArray()), count = r.Item2 }).ToList(),
            },
        };
        var expectedRoots = new Dictionary<string, Hash256> { ["accounts"] = state.Root, ["storage"] = SlimAccount.StorageRoot(state.Accounts[big]) };
        var sortedKeys = new Dictionary<string, List<Hash256>> { ["accounts"] = accountKeys, ["storage"] = bigSlots };

        var outFile = Path.Combine(Path.GetTempPath(), $"beamsync-range-built-{Guid.NewGuid():N}.json");
        try
        {
            RunScript("build", new { tries }, outFile);
            using var built = JsonDocument.Parse(File.ReadAllText(outFile));
            int verified = 0;
            RangeCase? sample = null;
            foreach (var trie in built.RootElement.GetProperty("tries").EnumerateArray())
            {
                var name = trie.GetProperty("name").GetString()!;
                // The trie @ethereumjs/mpt built from the same entries has our root: an independent check of the roots too.
                Assert.Equal(expectedRoots[name], new Hash256(Bytes(trie.GetProperty("root").GetString()!)));
                foreach (var range in trie.GetProperty("ranges").EnumerateArray())
                {
                    var c = FromJson(range);
                    bool more = RangeProof.Verify(c.Root, c.First!, c.Keys, c.Values, c.Proof);
                    bool expectMore = c.Keys.Count > 0 && sortedKeys[name][^1].CompareTo(new Hash256(c.Keys[^1])) > 0;
                    Assert.True(expectMore == more, $"{c.Name}: more={more}, expected {expectMore}");
                    verified++;
                    if (c.Keys.Count > 10) sample ??= c;
                }
            }
            Assert.Equal(8, verified);

            Assert.NotNull(sample);
            var tamperedCase = sample with { Values = sample.Values.Select((v, i) => i == 5 ? Flip(v) : v).ToList() };
            Assert.Throws<ProofException>(() => RangeProof.Verify(tamperedCase.Root, tamperedCase.First!, tamperedCase.Keys, tamperedCase.Values, tamperedCase.Proof));
            var dropped = sample with { Proof = sample.Proof!.Skip(1).ToList() };
            Assert.ThrowsAny<Exception>(() => RangeProof.Verify(dropped.Root, dropped.First!, dropped.Keys, dropped.Values, dropped.Proof));
        }
        finally { File.Delete(outFile); }
    }

    private RangeCase Accounts(string name, StoreSnapServer server, Hash256 origin, Hash256 limit, int bytes)
    {
        var range = server.GetAccountRange(state.Root, origin, limit, bytes);
        return Case(name, state.Root, origin, range.Accounts.Select(a => a.Hash.ToArray()).ToList(),
            range.Accounts.Select(a => SlimAccount.ToConsensus(a.Body)).ToList(), range.Proof);
    }

    private RangeCase Storage(string name, StoreSnapServer server, Hash256 account, Hash256 storageRoot, Hash256 origin, int bytes, Hash256? limit = null)
    {
        var ranges = server.GetStorageRanges(state.Root, [account], origin, limit ?? SnapHandler.MaxHash, bytes);
        Assert.Single(ranges.Slots);
        return Case(name, storageRoot, origin, ranges.Slots[0].Select(s => s.Hash.ToArray()).ToList(),
            ranges.Slots[0].Select(s => s.Value).ToList(), ranges.Proof);
    }

    /// <summary>Snap sends no proof for a whole trie; the verifiers then take null edges and a null proof.</summary>
    private static RangeCase Case(string name, Hash256 root, Hash256 origin, List<byte[]> keys, List<byte[]> values, IReadOnlyList<byte[]> proof) =>
        proof.Count == 0
            ? new RangeCase(name, root, null, null, keys, values, null)
            : new RangeCase(name, root, origin.ToArray(), keys.Count == 0 ? null : keys[^1], keys, values, proof.ToList());

    private List<string> RunScript(string mode, object input, string? outFile = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"beamsync-range-{mode}-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, JsonSerializer.Serialize(input));
            var arguments = outFile is null ? new[] { mode, file } : [mode, file, outFile];
            var (exitCode, stdout) = BenchNodeScripts.Run(Mpt, "range-proof.mjs", TimeSpan.FromSeconds(120), arguments);
            output.WriteLine(stdout);
            Assert.True(exitCode == 0, $"range-proof.mjs {mode} exited with {exitCode}:\n{stdout}");
            return [.. LineBreak().Split(stdout)];
        }
        finally { File.Delete(file); }
    }

    private static object ToJson(RangeCase c) => new
    {
        name = c.Name,
        root = Hex(c.Root.ToArray()),
        first = c.First is null ? null : Hex(c.First),
        last = c.Last is null ? null : Hex(c.Last),
        keys = c.Keys.Select(Hex),
        values = c.Values.Select(Hex),
        proof = c.Proof?.Select(Hex),
    };

    private static RangeCase FromJson(JsonElement e)
    {
        List<byte[]> List(string property) => [.. e.GetProperty(property).EnumerateArray().Select(x => Bytes(x.GetString()!))];
        byte[]? Maybe(string property) => e.GetProperty(property).ValueKind == JsonValueKind.Null ? null : Bytes(e.GetProperty(property).GetString()!);
        return new RangeCase(e.GetProperty("name").GetString()!, new Hash256(Bytes(e.GetProperty("root").GetString()!)),
            Maybe("first"), Maybe("last"), List("keys"), List("values"), List("proof"));
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.AsSpan(2));
    private static byte[] Flip(byte[] value) { var copy = (byte[])value.Clone(); copy[^1] ^= 0x01; return copy; }
    private static Hash256 At(int firstNibble) { var b = new byte[32]; b[0] = (byte)(firstNibble << 4); return new Hash256(b); }

    [GeneratedRegex(@"\r?\n")]
    private static partial Regex LineBreak();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EthereumJsCollection
{
    public const string Name = "ethereumjs (serial: runs node)";
}
