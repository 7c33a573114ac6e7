using System.Numerics;
using BeamSync.Core;

namespace BeamSync.Core.Tests;

/// <summary>
/// Seeded generator of 256-bit test values weighted toward the edges where limb arithmetic breaks: zero,
/// one, limb boundaries, the sign bit, all ones, powers of two plus or minus one, and limb patterns mixing
/// zero, all-ones and random limbs. Not thread-safe (one instance per test).
/// </summary>
internal sealed class UInt256Samples(int seed)
{
    public static readonly BigInteger Modulus = BigInteger.One << 256;
    public static readonly BigInteger Mask = Modulus - 1;

    private static readonly BigInteger[] Edges = BuildEdges();
    private readonly Random _random = new(seed);

    private static BigInteger[] BuildEdges()
    {
        var edges = new List<BigInteger> { 0, 1, 2, 3, 255, ulong.MaxValue };
        foreach (int bit in new[] { 63, 64, 127, 128, 191, 192, 254, 255 })
        {
            var power = BigInteger.One << bit;
            edges.Add(power);
            edges.Add(power - 1);
            edges.Add(power + 1);
        }
        edges.Add(Mask);
        edges.Add(Mask - 1);
        return edges.ToArray();
    }

    public UInt256 Next() => UInt256.FromBigInteger(NextBig());

    public BigInteger NextBig()
    {
        switch (_random.Next(6))
        {
            case 0:
                return Edges[_random.Next(Edges.Length)];
            case 1:
            {
                int bit = _random.Next(256);
                var power = BigInteger.One << bit;
                return (power + _random.Next(-1, 2)) & Mask;
            }
            case 2:
            {
                // A random value of random bit length: exercises every divisor and dividend size.
                int bits = _random.Next(1, 257);
                return RandomLimbs() & ((BigInteger.One << bits) - 1);
            }
            case 3:
                // Small values: the 64-bit fast paths.
                return (ulong)_random.NextInt64() >> _random.Next(64);
            default:
                return RandomLimbs();
        }
    }

    private BigInteger RandomLimbs()
    {
        BigInteger value = 0;
        for (int i = 0; i < 4; i++)
        {
            ulong limb = _random.Next(5) switch
            {
                0 => 0,
                1 => ulong.MaxValue,
                2 => 1UL << 63,
                _ => (ulong)_random.NextInt64() ^ ((ulong)_random.Next() << 63),
            };
            value |= (BigInteger)limb << (64 * i);
        }
        return value;
    }

    public static BigInteger Big(in UInt256 value) => value.ToBigInteger();
    public static BigInteger Wrap(BigInteger value) => value & Mask;
    public static BigInteger ToSigned(BigInteger value) => value >= (BigInteger.One << 255) ? value - Modulus : value;
}
