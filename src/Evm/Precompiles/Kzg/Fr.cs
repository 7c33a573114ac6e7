using BeamSync.Core;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// An element of the BLS12-381 scalar field (integers mod r), the field KZG blobs and polynomials live in. Kept as a
/// canonical <see cref="UInt256"/> below r and reduced with UInt256's general modular arithmetic: KZG work is
/// dominated by curve operations, so a dedicated Montgomery field would buy little. Immutable; thread-safe.
/// </summary>
public readonly struct Fr : IEquatable<Fr>
{
    public const int Size = 32;

    /// <summary>r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001.</summary>
    public static readonly UInt256 Modulus = new(KzgProof.Modulus);
    private static readonly UInt256 ModulusMinusTwo = Modulus - new UInt256(2);

    public static readonly Fr Zero = default;
    public static readonly Fr One = new(UInt256.One);

    public readonly UInt256 Value;

    private Fr(in UInt256 canonical) => Value = canonical;

    public static Fr FromUInt64(ulong value) => new(new UInt256(value) % Modulus);

    /// <summary>A 32-byte big-endian value, only when it is below r (the spec's canonical encoding).</summary>
    public static bool TryRead(ReadOnlySpan<byte> bigEndian32, out Fr value)
    {
        value = default;
        if (bigEndian32.Length != Size || !KzgProof.IsCanonicalScalar(bigEndian32)) return false;
        value = new Fr(new UInt256(bigEndian32));
        return true;
    }

    /// <summary>Any 32 big-endian bytes reduced mod r (the spec's hash_to_bls_field).</summary>
    public static Fr FromBigEndianReduced(ReadOnlySpan<byte> bigEndian32) => new(new UInt256(bigEndian32) % Modulus);

    public void Write(Span<byte> bigEndian32) => Value.ToBigEndian(bigEndian32);

    public bool IsZero => Value.IsZero;

    public static Fr operator +(in Fr a, in Fr b)
    {
        UInt256.AddMod(a.Value, b.Value, Modulus, out var sum);
        return new Fr(sum);
    }

    public static Fr operator -(in Fr a, in Fr b) =>
        new(a.Value >= b.Value ? a.Value - b.Value : a.Value + (Modulus - b.Value));

    public static Fr operator -(in Fr a) => Zero - a;

    public static Fr operator *(in Fr a, in Fr b)
    {
        UInt256.MultiplyMod(a.Value, b.Value, Modulus, out var product);
        return new Fr(product);
    }

    public Fr Pow(in UInt256 exponent)
    {
        var result = One;
        for (int bit = exponent.BitLength - 1; bit >= 0; bit--)
        {
            result *= result;
            if (((exponent >> bit).U0 & 1) != 0) result *= this;
        }
        return result;
    }

    public Fr Pow(ulong exponent) => Pow(new UInt256(exponent));

    /// <summary>a^(r−2) = a⁻¹ by Fermat; zero for zero (callers check for zero denominators first).</summary>
    public Fr Inverse() => Pow(ModulusMinusTwo);

    /// <summary>Inverts every element in place with one field inversion (Montgomery's trick); all must be non-zero.</summary>
    public static void BatchInvert(Span<Fr> values)
    {
        if (values.IsEmpty) return;
        var prefix = new Fr[values.Length];
        var running = One;
        for (int i = 0; i < values.Length; i++)
        {
            prefix[i] = running;
            running *= values[i];
        }
        var inverse = running.Inverse();
        for (int i = values.Length - 1; i >= 0; i--)
        {
            var original = values[i];
            values[i] = inverse * prefix[i];
            inverse *= original;
        }
    }

    public bool Equals(Fr other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is Fr other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public static bool operator ==(in Fr a, in Fr b) => a.Value == b.Value;
    public static bool operator !=(in Fr a, in Fr b) => a.Value != b.Value;
    public override string ToString() => Value.ToString();
}
