using BeamSync.Tests.Shared;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;
using Xunit.Abstractions;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>Every go-ethereum vector for 0x01–0x09: exact output and exact gas under the fork whose pricing the file uses.</summary>
public class PrecompileVectorTests(ITestOutputHelper log)
{
    public static TheoryData<string, int, Fork> Files => new()
    {
        { "ecRecover.json", 0x01, Fork.Cancun },
        { "modexp.json", 0x05, Fork.Byzantium },
        { "modexp_eip2565.json", 0x05, Fork.Berlin },
        { "modexp_eip7883.json", 0x05, Fork.Osaka },
        { "bn256Add.json", 0x06, Fork.Istanbul },
        { "bn256ScalarMul.json", 0x07, Fork.Istanbul },
        { "bn256Pairing.json", 0x08, Fork.Istanbul },
        { "blake2F.json", 0x09, Fork.Istanbul },
    };

    public static TheoryData<string, int, Fork> FailureFiles => new()
    {
        { "fail-blake2f.json", 0x09, Fork.Istanbul },
    };

    [FixtureTheory("precompiles")]
    [MemberData(nameof(Files))]
    public void Vectors_match_output_and_gas(string file, int number, Fork fork)
    {
        var vectors = PrecompileFixtures.Load(file);
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of((ushort)number), fork)!;
        Assert.NotEmpty(vectors);
        foreach (var vector in vectors)
        {
            byte[] input = Convert.FromHexString(vector.Input);
            Assert.True(vector.Gas == precompile.GasCost(input, fork), $"{file} {vector.Name}: gas {precompile.GasCost(input, fork)}, expected {vector.Gas}");
            Assert.True(precompile.TryRun(input, fork, out byte[] output), $"{file} {vector.Name}: failed");
            Assert.True(string.Equals(vector.Expected, Convert.ToHexString(output), StringComparison.OrdinalIgnoreCase),
                $"{file} {vector.Name}: output {Convert.ToHexString(output)}, expected {vector.Expected}");
        }
    }

    [FixtureTheory("precompiles")]
    [MemberData(nameof(FailureFiles))]
    public void Failure_vectors_fail(string file, int number, Fork fork)
    {
        var vectors = PrecompileFixtures.Load(file);
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of((ushort)number), fork)!;
        Assert.NotEmpty(vectors);
        foreach (var vector in vectors)
            Assert.False(precompile.TryRun(Convert.FromHexString(vector.Input), fork, out _), $"{file} {vector.Name} should fail ({vector.ExpectedError})");
    }

    [Fact]
    public void Bn254_is_priced_per_EIP_196_and_197_before_Istanbul()
    {
        var pairingInput = new byte[2 * 192];
        Assert.Equal(500, Bn254AddPrecompile.Instance.GasCost([], Fork.Byzantium));
        Assert.Equal(40_000, Bn254MulPrecompile.Instance.GasCost([], Fork.Petersburg));
        Assert.Equal(260_000, Bn254PairingPrecompile.Instance.GasCost(pairingInput, Fork.Byzantium));
        Assert.Equal(113_000, Bn254PairingPrecompile.Instance.GasCost(pairingInput, Fork.Istanbul));
    }
}
