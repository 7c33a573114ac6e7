using System.Numerics;
using BenchmarkDotNet.Attributes;
using Bls = BeamSync.Evm.Precompiles.Bls12381;
using Bn = BeamSync.Evm.Precompiles.Bn254;

namespace BeamSync.Bench;

/// <summary>
/// Base-field arithmetic of the curve precompiles (BLS12-381: 6 limbs, bn254: 4 limbs, Montgomery form), ns per op.
/// Each benchmark chains <see cref="Chain"/> dependent operations so the figure is latency, not loop overhead.
/// Run: dotnet run -c Release --project bench/Bench -- --filter '*FieldBenchmarks*' --job short
/// </summary>
public class FieldBenchmarks
{
    private const int Chain = 1000;

    private Bls.Fp _blsA, _blsB;
    private Bn.Fp _bnA, _bnB;

    [GlobalSetup]
    public void Setup()
    {
        _blsA = Bls.Fp.FromBigInteger(BigInteger.Parse("1234567890123456789012345678901234567890123456789012345678901234567890123456789"));
        _blsB = Bls.Fp.FromBigInteger(Bls.Fp.Modulus - 987654321987654321);
        _bnA = Bn.Fp.FromBigInteger(BigInteger.Parse("12345678901234567890123456789012345678901234567890123456789012345678"));
        _bnB = Bn.Fp.FromBigInteger(Bn.Fp.Modulus - 987654321987654321);
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bls.Fp BlsMul()
    {
        Bls.Fp x = _blsA, b = _blsB;
        for (int i = 0; i < Chain; i++) x *= b;
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bls.Fp BlsSquare()
    {
        Bls.Fp x = _blsA;
        for (int i = 0; i < Chain; i++) x = x.Square();
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bls.Fp BlsAdd()
    {
        Bls.Fp x = _blsA, b = _blsB;
        for (int i = 0; i < Chain; i++) x += b;
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bls.Fp BlsSub()
    {
        Bls.Fp x = _blsA, b = _blsB;
        for (int i = 0; i < Chain; i++) x -= b;
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bn.Fp BnMul()
    {
        Bn.Fp x = _bnA, b = _bnB;
        for (int i = 0; i < Chain; i++) x *= b;
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bn.Fp BnSquare()
    {
        Bn.Fp x = _bnA;
        for (int i = 0; i < Chain; i++) x = x.Square();
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bn.Fp BnAdd()
    {
        Bn.Fp x = _bnA, b = _bnB;
        for (int i = 0; i < Chain; i++) x += b;
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bn.Fp BnSub()
    {
        Bn.Fp x = _bnA, b = _bnB;
        for (int i = 0; i < Chain; i++) x -= b;
        return x;
    }
}
