namespace BeamSync.Trie;

public sealed partial class PatriciaTrie
{
    /// <summary>
    /// Inserts into the subtree in <paramref name="slot"/>, replacing or mutating nodes in place (they are ours). A node
    /// is changed only after the recursion below it returned, so a miss on the way down changes nothing.
    /// </summary>
    private void Insert(ref Node? slot, ReadOnlySpan<byte> key, int pos, byte[] value)
    {
        switch (slot)
        {
            case null:
                slot = new LeafNode(key[pos..].ToArray(), value) { Dirty = true };
                return;
            case HashNode h:
                slot = Resolve(h, key[..pos], key);
                Insert(ref slot, key, pos, value);
                return;
            case LeafNode leaf:
            {
                var rest = key[pos..];
                int match = Nibbles.CommonPrefixLength(leaf.Path, rest);
                if (match == leaf.Path.Length && match == rest.Length)
                {
                    if (leaf.Value.AsSpan().SequenceEqual(value)) return;
                    leaf.Value = value;
                    leaf.Touch();
                    return;
                }
                var branch = new BranchNode { Dirty = true };
                if (match == leaf.Path.Length) branch.Value = leaf.Value;
                else branch.Children[leaf.Path[match]] = new LeafNode(leaf.Path[(match + 1)..], leaf.Value) { Dirty = true };
                if (match == rest.Length) branch.Value = value;
                else branch.Children[rest[match]] = new LeafNode(rest[(match + 1)..].ToArray(), value) { Dirty = true };
                slot = match == 0 ? branch : new ExtensionNode(rest[..match].ToArray(), branch) { Dirty = true };
                return;
            }
            case ExtensionNode ext:
            {
                var rest = key[pos..];
                int match = Nibbles.CommonPrefixLength(ext.Path, rest);
                if (match == ext.Path.Length)
                {
                    Insert(ref ext.Child!, key, pos + match, value);
                    ext.Touch();
                    return;
                }
                var branch = new BranchNode { Dirty = true };
                branch.Children[ext.Path[match]] = ext.Path.Length == match + 1
                    ? ext.Child
                    : new ExtensionNode(ext.Path[(match + 1)..], ext.Child) { Dirty = true };
                if (match == rest.Length) branch.Value = value;
                else branch.Children[rest[match]] = new LeafNode(rest[(match + 1)..].ToArray(), value) { Dirty = true };
                slot = match == 0 ? branch : new ExtensionNode(rest[..match].ToArray(), branch) { Dirty = true };
                return;
            }
            case BranchNode branch:
                if (pos == key.Length) branch.Value = value;
                else Insert(ref branch.Children[key[pos]], key, pos + 1, value);
                branch.Touch();
                return;
        }
    }
}
