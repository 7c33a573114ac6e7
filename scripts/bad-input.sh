#!/usr/bin/env bash
# Feeds the beamsync CLI each kind of bad input a user can give it and checks the documented exit code
# (README.md, "Exit codes"), the one-line message naming what is wrong, and that no stack trace is printed.
# Needs the geth-ethtest chain from the fixtures ($BEAMSYNC_FIXTURES or ../shared/fixtures).
# Prints one line per check and ends with "bad input: N checks passed" or exits 1 after listing the failures.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="${BEAMSYNC_FIXTURES:-$(cd "$root/.." && pwd)/shared/fixtures}"
genesis="$fixtures/chains/geth-ethtest/genesis.json"
chain="$fixtures/chains/geth-ethtest/chain.rlp"
other_genesis="$fixtures/chains/mainnet/genesis.json"
for f in "$genesis" "$chain" "$other_genesis"; do
  [[ -f "$f" ]] || { echo "bad-input.sh: fixture $f is missing" >&2; exit 1; }
done

"$root/beamsync" --version >/dev/null || { echo "bad-input.sh: beamsync does not build" >&2; exit 1; }
tmp="$(mktemp -d)"
holder=""
cleanup() {
  [[ -n "$holder" ]] && kill "$holder" 2>/dev/null
  exec 3>&- 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

passed=0 failed=0
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# check NAME EXIT STDERR_REGEX -- ARGS...: runs beamsync with ARGS and checks its exit code, that stderr is exactly
# one line matching STDERR_REGEX, and that neither stream holds a stack trace.
check() {
  local name="$1" want_exit="$2" want_err="$3"; shift 4
  "$root/beamsync" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  local lines; lines=$(grep -c '' "$tmp/err")
  if [[ $got != "$want_exit" ]]; then fail "$name" "exit $got, expected $want_exit ($(head -c 300 "$tmp/err"))"
  elif [[ $lines != 1 ]]; then fail "$name" "stderr has $lines lines, expected 1: $(head -c 300 "$tmp/err")"
  elif ! grep -Eq -- "$want_err" "$tmp/err"; then fail "$name" "stderr '$(cat "$tmp/err")' does not match '$want_err'"
  elif grep -q '^ *at .*(' "$tmp/out" "$tmp/err" || grep -q 'Unhandled exception' "$tmp/out" "$tmp/err"; then fail "$name" "stack trace printed"
  else echo "ok   $name"; passed=$((passed + 1)); fi
}

# check_run NAME EXIT LAST_LINE_REGEX EXTRA_REGEX -- ARGS...: for test-fixtures, whose findings go to stdout.
check_run() {
  local name="$1" want_exit="$2" want_last="$3" want_extra="$4"; shift 5
  "$root/beamsync" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [[ $got != "$want_exit" ]]; then fail "$name" "exit $got, expected $want_exit"
  elif ! tail -1 "$tmp/out" | grep -Eq -- "$want_last"; then fail "$name" "last line '$(tail -1 "$tmp/out")' does not match '$want_last'"
  elif ! grep -Eq -- "$want_extra" "$tmp/out"; then fail "$name" "no line matches '$want_extra'"
  elif [[ -s "$tmp/err" ]]; then fail "$name" "unexpected stderr: $(head -c 300 "$tmp/err")"
  elif grep -q $'\r' "$tmp/out"; then fail "$name" "progress written to redirected output"
  else echo "ok   $name"; passed=$((passed + 1)); fi
}

echo '{"a":1}' >"$tmp/a.json"
mkdir "$tmp/empty-folder" "$tmp/chain-folder"
: >"$tmp/empty.rlp"
echo "not a datadir" >"$tmp/datadir-file"
head -c 1000 "$chain" >"$tmp/cut.rlp"  # block 1 (696 bytes) and the start of block 2

# --- test-fixtures ---
check_run "fixtures: a file that is no fixture" 1 '^0 passed, 0 failed$' '^UNRECOGNIZED .*a\.json' -- test-fixtures "$tmp/a.json"
check_run "fixtures: an empty folder" 1 '^0 passed, 0 failed$' '^nothing was checked' -- test-fixtures "$tmp/empty-folder"
check_run "fixtures: a genesis file" 1 '^0 passed, 0 failed$' '^1 file not recognized as fixtures$' -- test-fixtures "$genesis"
check "fixtures: -j 0" 2 '^error: --jobs must be at least 1' -- test-fixtures -j 0 "$tmp/empty-folder"
check "fixtures: -j not a number" 2 "^error: .*many" -- test-fixtures -j many "$tmp/empty-folder"
check "fixtures: a missing path" 2 "^error: fixture path not found: $tmp/nope$" -- test-fixtures "$tmp/nope"

# --- import ---
check "import: datadir is a file" 4 "^error: datadir $tmp/datadir-file is a file, not a directory$" -- import --genesis "$genesis" --datadir "$tmp/datadir-file" "$chain"
check "import: chain file is a directory" 2 "^error: chain file $tmp/chain-folder is a directory, not a file$" -- import --genesis "$genesis" --datadir "$tmp/db" "$tmp/chain-folder"
check "import: missing chain file" 2 "^error: chain file $tmp/missing.rlp does not exist$" -- import --genesis "$genesis" --datadir "$tmp/db" "$tmp/missing.rlp"
check "import: empty chain file" 2 "^error: chain file $tmp/empty.rlp is empty: no blocks to import$" -- import --genesis "$genesis" --datadir "$tmp/db" "$tmp/empty.rlp"
check "import: truncated chain file" 2 "^error: chain file $tmp/cut.rlp: the block after block 1 \(block 2 of the file, at byte 696\)" -- import --genesis "$genesis" --datadir "$tmp/db" "$tmp/cut.rlp"
check "import: missing genesis file" 2 "^error: genesis file $tmp/missing.json does not exist$" -- import --genesis "$tmp/missing.json" --datadir "$tmp/db" "$chain"
check "import: genesis file is not JSON" 2 "^error: genesis file .*a\.json" -- import --genesis "$tmp/a.json" --datadir "$tmp/db" "$chain"
check "import: no --datadir" 2 "^error: .*--datadir" -- import --genesis "$genesis" "$chain"
check "import: another genesis on the datadir" 4 "^error: datadir $tmp/db holds the chain of genesis 0x[0-9a-f]{64}, but this genesis file gives 0x[0-9a-f]{64}" -- import --genesis "$other_genesis" --datadir "$tmp/db" "$chain"

# A second process on a datadir: the first holds it open while it waits for blocks on a pipe.
mkfifo "$tmp/pipe"
exec 3<>"$tmp/pipe"
"$root/beamsync" import --genesis "$genesis" --datadir "$tmp/locked" "$tmp/pipe" >"$tmp/holder.out" 2>&1 &
holder=$!
for _ in $(seq 1 300); do grep -q '^genesis ' "$tmp/holder.out" && break; sleep 0.1; done
check "import: a datadir in use by another process" 4 "^error: datadir $tmp/locked is in use by another process" -- import --genesis "$genesis" --datadir "$tmp/locked" "$chain"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=""

# --- engine-replay ---
printf '0x%064d\n' 0 >"$tmp/jwt.hex"
check "engine-replay: missing JWT file" 2 "^beamsync engine-replay: Could not find file '$tmp/missing-jwt'" -- engine-replay --jwt "$tmp/missing-jwt" "$tmp/a.json"
check "engine-replay: bad JWT secret" 2 "^beamsync engine-replay: $tmp/a.json: a JWT secret is 64 hex digits$" -- engine-replay --jwt "$tmp/a.json" "$tmp/a.json"
check "engine-replay: not an http URL" 2 "^beamsync engine-replay: --url: 'ftp://x' is not an http URL$" -- engine-replay --url ftp://x --jwt "$tmp/jwt.hex" "$tmp/a.json"
check "engine-replay: nothing listening" 2 "^error: engine-replay: no engine API answered at http://127.0.0.1:9/" -- engine-replay --url http://127.0.0.1:9 --jwt "$tmp/jwt.hex" "$tmp/a.json"

# --- other commands ---
check "an unknown command" 2 '^error: .*nosuchcommand' -- nosuchcommand
check "genesis: not JSON" 2 "^error: genesis file .*a\.json" -- genesis "$tmp/a.json"
check "genesis: a directory" 2 "^error: genesis file $tmp/empty-folder is a directory, not a file$" -- genesis "$tmp/empty-folder"
check "devnet: a bad option value" 2 '^error: .*--beam-nodes' -- devnet --beam-nodes x

# Success paths, redirected: no progress escape codes, and a re-import says it found nothing new.
"$root/beamsync" import --genesis "$genesis" --datadir "$tmp/ok" "$chain" >"$tmp/out" 2>&1
if [[ $? == 0 ]] && grep -q '^600 new blocks' "$tmp/out" && ! grep -q $'\r' "$tmp/out"; then echo "ok   import: 600 new blocks, no progress when redirected"; passed=$((passed + 1))
else fail "import: first import" "$(cat "$tmp/out")"; fi
"$root/beamsync" import --genesis "$genesis" --datadir "$tmp/ok" "$chain" >"$tmp/out" 2>&1
if [[ $? == 0 ]] && grep -q '^0 new blocks (600 already there)' "$tmp/out"; then echo "ok   import: a re-import says 0 new blocks"; passed=$((passed + 1))
else fail "import: re-import" "$(cat "$tmp/out")"; fi

if [[ $failed -gt 0 ]]; then
  echo "bad input: $failed of $((passed + failed)) checks failed"
  exit 1
fi
echo "bad input: $passed checks passed"
