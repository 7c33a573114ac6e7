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
                slot = Resolve(h, key[..pos], key);
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

    /// <summary>
    /// The read-only first half of a delete: resolves the path to <paramref name="key"/> and, where removing it leaves a
    /// branch with one entry, the child that branch will fold into. Returns whether the key is present and whether the
    /// subtree in <paramref name="slot"/> vanishes with it (only a leaf does: a branch keeps at least one entry).
    /// </summary>
    private (bool Found, bool Vanishes) ResolveForDelete(ref Node? slot, ReadOnlySpan<byte> key, int pos)
    {
        switch (slot)
        {
            case HashNode h:
                slot = Resolve(h, key[..pos], key);
                return ResolveForDelete(ref slot, key, pos);
            case LeafNode leaf:
            {
                bool found = key[pos..].SequenceEqual(leaf.Path);
                return (found, found);
            }
            case ExtensionNode ext:
                if (!key[pos..].StartsWith(ext.Path)) return (false, false);
                return (ResolveForDelete(ref ext.Child!, key, pos + ext.Path.Length).Found, false);
            case BranchNode branch:
            {
                bool removesValue = pos == key.Length;
                bool found, childVanishes = false;
                if (removesValue) found = branch.Value is not null;
                else (found, childVanishes) = ResolveForDelete(ref branch.Children[key[pos]], key, pos + 1);
                if (!found) return (false, false);
                int entries = branch.ChildCount + (branch.Value is null ? 0 : 1);
                if (entries - (removesValue || childVanishes ? 1 : 0) == 1) ResolveSurvivor(branch, removesValue ? -1 : key[pos], key[..pos]);
                return (true, false);
            }
            default:
                return (false, false);
        }
    }

    /// <summary>Resolves the one child of <paramref name="branch"/> other than <paramref name="removed"/>, which a collapse folds in.</summary>
    private void ResolveSurvivor(BranchNode branch, int removed, ReadOnlySpan<byte> path)
    {
        Span<byte> childPath = stackalloc byte[path.Length + 1];
        path.CopyTo(childPath);
        for (int i = 0; i < 16; i++)
        {
            if (i == removed || branch.Children[i] is not HashNode h) continue;
            childPath[^1] = (byte)i;
            branch.Children[i] = Resolve(h, childPath);
        }
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
