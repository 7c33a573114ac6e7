namespace BeamSync.Core.Specs;

public sealed partial class ChainSpec
{
    /// <summary>
    /// How many blocks the difficulty bomb is pushed back under a fork's rules (the fake block number it sees is
    /// the real one minus this): EIP-649 (Byzantium) 3M, EIP-1234 (Constantinople) 5M, EIP-2384 (Muir Glacier) 9M,
    /// EIP-3554 (London) 9.7M, EIP-4345 (Arrow Glacier) 10.7M, EIP-5133 (Gray Glacier) 11.4M; none before Byzantium.
    /// </summary>
    public static ulong DifficultyBombDelay(Fork fork) => fork switch
    {
        >= Fork.GrayGlacier => 11_400_000,
        >= Fork.ArrowGlacier => 10_700_000,
        >= Fork.London => 9_700_000,
        >= Fork.MuirGlacier => 9_000_000,
        >= Fork.Constantinople => 5_000_000,
        >= Fork.Byzantium => 3_000_000,
        _ => 0,
    };
}
