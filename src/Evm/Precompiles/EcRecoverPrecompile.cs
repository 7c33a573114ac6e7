using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x01 ecrecover: input hash ‖ v ‖ r ‖ s (32-byte words, right-padded); returns the signer's address as a
/// 32-byte word. v must be exactly 27 or 28 as a word and r, s in [1, n−1]; high s is accepted (EIP-2 binds
/// transactions only). An invalid signature is a successful call with empty output. 3000 gas. Stateless; thread-safe.
/// </summary>
public sealed class EcRecoverPrecompile : IPrecompile
{
    public static readonly EcRecoverPrecompile Instance = new();
    private EcRecoverPrecompile() { }

    private const long Gas = 3000;

    /// <summary>The secp256k1 group order n, big-endian.</summary>
    private static ReadOnlySpan<byte> N =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    ];

    public Address Address => PrecompileAddress.EcRecover;

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Gas;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        Span<byte> words = stackalloc byte[128];
        PaddedInput.Copy(input, 0, words);
        ReadOnlySpan<byte> v = words[32..64], r = words[64..96], s = words[96..128];

        if (v[..31].IndexOfAnyExcept((byte)0) >= 0 || v[31] is not (27 or 28)) return true;
        if (!IsValidScalar(r) || !IsValidScalar(s)) return true;

        Span<byte> publicKey = stackalloc byte[Secp256k1Curve.PublicKeySize];
        if (!Secp256k1Curve.TryRecover(words[..32], words[64..128], v[31] - 27, publicKey)) return true;

        Address signer = Secp256k1Curve.ToAddress(publicKey);
        output = new byte[32];
        signer.Bytes.CopyTo(output.AsSpan(12));
        return true;
    }

    private static bool IsValidScalar(ReadOnlySpan<byte> word) =>
        word.IndexOfAnyExcept((byte)0) >= 0 && word.SequenceCompareTo(N) < 0;
}
