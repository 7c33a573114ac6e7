// Re-executes the devnet blocks that `Bench devnet-block` (or the Node.Tests check) exported — produced devnet blocks
// holding every workload kind, on a generated devnet genesis, Prague — through @ethereumjs/vm's runBlock, in chain
// order from the identical pre-state, and compares each block's state root, receipts root, gas, requests hash and
// bloom, and each receipt's status, cumulative gas and logs (RLP, byte for byte) with BeamSync's.
// Exit code 1 if anything differs. The last line is the summary the Node.Tests check reads:
//   compared B blocks, T transactions, G gas: E of C equal
//
//   node devnet-block.mjs [devnet-block.json]
import { readFileSync } from 'node:fs'
import { createBlockFromRLP } from '@ethereumjs/block'
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { MerkleStateManager } from '@ethereumjs/statemanager'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { createVM, runBlock } from '@ethereumjs/vm'

const file = process.argv[2] ?? new URL('./devnet-block.json', import.meta.url)
const input = JSON.parse(readFileSync(file, 'utf8'))
if (input.fork !== 'Prague') throw new Error(`unexpected fork ${input.fork}`)
const common = createCustomCommon({ chainId: input.chainId }, Mainnet, { hardfork: Hardfork.Prague })

const pad32 = (hex) => '0x' + hex.slice(2).padStart(64, '0')
const genesis = {}
for (const account of input.pre) {
  const storage = Object.entries(account.storage).map(([slot, value]) => [pad32(slot), value])
  genesis[account.address] = [account.balance, account.code, storage, account.nonce]
}
const stateManager = new MerkleStateManager({ common })
await stateManager.generateCanonicalGenesis(genesis)
const checks = [['pre-state root', bytesToHex(await stateManager.getStateRoot()), input.genesisStateRoot]]

const vm = await createVM({ common, stateManager })
let transactions = 0
let gas = 0
for (const exported of input.blocks) {
  const block = createBlockFromRLP(hexToBytes(exported.rlp), { common })
  const n = block.header.number
  // generate: compute the results instead of throwing on the first field that differs; the comparison is ours.
  // Blocks run in sequence on the same state, so each starts from the state its predecessor left.
  const result = await runBlock(vm, { block, generate: true, skipHeaderValidation: true, skipBlockValidation: true })
  const ours = exported.beamsync
  checks.push(
    [`block ${n} state root`, bytesToHex(result.stateRoot), ours.stateRoot],
    [`block ${n} receipts root`, bytesToHex(result.receiptsRoot), ours.receiptsRoot],
    [`block ${n} gas used`, Number(result.gasUsed), ours.gasUsed],
    [`block ${n} requests hash`, bytesToHex(result.requestsHash), bytesToHex(block.header.requestsHash)],
    [`block ${n} logs bloom`, bytesToHex(result.logsBloom), bytesToHex(block.header.logsBloom)],
    [`block ${n} receipt count`, result.receipts.length, ours.receipts.length],
  )
  result.receipts.forEach((r, i) => {
    const mine = ours.receipts[i] ?? {}
    const name = `block ${n} tx ${i} (${exported.kinds[i]})`
    const status = r.status === undefined ? null : r.status === 1
    checks.push([`${name} status`, status, mine.success])
    checks.push([`${name} cumulative gas`, Number(r.cumulativeBlockGasUsed), mine.cumulativeGasUsed])
    checks.push([`${name} logs`, r.logs.map((log) => bytesToHex(RLP.encode(log))).join(','), (mine.logs ?? []).join(',')])
  })
  transactions += block.transactions.length
  gas += Number(result.gasUsed)
}
let differs = 0
for (const [name, theirs, mine] of checks) {
  const same = theirs === mine
  if (!same) differs++
  if (!same || process.env.VERBOSE) console.log(`${same ? 'equal  ' : 'DIFFERS'} ${name}: ethereumjs ${theirs}, beamsync ${mine}`)
}
const version = JSON.parse(readFileSync(new URL('./node_modules/@ethereumjs/vm/package.json', import.meta.url))).version
console.log(`@ethereumjs/vm ${version}: compared ${input.blocks.length} blocks, ${transactions} transactions, ${gas} gas: ${checks.length - differs} of ${checks.length} equal`)
if (differs > 0) process.exitCode = 1
