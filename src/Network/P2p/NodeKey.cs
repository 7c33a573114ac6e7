using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Network.P2p;

/// <summary>
/// The node's static secp256k1 identity (rlpx.md "Node Identity"): kept as hex in <c>datadir/nodekey</c>, created on
/// first start and only ever replaced by deleting the file. Immutable after load; thread-safe.
/// </summary>
public sealed class NodeKey
{
    public const string FileName = "nodekey";

    public byte[] PrivateKey { get; }
    /// <summary>The 64-byte public key: the node id of enode URLs and Hello.</summary>
    public byte[] PublicKey { get; }

    public NodeKey(byte[] privateKey)
    {
        if (!Secp256k1Curve.IsValidPrivateKey(privateKey)) throw new ArgumentException("invalid secp256k1 private key", nameof(privateKey));
        PrivateKey = privateKey;
        PublicKey = Secp256k1Curve.GetPublicKey(privateKey);
    }

    public static NodeKey Generate() => new(Secp256k1Curve.GeneratePrivateKey());

    /// <summary>Loads the key from <paramref name="dataDir"/>, creating it (owner-only permissions where supported) if absent.</summary>
    public static NodeKey LoadOrCreate(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (!Hex.TryParse(text, out var bytes) || !Secp256k1Curve.IsValidPrivateKey(bytes))
                throw new InvalidDataException($"{path} does not hold a valid secp256k1 private key in hex");
            return new NodeKey(bytes);
        }
        var key = Generate();
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, Hex.ToHex(key.PrivateKey, prefix: false));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path);
        return key;
    }
}
