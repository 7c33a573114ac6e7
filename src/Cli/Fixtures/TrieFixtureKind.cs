using System.Text;
using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Trie;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// ethereum/tests TrieTests. <c>in</c> is a list of [key, value] pairs applied in order (a null value deletes) or a
/// map applied in any order; "0x" strings are hex, others raw UTF-8 (in <c>hexEncoded</c> files everything is hex).
/// Files named *secureTrie* / *securetrie* hash keys with Keccak-256. <c>root</c> is the expected root hash. The
/// next/prev file lists keys and, per probe key, the previous and next keys in order.
/// </summary>
public sealed class TrieFixtureKind : IFixtureKind
{
    public string Name => "Trie";
    public bool Implemented => true;

    public bool Recognizes(string path, JsonElement firstCase) =>
        firstCase.Has("in") && (firstCase.Has("root") || firstCase.Has("tests")) && !firstCase.Has("out");

    public IEnumerable<CaseResult> Run(string path, JsonElement root)
    {
        bool secure = Path.GetFileName(path).Contains("securetrie", StringComparison.OrdinalIgnoreCase);
        foreach (var test in root.EnumerateObject())
        {
            CaseResult result;
            try
            {
                result = test.Value.Has("tests")
                    ? RunNextPrev(path, test.Name, test.Value)
                    : RunRoot(path, test.Name, test.Value, secure);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or TrieNodeCorruptException)
            {
                result = CaseResult.Fail(path, test.Name, "", $"{e.GetType().Name}: {e.Message}");
            }
            yield return result;
        }
    }

    private static CaseResult RunRoot(string path, string name, JsonElement test, bool secure)
    {
        bool hexEncoded = test.TryGetProperty("hexEncoded", out var h) && h.ValueKind == JsonValueKind.True;
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        foreach (var (keyText, valueText) in Entries(test.GetProperty("in")))
        {
            var key = Bytes(keyText, hexEncoded);
            if (secure) key = Keccak256.HashToArray(key);
            var value = valueText is null ? [] : Bytes(valueText, hexEncoded);
            trie.Set(key, value);
        }
        var expected = Hash256.Parse(test.GetProperty("root").GetString()!);
        var actual = trie.RootHash;
        return actual == expected
            ? CaseResult.Pass(path, name)
            : CaseResult.Fail(path, name, "", $"root {actual}, expected {expected}");
    }

    /// <summary>Each probe is [key, previous key or "", next key or ""] over the keys of <c>in</c> (each its own value).</summary>
    private static CaseResult RunNextPrev(string path, string name, JsonElement test)
    {
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        foreach (var k in test.GetProperty("in").EnumerateArray())
        {
            var key = Bytes(k.GetString()!, false);
            trie.Set(key, key);
        }
        foreach (var probe in test.GetProperty("tests").EnumerateArray())
        {
            var key = Bytes(probe[0].GetString()!, false);
            string expectedPrev = probe[1].GetString()!, expectedNext = probe[2].GetString()!;
            string prev = "", next = "";
            foreach (var (k, _) in new TrieIterator(trie).From([]))
            {
                int c = k.AsSpan().SequenceCompareTo(key);
                if (c < 0) prev = Encoding.UTF8.GetString(k);
                else if (c > 0) { next = Encoding.UTF8.GetString(k); break; }
            }
            // The seek must agree with the full scan: the first key at or after the probe.
            string seekNext = "";
            foreach (var (k, _) in new TrieIterator(trie).From(key))
            {
                if (k.AsSpan().SequenceEqual(key)) continue;
                seekNext = Encoding.UTF8.GetString(k);
                break;
            }
            if (prev != expectedPrev || next != expectedNext || seekNext != expectedNext)
                return CaseResult.Fail(path, name, "", $"probe '{probe[0].GetString()}': prev '{prev}', next '{next}' (seek '{seekNext}'), expected '{expectedPrev}', '{expectedNext}'");
        }
        return CaseResult.Pass(path, name);
    }

    private static IEnumerable<(string Key, string? Value)> Entries(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in input.EnumerateObject()) yield return (p.Name, p.Value.GetString());
            yield break;
        }
        foreach (var pair in input.EnumerateArray())
            yield return (pair[0].GetString()!, pair[1].ValueKind == JsonValueKind.Null ? null : pair[1].GetString());
    }

    private static byte[] Bytes(string text, bool hexEncoded)
    {
        if (hexEncoded || text.StartsWith("0x", StringComparison.Ordinal))
            return Hex.TryParse(text, out var bytes) ? bytes : throw new FormatException($"'{text}' is not hex");
        return Encoding.UTF8.GetBytes(text);
    }
}
