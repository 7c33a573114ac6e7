namespace BeamSync.Trie;

public sealed partial class PatriciaTrie
{
    /// <summary>
    /// Deletes from the subtree in <paramref name="slot"/> and restores the canonical shape: a branch left with one
    /// entry collapses into a short node, and short nodes in a row merge. Collapsing may need to load the one
    /// remaining sibling, which is where a delete can meet a missing node.
    /// </summary>
    private bool Delete(ref Node? slot, ReadOnlySpan<byte> key, int pos)
    {
        switch (slot)
        {
            case null:
                return false;
            case HashNode h:
                slot = Resolve(h, key[..pos]);
                return Delete(ref slot, key, pos);
            case LeafNode leaf:
                if (!key[pos..].SequenceEqual(leaf.Path)) return false;
                slot = null;
                return true;
            case ExtensionNode ext:
            {
                if (!key[pos..].StartsWith(ext.Path)) return false;
                Node? child = ext.Child;
                if (!Delete(ref child, key, pos + ext.Path.Length)) return false;
                slot = child switch
                {
                    null => null,
                    LeafNode l => new LeafNode(Nibbles.Concat(ext.Path, l.Path), l.Value) { Dirty = true },
                    ExtensionNode e => new ExtensionNode(Nibbles.Concat(ext.Path, e.Path), e.Child) { Dirty = true },
                    _ => Reattach(ext, child),
                };
                return true;
            }
            case BranchNode branch:
            {
                if (pos == key.Length)
                {
                    if (branch.Value is null) return false;
                    branch.Value = null;
                }
                else if (!Delete(ref branch.Children[key[pos]], key, pos + 1)) return false;
                branch.Touch();
                slot = Collapse(branch, key[..pos]);
                return true;
            }
        }
        return false;
    }

    private static ExtensionNode Reattach(ExtensionNode ext, Node child)
    {
        ext.Child = child;
        ext.Touch();
        return ext;
    }

    /// <summary>A branch with fewer than two entries is not canonical: fold it into a leaf or extension.</summary>
    private Node Collapse(BranchNode branch, ReadOnlySpan<byte> path)
    {
        int only = -1, count = 0;
        for (int i = 0; i < 16; i++)
        {
            if (branch.Children[i] is null) continue;
            only = i;
            count++;
        }
        if (branch.Value is not null) count++;
        if (count >= 2) return branch;
        if (count == 1 && branch.Value is not null) return new LeafNode([], branch.Value) { Dirty = true };
        if (count == 0) throw new InvalidOperationException("a branch emptied in one delete: the trie was not canonical");

        var child = branch.Children[only]!;
        if (child is HashNode h)
        {
            Span<byte> childPath = stackalloc byte[path.Length + 1];
            path.CopyTo(childPath);
            childPath[^1] = (byte)only;
            child = Resolve(h, childPath);
        }
        return child switch
        {
            LeafNode l => new LeafNode(Nibbles.Concat((byte)only, l.Path), l.Value) { Dirty = true },
            ExtensionNode e => new ExtensionNode(Nibbles.Concat((byte)only, e.Path), e.Child) { Dirty = true },
            _ => new ExtensionNode([(byte)only], child) { Dirty = true },
        };
    }
}
