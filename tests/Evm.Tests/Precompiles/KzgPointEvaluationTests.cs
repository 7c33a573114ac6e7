using System.Text.Json;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;
using BeamSync.Evm.Precompiles.Bls12381;
using BeamSync.Evm.Precompiles.Kzg;
using BeamSync.Tests.Shared;
using Xunit.Abstractions;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>EIP-4844 point evaluation: the shipped setup points, the vector, and malformed inputs.</summary>
public class KzgPointEvaluationTests(ITestOutputHelper log)
{
    private static byte[] ValidInput()
    {
        var vectors = PrecompileFixtures.Load("pointEvaluation.json");
        return Convert.FromHexString(vectors[0].Input);
    }

    [FixtureFact("kzg/trusted_setup.json")]
    public void Shipped_setup_points_match_the_ceremony_file()
    {
        string path = TestFixtures.PathOf("kzg/trusted_setup.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        IEnumerable<byte> Points(string array) => doc.RootElement.GetProperty(array).EnumerateArray().SelectMany(p => Convert.FromHexString(p.GetString()![2..]));
        byte[] expected = [.. Points("g1_lagrange"), .. Points("g1_monomial"), .. Points("g2_monomial")];
        Assert.Equal(expected, KzgTrustedSetup.ReadResource());
        Assert.True(KzgTrustedSetup.G1.IsSamePoint(Bls12381Curve.G1Generator));
        Assert.True(KzgTrustedSetup.G2.IsSamePoint(Bls12381Curve.G2Generator));
    }

    [FixtureFact("precompiles/pointEvaluation.json")]
    public void Vector_passes_with_the_fixed_output_and_gas()
    {
        var vectors = PrecompileFixtures.Load("pointEvaluation.json");
        foreach (var vector in vectors)
        {
            byte[] input = Convert.FromHexString(vector.Input);
            Assert.Equal(vector.Gas, PointEvaluationPrecompile.Instance.GasCost(input, Fork.Cancun));
            Assert.True(PointEvaluationPrecompile.Instance.TryRun(input, Fork.Cancun, out byte[] output));
            Assert.Equal(vector.Expected, Convert.ToHexString(output), StringComparer.OrdinalIgnoreCase);
        }
    }

    [FixtureFact("precompiles/pointEvaluation.json")]
    public void Tampered_inputs_fail()
    {
        byte[] valid = ValidInput();
        foreach (int offset in new[] { 0, 1, 40, 70, 100, 150, 191 })
        {
            byte[] input = (byte[])valid.Clone();
            input[offset] ^= 0x01;
            Assert.False(PointEvaluationPrecompile.Instance.TryRun(input, Fork.Cancun, out byte[] output), $"flip at {offset}");
            Assert.Empty(output);
        }
        Assert.False(PointEvaluationPrecompile.Instance.TryRun(valid.AsSpan(0, 191), Fork.Cancun, out _));
        Assert.False(PointEvaluationPrecompile.Instance.TryRun([.. valid, 0], Fork.Cancun, out _));

        byte[] zTooBig = (byte[])valid.Clone();
        KzgProof.Modulus.CopyTo(zTooBig.AsSpan(32));
        Assert.False(PointEvaluationPrecompile.Instance.TryRun(zTooBig, Fork.Cancun, out _));
    }

    [Fact]
    public void Is_active_from_Cancun() =>
        Assert.Same(PointEvaluationPrecompile.Instance, PrecompileSet.Get(PrecompileAddress.Of(0x0a), Fork.Cancun));
}
