using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Validation;

/// <summary>
/// The ethash difficulty of a proof-of-work block from its parent, by fork: Frontier's 13-second rule, Homestead's
/// EIP-2 slope, Byzantium's EIP-100 uncle-aware slope, and the ice age ("bomb") with the delays of EIP-649, 1234,
/// 2384, 3554, 4345 and 5133. Stateless; thread-safe.
/// </summary>
public static class Difficulty
{
    public static readonly UInt256 Minimum = 131_072;
    private const ulong BombPeriod = 100_000;

    public static UInt256 Calculate(Fork fork, ulong timestamp, ulong number, BlockHeader parent)
    {
        var parentDifficulty = parent.Difficulty;
        var step = parentDifficulty / new UInt256(2048);
        ulong elapsed = timestamp - parent.Timestamp;
        UInt256 difficulty;
        if (fork < Fork.Homestead)
        {
            difficulty = elapsed < 13 ? parentDifficulty + step : parentDifficulty - step;
        }
        else
        {
            // Homestead: 1 - elapsed/10; Byzantium: (parent has uncles ? 2 : 1) - elapsed/9; floored at -99.
            long sigma = fork >= Fork.Byzantium
                ? (parent.OmmersHash == Hash256.EmptyListHash ? 1 : 2) - (long)Math.Min(elapsed / 9, 1000)
                : 1 - (long)Math.Min(elapsed / 10, 1000);
            if (sigma < -99) sigma = -99;
            var delta = step * new UInt256((ulong)Math.Abs(sigma));
            difficulty = sigma >= 0 ? parentDifficulty + delta : (delta > parentDifficulty ? UInt256.Zero : parentDifficulty - delta);
        }
        if (difficulty < Minimum) difficulty = Minimum;

        ulong delay = ChainSpec.DifficultyBombDelay(fork);
        ulong fakeNumber = number >= delay ? number - delay : 0;
        ulong periods = fakeNumber / BombPeriod;
        if (periods > 1) difficulty += UInt256.One << (int)(periods - 2);
        return difficulty;
    }
}
