using BeamSync.Core.Crypto;

namespace BeamSync.Core.Tests;

public class Secp256k1Tests
{
    // A widely published pair: private key 0x...01 is the generator G.
    [Fact]
    public void PublicKeyOfOneIsGenerator()
    {
        var key = new byte[32]; key[31] = 1;
        var pub = Secp256k1Curve.GetPublicKey(key);
        Assert.Equal("0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", Hex.ToHex(pub));
        // The address of G, as published for private key 1.
        Assert.Equal(Address.Parse("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"), Secp256k1Curve.ToAddress(pub));
    }

    [Fact]
    public void SignThenRecover()
    {
        var key = Secp256k1Curve.GeneratePrivateKey();
        var hash = Keccak256.HashToArray("hello"u8);
        var (sig, recId) = Secp256k1Curve.Sign(hash, key);
        Span<byte> pub = stackalloc byte[64];
        Assert.True(Secp256k1Curve.TryRecover(hash, sig, recId, pub));
        Assert.Equal(Secp256k1Curve.GetPublicKey(key), pub.ToArray());
        Assert.True(new UInt256(sig.AsSpan(32)) <= Secp256k1Curve.HalfN);
    }

    [Fact]
    public void EcdhIsSymmetric()
    {
        var a = Secp256k1Curve.GeneratePrivateKey();
        var b = Secp256k1Curve.GeneratePrivateKey();
        Assert.Equal(Secp256k1Curve.AgreeRawX(Secp256k1Curve.GetPublicKey(b), a), Secp256k1Curve.AgreeRawX(Secp256k1Curve.GetPublicKey(a), b));
    }

    [Fact]
    public void GarbageSignatureDoesNotRecover()
    {
        var zero = new byte[64];
        Span<byte> pub = stackalloc byte[64];
        Assert.False(Secp256k1Curve.TryRecover(new byte[32], zero, 0, pub));
        Assert.False(Secp256k1Curve.TryRecover(new byte[32], new byte[64], 7, pub));
    }
}
