using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;

namespace BeamSync.Evm.Tests.Precompiles;

public class PrecompileSetTests
{
    [Fact]
    public void Activation_follows_the_forks()
    {
        Assert.Equal(4, PrecompileSet.ActiveAddresses(Fork.Frontier).Count);
        Assert.Equal(4, PrecompileSet.ActiveAddresses(Fork.SpuriousDragon).Count);
        Assert.Equal(8, PrecompileSet.ActiveAddresses(Fork.Byzantium).Count);
        Assert.Equal(8, PrecompileSet.ActiveAddresses(Fork.Petersburg).Count);
        Assert.Equal(9, PrecompileSet.ActiveAddresses(Fork.Istanbul).Count);
        Assert.Equal(9, PrecompileSet.ActiveAddresses(Fork.Shanghai).Count);
        Assert.Equal(10, PrecompileSet.ActiveAddresses(Fork.Cancun).Count);
        Assert.Null(PrecompileSet.Get(PrecompileAddress.ModExp, Fork.SpuriousDragon));
        Assert.Same(ModExpPrecompile.Instance, PrecompileSet.Get(PrecompileAddress.ModExp, Fork.Byzantium));
        Assert.Null(PrecompileSet.Get(PrecompileAddress.Blake2F, Fork.Petersburg));
        Assert.Same(Blake2FPrecompile.Instance, PrecompileSet.Get(PrecompileAddress.Blake2F, Fork.Istanbul));
    }

    [Fact]
    public void Ordinary_addresses_have_no_precompile()
    {
        Assert.Null(PrecompileSet.Get(Address.Zero, Fork.Cancun));
        Assert.Null(PrecompileSet.Get(PrecompileAddress.Of(0x0a), Fork.Shanghai));
        Assert.Null(PrecompileSet.Get(Address.Parse("0x1000000000000000000000000000000000000001"), Fork.Cancun));
        foreach (Address address in PrecompileSet.ActiveAddresses(Fork.Cancun))
            Assert.Equal(address, PrecompileSet.Get(address, Fork.Cancun)!.Address);
    }

    [Fact]
    public void Hash_precompiles_price_per_word()
    {
        Assert.Equal(60, Sha256Precompile.Instance.GasCost([], Fork.Frontier));
        Assert.Equal(60 + 12 * 2, Sha256Precompile.Instance.GasCost(new byte[33], Fork.Frontier));
        Assert.Equal(600 + 120, Ripemd160Precompile.Instance.GasCost(new byte[32], Fork.Frontier));
        Assert.Equal(15 + 3 * 3, IdentityPrecompile.Instance.GasCost(new byte[65], Fork.Frontier));
        Assert.True(Ripemd160Precompile.Instance.TryRun("abc"u8, Fork.Frontier, out byte[] digest));
        Assert.Equal("0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc", Convert.ToHexStringLower(digest));
        Assert.True(Sha256Precompile.Instance.TryRun("abc"u8, Fork.Frontier, out byte[] sha));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(sha));
    }
}
