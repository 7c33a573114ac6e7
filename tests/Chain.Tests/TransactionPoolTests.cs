using BeamSync.Chain.Pool;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Tests;

public sealed class TransactionPoolTests
{
    private static readonly byte[] KeyA = Enumerable.Repeat((byte)0x11, 32).ToArray();
    private static readonly byte[] KeyB = Enumerable.Repeat((byte)0x22, 32).ToArray();

    private static Transaction Tx(byte[] key, ulong nonce, ulong tip) => new Transaction
    {
        Type = TransactionType.DynamicFee, ChainId = 1, Nonce = nonce, MaxPriorityFeePerGas = new UInt256(tip),
        MaxFeePerGas = new UInt256(1_000), GasLimit = 21_000, To = new Address(new byte[20]),
    }.Sign(key);

    [Fact]
    public void Candidates_keep_each_senders_nonce_order_and_interleave_senders_by_tip()
    {
        var pool = new TransactionPool();
        var a0 = Tx(KeyA, 0, 5); var a1 = Tx(KeyA, 1, 50); var b0 = Tx(KeyB, 0, 10); var b1 = Tx(KeyB, 1, 1);
        foreach (var tx in new[] { a1, b1, a0, b0 }) Assert.Null(pool.Submit(tx));
        // B's next pays 10 over A's 5; then A's 5 beats B's 1, and A's nonce 1 (50) comes after its nonce 0.
        Assert.Equal([b0, a0, a1, b1], pool.Candidates(new UInt256(100)));
    }

    [Fact]
    public void Equal_tips_come_in_arrival_order_and_a_removed_transaction_is_no_candidate()
    {
        var pool = new TransactionPool();
        // Twenty senders at one tip, submitted in a shuffled order: the candidates keep that order (a block built from the same submissions is the same block).
        var keys = Enumerable.Range(1, 20).Select(i => Enumerable.Repeat((byte)i, 32).ToArray()).ToList();
        var submitted = keys.Select(k => Tx(k, 0, 7)).OrderBy(t => t.Hash.ToString()).ToList();
        foreach (var tx in submitted) Assert.Null(pool.Submit(tx));
        Assert.Equal(submitted, pool.Candidates(new UInt256(100)));

        pool.Remove(submitted.Take(5));
        Assert.Equal(submitted.Skip(5), pool.Candidates(new UInt256(100)));
        Assert.Null(pool.Submit(submitted[0])); // its sender and nonce are free again
    }

    private static byte[] Blob(int seed)
    {
        var blob = new byte[BlobTransactionWithSidecar.BytesPerBlob];
        new Random(seed).NextBytes(blob);
        for (int i = 0; i < blob.Length; i += 32) blob[i] = 0; // every element below the field modulus
        return blob;
    }

    private static Transaction BlobTx(byte[] key, ulong nonce, Hash256[] versionedHashes) => new Transaction
    {
        Type = TransactionType.Blob, ChainId = 1, Nonce = nonce, MaxPriorityFeePerGas = new UInt256(1), MaxFeePerGas = new UInt256(1_000),
        GasLimit = 21_000, To = new Address(new byte[20]), MaxFeePerBlobGas = new UInt256(1_000), BlobVersionedHashes = versionedHashes,
    }.Sign(key);

    /// <summary>A one-blob transaction with 128 cell proofs, built once (the proofs take about a second).</summary>
    private static readonly Lazy<BlobTransactionWithSidecar> CellProofSidecar = new(() =>
    {
        byte[][] blobs = [Blob(7)];
        return BlobSidecars.Wrap(BlobTx(KeyB, 0, BlobSidecars.Commit(blobs).VersionedHashes), blobs, cellProofs: true);
    });

    [Fact]
    public void A_blob_transaction_enters_only_with_a_sidecar_whose_proofs_verify()
    {
        byte[][] blobs = [Blob(1), Blob(2)];
        var (commitments, hashes) = BlobSidecars.Commit(blobs);
        var tx = BlobTx(KeyA, 0, hashes);
        var sidecar = BlobSidecars.Wrap(tx, blobs, cellProofs: false);
        var pool = new TransactionPool();

        Assert.Contains("network form", pool.Submit(tx));
        var swappedProofs = new BlobTransactionWithSidecar(tx, 0, sidecar.Blobs, commitments, [sidecar.Proofs[1], sidecar.Proofs[0]]);
        Assert.Contains("KZG proof", pool.Submit(tx, swappedProofs));
        var otherBlob = new BlobTransactionWithSidecar(tx, 0, [sidecar.Blobs[0], Blob(3)], commitments, sidecar.Proofs);
        Assert.Contains("KZG proof", pool.Submit(tx, otherBlob));
        var swappedCommitments = new BlobTransactionWithSidecar(tx, 0, sidecar.Blobs, [commitments[1], commitments[0]], sidecar.Proofs);
        Assert.Contains("versioned hash", pool.Submit(tx, swappedCommitments));
        Assert.Contains("not a blob transaction", pool.Submit(Tx(KeyA, 0, 1), sidecar));
        Assert.Equal(0, pool.Count);

        Assert.Null(pool.Submit(tx, sidecar));
        Assert.Same(sidecar, pool.SidecarOf(hashes[1]));
        Assert.Same(sidecar, pool.SidecarOfTransaction(tx.Hash));
        pool.RemoveIncluded(new Block(new BlockHeader(), new BlockBody([tx], [])));
        Assert.Null(pool.SidecarOf(hashes[0]));
    }

    [Fact]
    public void A_blob_transaction_with_cell_proofs_enters_only_when_every_cell_proof_verifies()
    {
        var sidecar = CellProofSidecar.Value;
        var pool = new TransactionPool();
        var proofs = (byte[][])sidecar.Proofs.Clone();
        (proofs[3], proofs[4]) = (proofs[4], proofs[3]);
        Assert.Contains("KZG proof", pool.Submit(sidecar.Transaction,
            new BlobTransactionWithSidecar(sidecar.Transaction, sidecar.WrapperVersion, sidecar.Blobs, sidecar.Commitments, proofs)));
        Assert.Null(pool.Submit(sidecar.Transaction, sidecar));
        Assert.Same(sidecar, pool.SidecarOf(sidecar.Transaction.BlobVersionedHashes[0]));
    }

    [Fact]
    public void A_full_pool_refuses_and_an_included_transaction_leaves()
    {
        var pool = new TransactionPool(capacity: 2);
        var a0 = Tx(KeyA, 0, 1);
        Assert.Null(pool.Submit(a0));
        Assert.NotNull(pool.Submit(a0));
        Assert.NotNull(pool.Submit(Tx(KeyA, 0, 2)));
        Assert.Null(pool.Submit(Tx(KeyB, 0, 1)));
        Assert.Contains("full", pool.Submit(Tx(KeyA, 1, 1)));
        pool.RemoveIncluded(new Block(new BlockHeader(), new BlockBody([a0], [])));
        Assert.Equal(1, pool.Count);
    }
}
