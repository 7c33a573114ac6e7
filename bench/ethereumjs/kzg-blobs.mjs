// Computes, with kzg-wasm (c-kzg-4844 compiled to WebAssembly, the ceremony's setup built in), what BeamSync's KZG
// code computes for the same blobs, so Evm.Tests can compare byte for byte.
// Usage: node kzg-blobs.mjs BLOBS.json   (a JSON array of 0x-hex blobs)
// Prints a JSON array, one object per blob: commitment and proof (EIP-4844), and for the first blob only (they take
// seconds each) cells and cellProofs (EIP-7594), all 0x-hex in lower case, with whether kzg-wasm verifies its own
// proofs back (blobProofVerifies, cellProofsVerify).
import { readFileSync } from 'node:fs';
import { loadKZG } from 'kzg-wasm';

const blobs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const kzg = await loadKZG();
const lower = (hex) => hex.toLowerCase();
const results = blobs.map((blob, index) => {
  const commitment = kzg.blobToKZGCommitment(blob);
  const proof = kzg.computeBlobKZGProof(blob, commitment);
  const result = { commitment: lower(commitment), proof: lower(proof), blobProofVerifies: kzg.verifyBlobKZGProof(blob, commitment, proof) };
  if (index > 0) return result;
  const { cells, proofs } = kzg.computeCellsAndKZGProofs(blob);
  const indices = cells.map((_, i) => i);
  return {
    ...result,
    cells: cells.map(lower),
    cellProofs: proofs.map(lower),
    cellProofsVerify: kzg.verifyCellKZGProofBatch(cells.map(() => commitment), indices, cells, proofs, cells.length),
  };
});
process.stdout.write(JSON.stringify(results));
