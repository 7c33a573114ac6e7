// Runs the ERC-20 block that `Bench erc20-block` exported (bench/ethereumjs/erc20-block.json) through @ethereumjs/vm,
// on the identical pre-state and signed transactions, and compares its post-state root and gas with BeamSync's.
// Per run: the state manager reset to the pre-state (not timed), the transactions decoded from RLP with
// their senders recovered (not timed); timed: runTx for every transaction, then getStateRoot (trie commit). Both the
// wall time and the process CPU time (less sensitive to other load on a shared machine) are reported.
//
// --caches gives the state manager its account/storage/code caches (@ethereumjs/statemanager Caches); without it,
// the createVM default, every read and write goes to the trie.
//
//   node erc20-block.mjs [erc20-block.json] [--runs N] [--warmup N] [--caches]
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { createBlock } from '@ethereumjs/block'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { createTxFromRLP } from '@ethereumjs/tx'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { createVM, runTx } from '@ethereumjs/vm'

const args = process.argv.slice(2)
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs' && args[i - 1] !== '--warmup') ?? new URL('./erc20-block.json', import.meta.url)
const runsAt = args.indexOf('--runs')
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 11
const withCaches = args.includes('--caches')
const warmupAt = args.indexOf('--warmup')
const warmup = warmupAt >= 0 ? Number(args[warmupAt + 1]) : 1

const input = JSON.parse(readFileSync(file, 'utf8'))
if (input.fork !== 'Cancun' || input.chainId !== 1) throw new Error(`unexpected fork/chain ${input.fork}/${input.chainId}`)
const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun })

// generateCanonicalGenesis format: address -> [balance, code, storage [[slot, value]...], nonce]; slots as 32-byte keys.
const pad32 = (hex) => '0x' + hex.slice(2).padStart(64, '0')
const genesis = {}
for (const account of input.pre) {
  const storage = Object.entries(account.storage).map(([slot, value]) => [pad32(slot), value])
  genesis[account.address] = [account.balance, account.code, storage, account.nonce]
}

const block = createBlock(
  {
    header: {
      number: BigInt(input.block.number),
      timestamp: BigInt(input.block.timestamp),
      gasLimit: BigInt(input.block.gasLimit),
      baseFeePerGas: BigInt(input.block.baseFeePerGas),
      coinbase: input.block.coinbase,
      mixHash: input.block.prevRandao,
      excessBlobGas: BigInt(input.block.excessBlobGas),
      difficulty: 0n,
    },
  },
  { common },
)

// The pre-state is built once; each run resets the state manager to the pre-state root (caches cleared), so it reads
// through the trie from the root as a fresh store would. The trie database keeps every run's nodes (no pruning).
const stateManager = new MerkleStateManager(withCaches ? { common, caches: new Caches() } : { common })
await stateManager.generateCanonicalGenesis(genesis)
const preRootBytes = await stateManager.getStateRoot()

async function run() {
  await stateManager.setStateRoot(preRootBytes, true)
  const preRoot = bytesToHex(await stateManager.getStateRoot())
  const vm = await createVM({ common, stateManager })
  const txs = input.transactions.map((raw) => createTxFromRLP(hexToBytes(raw), { common }))
  for (const tx of txs) tx.getSenderAddress()
  // With --expose-gc, collect the previous run's garbage outside the timing (BeamSync's side does the same).
  globalThis.gc?.()

  const start = performance.now()
  const cpuStart = process.cpuUsage()
  let gas = 0n
  for (const tx of txs) {
    const result = await runTx(vm, { tx, block })
    if (result.execResult.exceptionError !== undefined) throw new Error(`transfer failed: ${result.execResult.exceptionError.error}`)
    gas += result.totalGasSpent
  }
  const root = bytesToHex(await stateManager.getStateRoot())
  const ms = performance.now() - start
  const cpu = process.cpuUsage(cpuStart)
  return { preRoot, root, gas, ms, cpuMs: (cpu.user + cpu.system) / 1000 }
}

for (let w = 0; w < warmup; w++) await run()
const times = []
const cpuTimes = []
let last
for (let r = 0; r < runs; r++) {
  last = await run()
  times.push(last.ms)
  cpuTimes.push(last.cpuMs)
}
times.sort((a, b) => a - b)
cpuTimes.sort((a, b) => a - b)
const median = times[Math.floor(runs / 2)]
const cpuMedian = cpuTimes[Math.floor(runs / 2)]
const gas = Number(last.gas)
const ours = input.beamsync
console.log(`ethereumjs @ethereumjs/vm ${JSON.parse(readFileSync(new URL('./node_modules/@ethereumjs/vm/package.json', import.meta.url))).version}, node ${process.version}, state caches ${withCaches ? 'on' : 'off (createVM default)'}, gc before each run ${globalThis.gc ? 'yes' : 'no (run node --expose-gc)'}`)
console.log(`ethereumjs: ${input.transactions.length} transfers, ${gas} gas, pre-state root ${last.preRoot}, post-state root ${last.root}`)
console.log(`ethereumjs: median ${median.toFixed(2)} ms over ${runs} runs after ${warmup} warm-up (min ${times[0].toFixed(2)}, max ${times[runs - 1].toFixed(2)}) = ${(gas / median / 1000).toFixed(1)} Mgas/s; median process CPU ${cpuMedian.toFixed(2)} ms = ${(gas / cpuMedian / 1000).toFixed(1)} Mgas/s`)
const same = last.preRoot === ours.preStateRoot && last.root === ours.postStateRoot && gas === ours.gasUsed
console.log(`pre-state root ${last.preRoot === ours.preStateRoot ? 'equal' : 'DIFFERS'}, post-state root ${last.root === ours.postStateRoot ? 'equal' : 'DIFFERS'}, gas ${gas === ours.gasUsed ? 'equal' : 'DIFFERS'}`)
console.log(`beamsync: median ${ours.medianMs.toFixed(2)} ms over ${ours.runs} runs = ${(ours.gasUsed / ours.medianMs / 1000).toFixed(1)} Mgas/s; median process CPU ${ours.medianCpuMs.toFixed(2)} ms = ${(ours.gasUsed / ours.medianCpuMs / 1000).toFixed(1)} Mgas/s`)
console.log(`ratio ethereumjs/beamsync: wall time ${(median / ours.medianMs).toFixed(1)}x, process CPU time ${(cpuMedian / ours.medianCpuMs).toFixed(1)}x`)
if (!same) process.exitCode = 1
