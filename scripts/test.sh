#!/usr/bin/env bash
# The project's whole test run: unit and property tests of every layer, then the conformance fixtures of
# every kind implemented so far. Fixtures come from $BEAMSYNC_FIXTURES or ../shared/fixtures.
# Exits non-zero on the first failing stage; the last line is the fixture runner's "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export BEAMSYNC_FIXTURES="${BEAMSYNC_FIXTURES:-$(cd "$root/.." && pwd)/shared/fixtures}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Fixture folders whose kind is implemented; each later issue adds its own.
fixture_dirs=(
  ethereum-tests/RLPTests
  ethereum-tests/TransactionTests
  ethereum-tests/TrieTests
  ethereum-tests/GeneralStateTests
  ethereum-tests/BlockchainTests
  eest/state_tests
  eest/blockchain_tests
  evm-benchmarks
)

missing=0
for d in "${fixture_dirs[@]}"; do
  if [[ ! -d "$BEAMSYNC_FIXTURES/$d" ]]; then
    echo "missing fixture folder: $BEAMSYNC_FIXTURES/$d" >&2
    missing=1
  fi
done
if [[ $missing == 1 && "${CI:-}" == "true" ]]; then
  echo "CI=true: a missing fixture folder fails the run" >&2
  exit 1
fi

# --- Network interop (issue 5) ---
# tests/Network.Tests/Interop runs inside the unit-test stage against the @ethereumjs/client pinned in
# .ci/interop/package.json (installed by .ci/run). Outside CI it is skipped when that install is missing; under
# CI=true a missing install is an error here, before any test runs.
ejs_cli="$root/.ci/interop/node_modules/@ethereumjs/client/dist/esm/bin/cli.js"
if [[ ! -f "$ejs_cli" ]] && command -v npm >/dev/null && command -v node >/dev/null; then
  echo "== installing the pinned @ethereumjs/client for the interop test"
  npm ci --prefix "$root/.ci/interop" --no-audit --no-fund --loglevel=error || true
fi
if [[ ! -f "$ejs_cli" ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "CI=true: @ethereumjs/client is not installed (run: npm ci --prefix .ci/interop)" >&2
    exit 1
  fi
  echo "note: @ethereumjs/client not installed; the Network interop test will be skipped (npm ci --prefix .ci/interop)"
fi
# --- end Network interop ---

echo "== build"
# Warnings stay visible here (src/ treats them as errors; tests and benchmarks list theirs in the summary).
dotnet build "$root/BeamSync.sln" -c Release --nologo -v minimal -clp:Summary

echo "== unit and property tests"
dotnet test "$root/BeamSync.sln" -c Release --no-build --nologo -v minimal -- RunConfiguration.TreatNoTestsAsError=false

echo "== bad input to the CLI"
bash "$root/scripts/bad-input.sh"
bash "$root/scripts/launcher-rebuild.sh"

# --- Beam Sync over the fixtures (issue 12) ---
# Every blockchain case again, its pre-state held only by an in-process serving node and the executing side starting
# empty, every read fetched through the Sync layer's scheduler: it finds an absent node silently read as empty. The serving
# node imports each block too (its verdict must match), so it takes about 1.5x the normal blockchain run (47-52 s
# against 27-36 s on 2 shared cores).
echo "== blockchain fixtures, beam syncing"
beam_args=()
for d in ethereum-tests/BlockchainTests eest/blockchain_tests; do
  [[ -d "$BEAMSYNC_FIXTURES/$d" ]] && beam_args+=("$BEAMSYNC_FIXTURES/$d")
done
if [[ ${#beam_args[@]} -gt 0 ]]; then
  "$root/beamsync" test-fixtures --beam "${beam_args[@]}"
fi
# --- end Beam Sync over the fixtures ---

echo "== conformance fixtures"
args=()
for d in "${fixture_dirs[@]}"; do
  [[ -d "$BEAMSYNC_FIXTURES/$d" ]] && args+=("$BEAMSYNC_FIXTURES/$d")
done
"$root/beamsync" test-fixtures "${args[@]}"
