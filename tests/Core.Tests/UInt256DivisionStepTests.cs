using BeamSync.Core;

namespace BeamSync.Core.Tests;

/// <summary>The Möller–Granlund reciprocal and 2-by-1 division step against UInt128 division.</summary>
public class UInt256DivisionStepTests
{
    [Fact]
    public void ReciprocalMatchesUInt128Division()
    {
        var random = new Random(30);
        var divisors = new List<ulong> { 1UL << 63, ulong.MaxValue, (1UL << 63) + 1, ulong.MaxValue - 1 };
        // Every 9-bit table prefix with the lowest and highest tails, then random normalized divisors.
        for (ulong prefix = 256; prefix < 512; prefix++)
        {
            divisors.Add(prefix << 55);
            divisors.Add((prefix << 55) | ((1UL << 55) - 1));
        }
        for (int i = 0; i < 200_000; i++) divisors.Add((ulong)random.NextInt64() | (1UL << 63) | (ulong)(uint)random.Next(2));

        foreach (ulong d in divisors)
            Assert.Equal((ulong)(UInt128.MaxValue / d), UInt256.Reciprocal(d));
    }

    [Fact]
    public void TwoByOneStepMatchesUInt128Division()
    {
        var random = new Random(31);
        for (int i = 0; i < 200_000; i++)
        {
            ulong d = (ulong)random.NextInt64() | (1UL << 63);
            if (i % 7 == 0) d = ulong.MaxValue - (ulong)random.Next(3);
            ulong high = (ulong)random.NextInt64() % d;
            if (i % 5 == 0) high = d - 1;
            ulong low = i % 3 == 0 ? ulong.MaxValue : (ulong)random.NextInt64();
            UInt128 dividend = ((UInt128)high << 64) | low;
            ulong quotient = UInt256.DivideTwoByOne(high, low, d, UInt256.Reciprocal(d), out ulong remainder);
            Assert.Equal((ulong)(dividend / d), quotient);
            Assert.Equal((ulong)(dividend % d), remainder);
        }
    }
}
