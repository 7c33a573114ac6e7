using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// Which precompiled contract answers at an address under a fork, and the list of active precompile addresses
/// per fork (EIP-2929 pre-warms them). Addresses are numbers below 2^16 (0x01…, later 0x0a KZG, 0x0b…0x11
/// BLS12-381, 0x100 P-256); a new precompile is one more <see cref="Register"/> line. Immutable after start-up; thread-safe.
/// </summary>
public static class PrecompileSet
{
    private readonly record struct Entry(IPrecompile Precompile, Fork Since);

    /// <summary>Entries indexed by the address's low 16 bits; null where nothing is deployed.</summary>
    private static readonly Entry?[] ByNumber = new Entry?[0x101];

    private static readonly Address[][] ActiveByFork;

    static PrecompileSet()
    {
        Register(0x01, EcRecoverPrecompile.Instance, Fork.Frontier);
        Register(0x02, Sha256Precompile.Instance, Fork.Frontier);
        Register(0x03, Ripemd160Precompile.Instance, Fork.Frontier);
        Register(0x04, IdentityPrecompile.Instance, Fork.Frontier);
        Register(0x05, ModExpPrecompile.Instance, Fork.Byzantium);
        Register(0x06, Bn254AddPrecompile.Instance, Fork.Byzantium);
        Register(0x07, Bn254MulPrecompile.Instance, Fork.Byzantium);
        Register(0x08, Bn254PairingPrecompile.Instance, Fork.Byzantium);
        Register(0x09, Blake2FPrecompile.Instance, Fork.Istanbul);
        Register(0x0a, PointEvaluationPrecompile.Instance, Fork.Cancun);
        Register(0x0b, Bls12381G1AddPrecompile.Instance, Fork.Prague);
        Register(0x0c, Bls12381G1MsmPrecompile.Instance, Fork.Prague);
        Register(0x0d, Bls12381G2AddPrecompile.Instance, Fork.Prague);
        Register(0x0e, Bls12381G2MsmPrecompile.Instance, Fork.Prague);
        Register(0x0f, Bls12381PairingCheckPrecompile.Instance, Fork.Prague);
        Register(0x10, Bls12381MapFpToG1Precompile.Instance, Fork.Prague);
        Register(0x11, Bls12381MapFp2ToG2Precompile.Instance, Fork.Prague);
        Register(0x100, P256VerifyPrecompile.Instance, Fork.Osaka);

        Fork[] forks = Enum.GetValues<Fork>();
        ActiveByFork = new Address[(int)forks[^1] + 1][];
        foreach (Fork fork in forks)
        {
            var active = new List<Address>();
            foreach (Entry? entry in ByNumber)
                if (entry is { } e && e.Since <= fork) active.Add(e.Precompile.Address);
            ActiveByFork[(int)fork] = active.ToArray();
        }
    }

    private static void Register(ushort number, IPrecompile precompile, Fork since)
    {
        if (precompile.Address != PrecompileAddress.Of(number))
            throw new InvalidOperationException($"precompile registered at 0x{number:x} reports address {precompile.Address}");
        ByNumber[number] = new Entry(precompile, since);
    }

    /// <summary>The precompile at <paramref name="address"/> under <paramref name="fork"/>, or null for an ordinary account.</summary>
    public static IPrecompile? Get(Address address, Fork fork)
    {
        ReadOnlySpan<byte> bytes = address.Bytes;
        if (bytes[..^2].IndexOfAnyExcept((byte)0) >= 0) return null;
        int number = (bytes[^2] << 8) | bytes[^1];
        if ((uint)number >= (uint)ByNumber.Length) return null;
        return ByNumber[number] is { } entry && entry.Since <= fork ? entry.Precompile : null;
    }

    /// <summary>The addresses of every precompile active under <paramref name="fork"/>, in address order.</summary>
    public static IReadOnlyList<Address> ActiveAddresses(Fork fork) => ActiveByFork[(int)fork];
}
