using System.Numerics;
using BeamSync.Core;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BeamSync.Bench;

/// <summary>
/// UInt256 against System.Numerics.BigInteger (the baseline of each category) on full-width operands.
/// BigInteger results are reduced modulo 2^256 where the EVM operation wraps, so both compute the same thing.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class UInt256Benchmarks
{
    private static readonly BigInteger Mask = (BigInteger.One << 256) - 1;
    private static readonly BigInteger Modulus = BigInteger.One << 256;

    private UInt256 _a, _b, _divisor128, _divisor64, _modulus, _exponent;
    private BigInteger _bigA, _bigB, _bigDivisor128, _bigDivisor64, _bigModulus, _bigExponent;

    [GlobalSetup]
    public void Setup()
    {
        _a = UInt256.Parse("0xf3a1c9e27b5d408611aa23bc9f0e7d6c5b4a39281706f5e4d3c2b1a098877665");
        _b = UInt256.Parse("0x9e3779b97f4a7c15f39cc0605cedc8341082276bf3a27251f86c6a11d0c18e95");
        _divisor128 = UInt256.Parse("0xc2b2ae3d27d4eb4f165667b19e3779f9");
        _divisor64 = UInt256.Parse("0xd6e8feb86659fd93");
        _modulus = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        _exponent = UInt256.Parse("0x8000000000000000000000000000000000000000000000000000000000000001") | _b;
        _bigA = _a.ToBigInteger();
        _bigB = _b.ToBigInteger();
        _bigDivisor128 = _divisor128.ToBigInteger();
        _bigDivisor64 = _divisor64.ToBigInteger();
        _bigModulus = _modulus.ToBigInteger();
        _bigExponent = _exponent.ToBigInteger();
    }

    [Benchmark, BenchmarkCategory("Add")]
    public UInt256 Add()
    {
        UInt256.Add(_a, _b, out var r);
        return r;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Add")]
    public BigInteger AddBigInteger() => (_bigA + _bigB) & Mask;

    [Benchmark, BenchmarkCategory("Multiply")]
    public UInt256 Multiply()
    {
        UInt256.Multiply(_a, _b, out var r);
        return r;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Multiply")]
    public BigInteger MultiplyBigInteger() => (_bigA * _bigB) & Mask;

    [Benchmark, BenchmarkCategory("Divide256By128")]
    public UInt256 Divide256By128()
    {
        UInt256.Divide(_a, _divisor128, out var r);
        return r;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Divide256By128")]
    public BigInteger Divide256By128BigInteger() => _bigA / _bigDivisor128;

    [Benchmark, BenchmarkCategory("Divide256By64")]
    public UInt256 Divide256By64()
    {
        UInt256.Divide(_a, _divisor64, out var r);
        return r;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Divide256By64")]
    public BigInteger Divide256By64BigInteger() => _bigA / _bigDivisor64;

    [Benchmark, BenchmarkCategory("MultiplyMod")]
    public UInt256 MultiplyMod()
    {
        UInt256.MultiplyMod(_a, _b, _modulus, out var r);
        return r;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("MultiplyMod")]
    public BigInteger MultiplyModBigInteger() => _bigA * _bigB % _bigModulus;

    [Benchmark, BenchmarkCategory("Exp")]
    public UInt256 Exp()
    {
        UInt256.Exp(_a, _exponent, out var r);
        return r;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Exp")]
    public BigInteger ExpBigInteger() => BigInteger.ModPow(_bigA, _bigExponent, Modulus);
}
