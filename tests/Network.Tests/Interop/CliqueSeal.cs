using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Tests.Interop;

/// <summary>
/// Clique (EIP-225) seal check: the signer is recovered from the 65-byte seal at the end of extraData over the
/// keccak of the header re-encoded with the seal removed.
/// </summary>
internal static class CliqueSeal
{
    private const int SealSize = 65, ExtraDataIndex = 12;

    public static Address RecoverSigner(byte[] header)
    {
        var list = new RlpReader(header).ReadList();
        var items = new List<byte[]>();
        byte[] seal = [];
        for (int i = 0; list.HasMore; i++)
        {
            var item = list.ReadEncodedItem();
            if (i == ExtraDataIndex)
            {
                var extra = new RlpReader(item).ReadBytes();
                if (extra.Length < SealSize) throw new InvalidDataException("extraData shorter than a Clique seal");
                seal = extra[^SealSize..].ToArray();
                items.Add(Rlp.EncodeBytes(extra[..^SealSize]));
            }
            else items.Add(item.ToArray());
        }
        var sigHash = Keccak256.Hash(Rlp.EncodeList(items));
        if (!Secp256k1Curve.TryRecoverAddress(sigHash.Bytes, seal.AsSpan(0, 64), seal[64], out var signer))
            throw new InvalidDataException("Clique seal does not recover");
        return signer;
    }
}

/// <summary>CRC-32 (IEEE) as EIP-2124 uses it; Core's is internal, and this test needs only CRC32(genesis hash).</summary>
internal static class Crc32Ieee
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }
}
