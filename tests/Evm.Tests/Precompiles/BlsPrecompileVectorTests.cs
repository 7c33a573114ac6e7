using BeamSync.Tests.Shared;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;
using Xunit.Abstractions;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// Every go-ethereum EIP-2537 vector: exact output and gas, and every failure vector fails. The final EIP has no
/// separate MUL precompiles: blsG1Mul/blsG2Mul vectors are one-pair MSM inputs (160/288 bytes) for 0x0c/0x0e.
/// </summary>
public class BlsPrecompileVectorTests(ITestOutputHelper log)
{
    public static TheoryData<string, int> Files => new()
    {
        { "blsG1Add.json", 0x0b },
        { "blsG1Mul.json", 0x0c },
        { "blsG1MultiExp.json", 0x0c },
        { "blsG2Add.json", 0x0d },
        { "blsG2Mul.json", 0x0e },
        { "blsG2MultiExp.json", 0x0e },
        { "blsPairing.json", 0x0f },
        { "blsMapG1.json", 0x10 },
        { "blsMapG2.json", 0x11 },
    };

    public static TheoryData<string, int> FailureFiles => new()
    {
        { "fail-blsG1Add.json", 0x0b },
        { "fail-blsG1Mul.json", 0x0c },
        { "fail-blsG1MultiExp.json", 0x0c },
        { "fail-blsG2Add.json", 0x0d },
        { "fail-blsG2Mul.json", 0x0e },
        { "fail-blsG2MultiExp.json", 0x0e },
        { "fail-blsPairing.json", 0x0f },
        { "fail-blsMapG1.json", 0x10 },
        { "fail-blsMapG2.json", 0x11 },
    };

    [FixtureTheory("precompiles")]
    [MemberData(nameof(Files))]
    public void Vectors_match_output_and_gas(string file, int number)
    {
        var vectors = PrecompileFixtures.Load(file);
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of((ushort)number), Fork.Prague)!;
        Assert.NotEmpty(vectors);
        foreach (var vector in vectors)
        {
            byte[] input = Convert.FromHexString(vector.Input);
            Assert.True(vector.Gas == precompile.GasCost(input, Fork.Prague), $"{file} {vector.Name}: gas {precompile.GasCost(input, Fork.Prague)}, expected {vector.Gas}");
            Assert.True(precompile.TryRun(input, Fork.Prague, out byte[] output), $"{file} {vector.Name}: failed");
            Assert.True(string.Equals(vector.Expected, Convert.ToHexString(output), StringComparison.OrdinalIgnoreCase),
                $"{file} {vector.Name}: output {Convert.ToHexString(output)}, expected {vector.Expected}");
        }
    }

    [FixtureTheory("precompiles")]
    [MemberData(nameof(FailureFiles))]
    public void Failure_vectors_fail(string file, int number)
    {
        var vectors = PrecompileFixtures.Load(file);
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of((ushort)number), Fork.Prague)!;
        Assert.NotEmpty(vectors);
        foreach (var vector in vectors)
        {
            Assert.False(precompile.TryRun(Convert.FromHexString(vector.Input), Fork.Prague, out byte[] output), $"{file} {vector.Name} should fail ({vector.ExpectedError})");
            Assert.Empty(output);
        }
    }

    [Fact]
    public void Prague_activates_0x0b_to_0x11()
    {
        for (ushort n = 0x0b; n <= 0x11; n++)
        {
            Assert.Null(PrecompileSet.Get(PrecompileAddress.Of(n), Fork.Cancun));
            Assert.NotNull(PrecompileSet.Get(PrecompileAddress.Of(n), Fork.Prague));
        }
    }
}
