using BeamSync.Tests.Shared;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;
using Xunit.Abstractions;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>EIP-7951 P256VERIFY: every go-ethereum vector (valid and invalid), and the EIP's input rules.</summary>
public class P256VerifyTests(ITestOutputHelper log)
{
    private static readonly byte[] One = [.. new byte[31], 1];

    [FixtureFact("precompiles/p256Verify.json")]
    public void Vectors_match_output_and_gas()
    {
        var vectors = PrecompileFixtures.Load("p256Verify.json");
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of(0x100), Fork.Osaka)!;
        int valid = 0;
        foreach (var vector in vectors)
        {
            byte[] input = Convert.FromHexString(vector.Input);
            Assert.Equal(vector.Gas, precompile.GasCost(input, Fork.Osaka));
            Assert.True(precompile.TryRun(input, Fork.Osaka, out byte[] output), vector.Name);
            Assert.True(string.Equals(vector.Expected ?? "", Convert.ToHexString(output), StringComparison.OrdinalIgnoreCase),
                $"{vector.Name}: output {Convert.ToHexString(output)}, expected {vector.Expected}");
            if (output.Length != 0) valid++;
        }
        Assert.InRange(valid, 1, vectors.Count - 1);
    }

    [FixtureFact("precompiles/p256Verify.json")]
    public void Out_of_range_and_malformed_inputs_give_empty_output()
    {
        var vectors = PrecompileFixtures.Load("p256Verify.json");
        byte[] good = Convert.FromHexString(vectors[0].Input);
        Assert.True(P256VerifyPrecompile.Instance.TryRun(good, Fork.Osaka, out byte[] ok));
        Assert.Equal(One, ok);

        byte[] n = Convert.FromHexString("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
        byte[] p = Convert.FromHexString("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
        foreach ((int offset, byte[] value) in new[] { (32, n), (64, n), (32, new byte[32]), (64, new byte[32]), (96, p), (128, p) })
        {
            byte[] input = (byte[])good.Clone();
            value.CopyTo(input, offset);
            Assert.True(P256VerifyPrecompile.Instance.TryRun(input, Fork.Osaka, out byte[] output));
            Assert.Empty(output);
        }
        byte[] infinity = (byte[])good.Clone();
        Array.Clear(infinity, 96, 64);
        Assert.True(P256VerifyPrecompile.Instance.TryRun(infinity, Fork.Osaka, out byte[] inf));
        Assert.Empty(inf);
        Assert.True(P256VerifyPrecompile.Instance.TryRun(good.AsSpan(0, 159), Fork.Osaka, out byte[] shortOutput));
        Assert.Empty(shortOutput);
    }

    [Fact]
    public void Is_active_from_Osaka()
    {
        Assert.Null(PrecompileSet.Get(PrecompileAddress.Of(0x100), Fork.Prague));
        Assert.Same(P256VerifyPrecompile.Instance, PrecompileSet.Get(PrecompileAddress.Of(0x100), Fork.Osaka));
    }
}
