using System.Buffers.Binary;
using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Node.Devnet;

/// <summary>A generated externally owned account and its key.</summary>
public sealed record DevnetAccount(int Index, Address Address, byte[] PrivateKey);

/// <summary>
/// Keys of the devnet's accounts: key i is keccak256("beamsync-devnet-key" || seed || i) (seed 8 bytes and i 4
/// bytes, big-endian), re-hashed in the astronomically unlikely case it is not a valid secp256k1 scalar. So anyone
/// with the seed can sign for any account. Stateless; thread-safe.
/// </summary>
public static class DevnetAccounts
{
    private static readonly byte[] Domain = "beamsync-devnet-key"u8.ToArray();

    public static byte[] PrivateKey(ulong seed, int index)
    {
        Span<byte> preimage = stackalloc byte[Domain.Length + 12];
        Domain.CopyTo(preimage);
        BinaryPrimitives.WriteUInt64BigEndian(preimage[Domain.Length..], seed);
        BinaryPrimitives.WriteInt32BigEndian(preimage[(Domain.Length + 8)..], index);
        var key = Keccak256.Hash(preimage).Bytes.ToArray();
        while (!Secp256k1Curve.IsValidPrivateKey(key)) key = Keccak256.Hash(key).Bytes.ToArray();
        return key;
    }

    public static Address AddressOf(byte[] privateKey) => Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(privateKey));

    /// <summary>Accounts 0..count-1 of a seed; the public keys are derived in parallel (the costly part).</summary>
    public static DevnetAccount[] Generate(ulong seed, int count)
    {
        var accounts = new DevnetAccount[count];
        Parallel.For(0, count, i =>
        {
            var key = PrivateKey(seed, i);
            accounts[i] = new DevnetAccount(i, AddressOf(key), key);
        });
        return accounts;
    }
}
