// An independent check of snap range proofs with @ethereumjs/mpt (pinned in package.json), both ways:
//
//   node range-proof.mjs verify CASES.json
//     Each case is a range answer BeamSync's snap server gave: { name, root, first, last, keys, values, proof }
//     (hex strings; first/last/proof null for a whole-trie answer, last null for an empty range). Verified with
//     verifyMerkleRangeProof; prints "ok NAME more=BOOL" or "rejected NAME: REASON" per case, then
//     "verify: A accepted, R rejected of N".
//
//   node range-proof.mjs build TRIES.json OUT.json
//     Each trie is { name, entries: [[key, value], ...], ranges: [{ origin, count }] }. The trie is built with
//     @ethereumjs/mpt (raw keys: snap keys are already hashed); for each range the entries from origin on, at most
//     count of them, get a proof made of createMerkleProof(origin) and createMerkleProof(last key), the way
//     @ethereumjs/mpt's own range tests assemble one. Writes { tries: [{ name, root, ranges: [case...] }] } with the
//     same case shape as above, for BeamSync's verifier; prints "build: T tries, R ranges".
//
// Exit code 0 when the script ran; acceptance is for the caller to judge (it also sends cases that must be rejected).
import { readFileSync, writeFileSync } from 'node:fs'
import { createMerkleProof, createMPT, verifyMerkleRangeProof } from '@ethereumjs/mpt'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'

const [mode, input, output] = process.argv.slice(2)
const json = JSON.parse(readFileSync(input, 'utf8'))
const bytes = (hex) => (hex === null ? null : hexToBytes(hex))
const compare = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))

if (mode === 'verify') {
  let accepted = 0
  let rejected = 0
  for (const c of json.cases) {
    try {
      const more = await verifyMerkleRangeProof(
        hexToBytes(c.root),
        bytes(c.first),
        bytes(c.last),
        c.keys.map(hexToBytes),
        c.values.map(hexToBytes),
        c.proof === null ? null : c.proof.map(hexToBytes),
      )
      accepted++
      console.log(`ok ${c.name} more=${more}`)
    } catch (e) {
      rejected++
      console.log(`rejected ${c.name}: ${String(e.message ?? e).split('\n')[0]}`)
    }
  }
  console.log(`verify: ${accepted} accepted, ${rejected} rejected of ${json.cases.length}`)
} else if (mode === 'build') {
  const tries = []
  let rangeCount = 0
  for (const t of json.tries) {
    const trie = await createMPT()
    const entries = t.entries.map(([k, v]) => [hexToBytes(k), hexToBytes(v)]).sort((a, b) => compare(a[0], b[0]))
    for (const [k, v] of entries) await trie.put(k, v)
    const ranges = []
    for (const r of t.ranges) {
      const origin = hexToBytes(r.origin)
      const inRange = entries.filter(([k]) => compare(k, origin) >= 0).slice(0, r.count)
      const last = inRange.length > 0 ? inRange[inRange.length - 1][0] : null
      const proof = [...(await createMerkleProof(trie, origin))]
      if (last !== null) {
        const seen = new Set(proof.map(bytesToHex))
        for (const node of await createMerkleProof(trie, last)) if (!seen.has(bytesToHex(node))) proof.push(node)
      }
      ranges.push({
        name: `${t.name} from ${r.origin.slice(0, 10)} x${r.count}`,
        root: bytesToHex(trie.root()),
        first: r.origin,
        last: last === null ? null : bytesToHex(last),
        keys: inRange.map(([k]) => bytesToHex(k)),
        values: inRange.map(([, v]) => bytesToHex(v)),
        proof: proof.map(bytesToHex),
      })
      rangeCount++
    }
    tries.push({ name: t.name, root: bytesToHex(trie.root()), ranges })
  }
  writeFileSync(output, JSON.stringify({ tries }))
  console.log(`build: ${tries.length} tries, ${rangeCount} ranges`)
} else {
  console.error('usage: node range-proof.mjs verify CASES.json | build TRIES.json OUT.json')
  process.exit(2)
}
