// Re-executes the devnet sample block that `Bench devnet-block` exported (one transaction of each workload kind on a
// generated devnet genesis, Prague) through @ethereumjs/vm's runBlock on the identical pre-state, and compares the
// state root, receipts root, gas and each receipt's status, cumulative gas and log count with BeamSync's.
// Exit code 1 if anything differs.
//
//   node devnet-block.mjs [devnet-block.json]
import { readFileSync } from 'node:fs'
import { createBlockFromRLP } from '@ethereumjs/block'
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
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
const preRoot = bytesToHex(await stateManager.getStateRoot())

const block = createBlockFromRLP(hexToBytes(input.block), { common })
const vm = await createVM({ common, stateManager })
// generate: compute the results instead of throwing on the first field that differs; the comparison is ours.
const result = await runBlock(vm, { block, generate: true, skipHeaderValidation: true, skipBlockValidation: true })

const ours = input.beamsync
const checks = [
  ['pre-state root', preRoot, input.genesisStateRoot],
  ['state root', bytesToHex(result.stateRoot), ours.stateRoot],
  ['receipts root', bytesToHex(result.receiptsRoot), ours.receiptsRoot],
  ['gas used', Number(result.gasUsed), ours.gasUsed],
  ['requests hash', bytesToHex(result.requestsHash), bytesToHex(block.header.requestsHash)],
  ['logs bloom', bytesToHex(result.logsBloom), bytesToHex(block.header.logsBloom)],
]
result.receipts.forEach((r, i) => {
  const mine = ours.receipts[i]
  const status = r.status === undefined ? null : r.status === 1
  checks.push([`${input.kinds[i]} status`, status, mine.success])
  checks.push([`${input.kinds[i]} cumulative gas`, Number(r.cumulativeBlockGasUsed), mine.cumulativeGasUsed])
  checks.push([`${input.kinds[i]} logs`, r.logs.length, mine.logs])
})
let differs = 0
for (const [name, theirs, mine] of checks) {
  const same = theirs === mine
  if (!same) differs++
  console.log(`${same ? 'equal  ' : 'DIFFERS'} ${name}: ethereumjs ${theirs}, beamsync ${mine}`)
}
console.log(`@ethereumjs/vm ${JSON.parse(readFileSync(new URL('./node_modules/@ethereumjs/vm/package.json', import.meta.url))).version}: ${checks.length - differs} of ${checks.length} equal`)
if (differs > 0) process.exitCode = 1
