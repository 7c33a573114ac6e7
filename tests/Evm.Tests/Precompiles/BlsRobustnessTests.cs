using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;
using CsCheck;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// Hostile input for 0x0a–0x11 and 0x100: random bytes at the exact and at random lengths, and valid vectors with one
/// byte changed, never throw; failures leave an empty output.
/// </summary>
public class BlsRobustnessTests
{
    private static readonly (ushort Number, Fork Fork, string Vectors, int Unit)[] Precompiles =
    [
        (0x0a, Fork.Cancun, "pointEvaluation.json", 192),
        (0x0b, Fork.Prague, "blsG1Add.json", 256),
        (0x0c, Fork.Prague, "blsG1Mul.json", 160),
        (0x0d, Fork.Prague, "blsG2Add.json", 512),
        (0x0e, Fork.Prague, "blsG2Mul.json", 288),
        (0x0f, Fork.Prague, "blsPairing.json", 384),
        (0x10, Fork.Prague, "blsMapG1.json", 64),
        (0x11, Fork.Prague, "blsMapG2.json", 128),
        (0x100, Fork.Osaka, "p256Verify.json", 160),
    ];

    private static void Run(int index, byte[] input)
    {
        var (number, fork, _, _) = Precompiles[index];
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of(number), fork)!;
        Assert.True(precompile.GasCost(input, fork) >= 0);
        if (!precompile.TryRun(input, fork, out byte[] output)) Assert.Empty(output);
    }

    [Fact]
    public void Random_bytes_of_the_expected_length_never_throw() =>
        Gen.Int[0, Precompiles.Length - 1].SelectMany(i => Gen.Byte.Array[Precompiles[i].Unit].Select(bytes => (i, bytes)))
            .Sample(t => Run(t.i, t.bytes), iter: 300);

    [Fact]
    public void Random_lengths_never_throw() =>
        Gen.Select(Gen.Int[0, Precompiles.Length - 1], Gen.Byte.Array[0, 800]).Sample((i, bytes) => Run(i, bytes), iter: 500);

    [BeamSync.Tests.Shared.FixtureFact("precompiles")]
    public void Valid_vectors_with_one_byte_changed_never_throw()
    {
        var inputs = new List<(int Index, byte[] Input)>();
        for (int i = 0; i < Precompiles.Length; i++)
            foreach (var vector in PrecompileFixtures.Load(Precompiles[i].Vectors).Take(3))
                inputs.Add((i, Convert.FromHexString(vector.Input)));
        Assert.NotEmpty(inputs);
        Gen.Select(Gen.Int[0, inputs.Count - 1], Gen.Int[0, int.MaxValue], Gen.Byte).Sample((k, position, value) =>
        {
            var (index, input) = inputs[k];
            byte[] mutated = (byte[])input.Clone();
            if (mutated.Length > 0) mutated[position % mutated.Length] = value;
            Run(index, mutated);
        }, iter: 150);
    }
}
