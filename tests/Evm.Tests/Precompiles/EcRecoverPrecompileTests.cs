using System.Numerics;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>ecrecover's input rules: exact v words, r and s in [1, n−1], high s accepted, failures are empty successes.</summary>
public class EcRecoverPrecompileTests
{
    private static readonly BigInteger N = BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);

    private static (byte[] input, byte[] expected) Signed()
    {
        byte[] key = Secp256k1Curve.GeneratePrivateKey();
        byte[] hash = System.Security.Cryptography.SHA256.HashData("beam"u8);
        var (signature, recoveryId) = Secp256k1Curve.Sign(hash, key);
        var input = new byte[128];
        hash.CopyTo(input, 0);
        input[63] = (byte)(27 + recoveryId);
        signature.CopyTo(input, 64);
        byte[] expected = [.. new byte[12], .. Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(key)).Bytes];
        return (input, expected);
    }

    private static byte[] Run(byte[] input)
    {
        Assert.True(EcRecoverPrecompile.Instance.TryRun(input, Fork.Cancun, out byte[] output));
        return output;
    }

    [Fact]
    public void Recovers_the_signer_and_accepts_high_s()
    {
        var (input, expected) = Signed();
        Assert.Equal(expected, Run(input));

        // (r, n − s) with the other recovery id is the same signature in its high-s form.
        var s = new BigInteger(input.AsSpan(96, 32), isUnsigned: true, isBigEndian: true);
        byte[] high = (byte[])input.Clone();
        (N - s).TryWriteBytes(high.AsSpan(96, 32), out _, isUnsigned: true, isBigEndian: true);
        high[63] = (byte)(input[63] == 27 ? 28 : 27);
        Assert.Equal(expected, Run(high));
    }

    [Theory]
    [InlineData(30, 1)]  // a high byte set: the word is not 27 or 28 even though its last byte is
    [InlineData(31, 29)]
    [InlineData(31, 0)]
    [InlineData(31, 1)]  // a raw recovery id is not a v
    public void Invalid_v_gives_empty_output(int byteOfV, byte value)
    {
        var (input, _) = Signed();
        input[32 + byteOfV] = value;
        Assert.Empty(Run(input));
    }

    [Fact]
    public void Zero_or_out_of_range_r_and_s_give_empty_output()
    {
        var (input, _) = Signed();
        byte[] zeroR = (byte[])input.Clone();
        Array.Clear(zeroR, 64, 32);
        Assert.Empty(Run(zeroR));
        byte[] sIsN = (byte[])input.Clone();
        N.TryWriteBytes(sIsN.AsSpan(96, 32), out _, isUnsigned: true, isBigEndian: true);
        Assert.Empty(Run(sIsN));
        Assert.Empty(Run([]));
        Assert.Equal(3000, EcRecoverPrecompile.Instance.GasCost([], Fork.Frontier));
    }
}
