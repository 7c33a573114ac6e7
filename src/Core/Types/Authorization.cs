using BeamSync.Core.Crypto;

namespace BeamSync.Core.Types;

/// <summary>
/// One EIP-7702 authorization tuple <c>[chain_id, address, nonce, y_parity, r, s]</c>: the authority (recovered
/// from the signature) delegates its code to <see cref="Address"/>. Immutable; the recovered authority is cached
/// (a race only recomputes the same value).
/// </summary>
public sealed class Authorization(UInt256 chainId, Address address, ulong nonce, byte yParity, UInt256 r, UInt256 s)
{
    /// <summary>The EIP-7702 signing domain byte.</summary>
    public const byte Magic = 0x05;

    private AuthorityResult? _authority;

    public UInt256 ChainId { get; } = chainId;
    public Address Address { get; } = address;
    public ulong Nonce { get; } = nonce;
    public byte YParity { get; } = yParity;
    public UInt256 R { get; } = r;
    public UInt256 S { get; } = s;

    internal int ContentLength() =>
        RlpWriter.LengthOf(ChainId) + 21 + RlpWriter.LengthOf(Nonce) + RlpWriter.LengthOf(YParity) + RlpWriter.LengthOf(R) + RlpWriter.LengthOf(S);

    internal void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        writer.Write(ChainId);
        writer.Write(Address);
        writer.Write(Nonce);
        writer.Write(YParity);
        writer.Write(R);
        writer.Write(S);
    }

    internal static Authorization Read(ref RlpReader reader)
    {
        var fields = reader.ReadList();
        var chainId = fields.ReadUInt256();
        var address = fields.ReadAddress();
        ulong nonce = fields.ReadUInt64();
        ulong yParity = fields.ReadUInt64();
        if (yParity > byte.MaxValue) TransactionException.Throw(TransactionError.AuthorizationYParityTooLarge, $"authorization y_parity {yParity} does not fit 8 bits");
        var r = fields.ReadUInt256();
        var s = fields.ReadUInt256();
        fields.EnsureEnd();
        return new Authorization(chainId, address, nonce, (byte)yParity, r, s);
    }

    /// <summary>keccak256(0x05 || rlp([chain_id, address, nonce])): what the authority signed.</summary>
    public Hash256 SigningHash()
    {
        int content = RlpWriter.LengthOf(ChainId) + 21 + RlpWriter.LengthOf(Nonce);
        Span<byte> buffer = stackalloc byte[1 + 3 + 33 + 21 + 9]; // magic, list header, chain id, address, nonce
        buffer[0] = Magic;
        var writer = new RlpWriter(buffer[1..]);
        writer.WriteListHeader(content);
        writer.Write(ChainId);
        writer.Write(Address);
        writer.Write(Nonce);
        return Keccak256.Hash(buffer[..(1 + writer.Position)]);
    }

    /// <summary>
    /// The signer, or false when the signature is unusable: y_parity above 1, r or s zero or not below n, s above
    /// n/2 (EIP-7702 demands low s), or no key recovers. An invalid authorization is skipped by the EVM, not fatal
    /// to its transaction.
    /// </summary>
    public bool TryRecoverAuthority(out Address authority)
    {
        var cached = _authority ??= Recover();
        authority = cached.Authority;
        return cached.Valid;
    }

    private AuthorityResult Recover()
    {
        if (YParity > 1 || !SignatureRules.ScalarsInRange(R, S) || S > Secp256k1Curve.HalfN) return new AuthorityResult(false, default);
        var hash = SigningHash();
        bool ok = SignatureRules.TryRecover(hash, YParity, R, S, out var address);
        return new AuthorityResult(ok, address);
    }

    private sealed record AuthorityResult(bool Valid, Address Authority);
}

/// <summary>RLP of EIP-7702 authorization lists. Stateless and thread-safe.</summary>
public static class AuthorizationListCodec
{
    public static int ContentLength(Authorization[] list)
    {
        int n = 0;
        foreach (var a in list) n += RlpWriter.LengthOfList(a.ContentLength());
        return n;
    }

    public static void Write(ref RlpWriter writer, Authorization[] list)
    {
        writer.WriteListHeader(ContentLength(list));
        foreach (var a in list) a.Write(ref writer);
    }

    public static Authorization[] Read(ref RlpReader reader)
    {
        var list = reader.ReadList();
        int count = RlpItems.Count(list);
        if (count == 0) return [];
        var items = new Authorization[count];
        for (int i = 0; i < items.Length; i++) items[i] = Authorization.Read(ref list);
        return items;
    }
}
