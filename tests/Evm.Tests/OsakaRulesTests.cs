using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Evm.Precompiles;
using BeamSync.State;

namespace BeamSync.Evm.Tests;

/// <summary>Osaka's EVM-level rules: CLZ (EIP-7939), modexp bounds (EIP-7823) and the blob reserve price (EIP-7918).</summary>
public class OsakaRulesTests
{
    private static readonly Address Contract = Address.Parse("0x2000000000000000000000000000000000000002");

    private static (EvmStatus Status, UInt256 Value, long GasLeft) RunClz(UInt256 input, Fork fork)
    {
        var state = new WorldState(new TrieStateStore(new MemoryKeyValueStore()));
        Span<byte> word = stackalloc byte[32];
        input.ToBigEndian(word);
        // PUSH32 input, CLZ, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
        state.SetCode(Contract, [0x7f, .. word, 0x1e, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3]);
        var block = new BlockContext(Address.Zero, 1, 1, 30_000_000, UInt256.Zero, UInt256.Zero, Hash256.Zero, 1, UInt256.Zero, _ => Hash256.Zero);
        var vm = new VirtualMachine(state, EvmSpec.For(fork), block, new TxContext(Address.Zero, UInt256.One, []));
        var result = vm.Call(CallKind.Call, Address.Zero, Contract, Contract, UInt256.Zero, [], 1000, false, 0);
        return (result.Status, result.IsSuccess ? new UInt256(result.Output) : UInt256.Zero, result.GasLeft);
    }

    [Fact]
    public void Clz_counts_leading_zero_bits_for_5_gas_from_Osaka_only()
    {
        Assert.Equal(new UInt256(256), RunClz(UInt256.Zero, Fork.Osaka).Value);
        Assert.Equal(new UInt256(255), RunClz(UInt256.One, Fork.Osaka).Value);
        Assert.Equal(UInt256.Zero, RunClz(UInt256.MaxValue, Fork.Osaka).Value);
        Assert.Equal(new UInt256(191), RunClz(new UInt256(0, 1, 0, 0), Fork.Osaka).Value);
        // PUSH32 3 + CLZ 5 + PUSH1 3 + MSTORE 3 + memory 3 + PUSH1 3 ×2
        Assert.Equal(1000 - 23, RunClz(UInt256.One, Fork.Osaka).GasLeft);
        Assert.Equal(EvmStatus.InvalidOpcode, RunClz(UInt256.One, Fork.Prague).Status);
    }

    [Fact]
    public void Modexp_lengths_above_1024_fail_from_Osaka()
    {
        byte[] input = new byte[96 + 1025 + 1 + 1];
        input[30] = 0x04; input[31] = 0x01;    // baseLen 1025
        input[63] = 1; input[95] = 1;          // expLen 1, modLen 1
        input[^1] = 7;
        Assert.True(ModExpPrecompile.Instance.TryRun(input, Fork.Prague, out _));
        Assert.False(ModExpPrecompile.Instance.TryRun(input, Fork.Osaka, out _));

        // Even with a zero modulus length, which otherwise returns empty output at once.
        byte[] zeroMod = new byte[96];
        zeroMod[62] = 0x04; zeroMod[63] = 0x01;   // expLen 1025
        Assert.True(ModExpPrecompile.Instance.TryRun(zeroMod, Fork.Prague, out var empty));
        Assert.Empty(empty);
        Assert.False(ModExpPrecompile.Instance.TryRun(zeroMod, Fork.Osaka, out _));
    }

    [Fact]
    public void Modexp_with_empty_operands_costs_the_EIP_7883_minimum_or_more()
    {
        Assert.Equal(500, ModExpPrecompile.Instance.GasCost(new byte[96], Fork.Osaka));
        Assert.Equal(200, ModExpPrecompile.Instance.GasCost(new byte[96], Fork.Cancun));
        // Zero base and modulus lengths but a 64-byte exponent: complexity 16 × (16·32 iterations) = 8192.
        byte[] longExponent = new byte[96];
        longExponent[63] = 64;
        Assert.Equal(16 * 16 * 32, ModExpPrecompile.Instance.GasCost(longExponent, Fork.Osaka));
    }

    [Fact]
    public void Excess_blob_gas_follows_the_reserve_price_from_Osaka()
    {
        var prague = BlobParameters.PragueDefault;   // target 6, max 9
        ulong used = 8 * BlobGas.GasPerBlob;
        ulong plain = 2 * BlobGas.GasPerBlob;
        Assert.Equal(plain, BlobGas.ExcessBlobGas(0, used, new UInt256(1_000_000_000), prague, isOsaka: false));
        // Execution gas is expensive and blobs cost the minimum: the excess grows by used·(9−6)/9 instead.
        Assert.Equal(used * 3 / 9, BlobGas.ExcessBlobGas(0, used, new UInt256(1_000_000_000), prague, isOsaka: true));
        // A zero base fee sets no reserve price.
        Assert.Equal(plain, BlobGas.ExcessBlobGas(0, used, UInt256.Zero, prague, isOsaka: true));
        // Below the target the excess is zero under either rule.
        Assert.Equal(0UL, BlobGas.ExcessBlobGas(0, 5 * BlobGas.GasPerBlob, new UInt256(1_000_000_000), prague, isOsaka: true));
    }
}
