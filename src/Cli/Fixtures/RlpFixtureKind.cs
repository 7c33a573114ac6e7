using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using BeamSync.Core;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// ethereum/tests RLPTests: <c>in</c> is the value to encode (strings, integers, <c>#bigint</c>, lists) and
/// <c>out</c> its encoding; <c>"INVALID"</c> means <c>out</c> must be rejected, <c>"VALID"</c> that it must decode.
/// </summary>
public sealed class RlpFixtureKind : IFixtureKind
{
    public string Name => "RLP";
    public bool Implemented => true;

    public bool Recognizes(string path, JsonElement firstCase) =>
        firstCase.Has("in") && firstCase.Has("out") && !firstCase.Has("root");

    public IEnumerable<CaseResult> Run(string path, JsonElement root)
    {
        foreach (var test in root.EnumerateObject())
            yield return RunCase(path, test.Name, test.Value);
    }

    private static CaseResult RunCase(string path, string name, JsonElement test)
    {
        var input = test.GetProperty("in");
        if (!Hex.TryParse(test.GetProperty("out").GetString() ?? "", out var encoded))
            return CaseResult.Fail(path, name, "", "fixture 'out' is not hex");

        if (input.ValueKind == JsonValueKind.String && input.GetString() == "INVALID")
        {
            try
            {
                Rlp.Validate(encoded);
                return CaseResult.Fail(path, name, "", "invalid RLP was accepted");
            }
            catch (RlpException) { return CaseResult.Pass(path, name); }
        }

        try
        {
            Rlp.Validate(encoded);
        }
        catch (RlpException e)
        {
            return CaseResult.Fail(path, name, "", $"valid RLP rejected: {e.Error}: {e.Message}");
        }
        if (input.ValueKind == JsonValueKind.String && input.GetString() == "VALID") return CaseResult.Pass(path, name);

        var ours = Encode(input);
        return ours.AsSpan().SequenceEqual(encoded)
            ? CaseResult.Pass(path, name)
            : CaseResult.Fail(path, name, "", $"encoding differs: got {Hex.ToHex(ours)}");
    }

    private static byte[] Encode(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => Rlp.EncodeList(value.EnumerateArray().Select(Encode).ToArray()),
        JsonValueKind.Number => Rlp.Encode(value.GetUInt64()),
        JsonValueKind.String when value.GetString()!.StartsWith('#') => EncodeBigInteger(BigInteger.Parse(value.GetString()![1..], CultureInfo.InvariantCulture)),
        JsonValueKind.String => Rlp.EncodeBytes(Encoding.UTF8.GetBytes(value.GetString()!)),
        _ => throw new FormatException($"unsupported RLP test input {value.ValueKind}"),
    };

    private static byte[] EncodeBigInteger(BigInteger v) =>
        Rlp.EncodeBytes(v.IsZero ? [] : v.ToByteArray(isUnsigned: true, isBigEndian: true));
}
