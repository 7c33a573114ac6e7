#!/usr/bin/env bash
# The project's whole test run: unit and property tests of every layer, then the conformance fixtures of
# every kind implemented so far. Fixtures come from $BEAMSYNC_FIXTURES or ../shared/fixtures.
# Exits non-zero on the first failing stage.
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

echo "== unit and property tests"
dotnet test "$root/BeamSync.sln" -c Release --nologo -v quiet -- RunConfiguration.TreatNoTestsAsError=false

echo "== conformance fixtures"
args=()
for d in "${fixture_dirs[@]}"; do
  [[ -d "$BEAMSYNC_FIXTURES/$d" ]] && args+=("$BEAMSYNC_FIXTURES/$d")
done
"$root/beamsync" test-fixtures "${args[@]}"
