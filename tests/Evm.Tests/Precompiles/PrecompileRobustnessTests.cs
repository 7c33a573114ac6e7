using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;
using CsCheck;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>Hostile input: random bytes of random lengths never throw, and huge modexp lengths cost instead of allocating.</summary>
public class PrecompileRobustnessTests
{
    /// <summary>A call the interpreter would allow: more gas than any block has ever held is refused before running.</summary>
    private const long AffordableGas = 100_000_000;

    private static readonly IPrecompile[] All = [.. PrecompileSet.ActiveAddresses(Fork.Cancun).Select(a => PrecompileSet.Get(a, Fork.Cancun)!)];

    private static void RunMetered(IPrecompile precompile, byte[] input, Fork fork)
    {
        long gas = precompile.GasCost(input, fork);
        Assert.True(gas >= 0);
        if (gas <= AffordableGas) precompile.TryRun(input, fork, out byte[] output);
    }

    [Fact]
    public void Random_input_never_throws() =>
        Gen.Select(Gen.Int[0, All.Length - 1], Gen.Byte.Array[0, 700], Gen.Int[0, 2].Select(i => new[] { Fork.Byzantium, Fork.Istanbul, Fork.Cancun }[i]))
            .Sample((index, input, fork) => RunMetered(All[index], input, fork), iter: 3000);

    [Fact]
    public void Random_input_with_structured_prefixes_never_throws()
    {
        // Mostly-zero length words and curve-sized inputs reach deeper code than uniform noise does.
        var word = Gen.OneOf(Gen.Const(new byte[32]), Gen.Byte.Array[32], Gen.Byte[0, 3].Select(b => { var w = new byte[32]; w[31] = b; return w; }));
        Gen.Select(word, word, word, Gen.Byte.Array[0, 400]).Sample((a, b, c, tail) =>
        {
            byte[] input = [.. a, .. b, .. c, .. tail];
            foreach (IPrecompile precompile in All) RunMetered(precompile, input, Fork.Cancun);
            RunMetered(ModExpPrecompile.Instance, input, Fork.Byzantium);
        }, iter: 300);
    }

    [Theory]
    [InlineData("ff", "01", "01")]      // base length 2^256 − 1
    [InlineData("01", "ff", "01")]      // exponent length 2^256 − 1
    [InlineData("01", "01", "ff")]      // modulus length 2^256 − 1
    [InlineData("00", "ff", "00")]      // nothing to compute: empty modulus
    public void Modexp_huge_lengths_saturate_or_return_empty(string baseLen, string expLen, string modLen)
    {
        byte[] input = [.. Word(baseLen), .. Word(expLen), .. Word(modLen), 0x03, 0x05, 0x07];
        foreach (Fork fork in new[] { Fork.Byzantium, Fork.Berlin })
        {
            long gas = ModExpPrecompile.Instance.GasCost(input, fork);
            if (modLen == "00" && baseLen == "00")
            {
                Assert.Equal(fork >= Fork.Berlin ? 200 : 0, gas);
                Assert.True(ModExpPrecompile.Instance.TryRun(input, fork, out byte[] output));
                Assert.Empty(output);
            }
            else
            {
                Assert.Equal(long.MaxValue, gas);
                Assert.False(ModExpPrecompile.Instance.TryRun(input, fork, out _));
            }
        }

        static byte[] Word(string fill) => fill == "ff" ? Enumerable.Repeat((byte)0xff, 32).ToArray() : [.. new byte[31], Convert.FromHexString(fill)[0]];
    }

    [Fact]
    public void Modexp_exponent_past_the_input_is_zero_padded()
    {
        // base 3, exponent length 2 with only its first byte (0x01) present: exponent = 0x0100 = 256.
        byte[] input = [.. Length(1), .. Length(2), .. Length(32), 0x03, 0x01];
        byte[] modulus = [.. new byte[31], 0x65];
        byte[] withModulus = [.. Length(1), .. Length(2), .. Length(32), 0x03, 0x01, 0x00, .. modulus];
        Assert.True(ModExpPrecompile.Instance.TryRun(withModulus, Fork.Berlin, out byte[] expected));
        Assert.Equal(System.Numerics.BigInteger.ModPow(3, 256, 0x65), new System.Numerics.BigInteger(expected, isUnsigned: true, isBigEndian: true));
        // Without the modulus bytes the modulus reads as zero, so the output is 32 zero bytes.
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Berlin, out byte[] zero));
        Assert.Equal(new byte[32], zero);

        static byte[] Length(byte n) => [.. new byte[31], n];
    }
}
