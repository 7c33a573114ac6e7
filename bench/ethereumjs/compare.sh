#!/usr/bin/env bash
# One comparison run of the 1,000-transfer ERC-20 block: BeamSync (Release) exports the block and times itself,
# then @ethereumjs/vm runs the identical inputs, checks the roots and gas, and prints both figures and the ratio.
#   bash bench/ethereumjs/compare.sh [beamsync runs] [ethereumjs runs] [extra node flags, e.g. --caches]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs="${1:-11}"
jsruns="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund)
uptime
dotnet run -c Release --project "$repo/bench/Bench" -- erc20-block --runs "$runs" --warmup 5 --export "$here/erc20-block.json"
node --expose-gc "$here/erc20-block.mjs" "$here/erc20-block.json" --runs "$jsruns" --warmup 1 "$@"
uptime
