#!/usr/bin/env bash
# Runs BeamSync's EVM (bench -- evm) and evmone's baseline interpreter on every evm-benchmarks case, interleaved:
# each round runs one BeamSync process then one evmone process over the whole suite, so a change in the machine's
# load falls on both. Prints per case the median time per call of each over the rounds, their ratio (BeamSync /
# evmone) and the geometric means of the main and micro suites.
# Usage: scripts/evm-vs-evmone.sh [rounds=6] [evmone fixture_bench=/work/evmone-build/fixture_bench] [filter]
# evmone is built outside the repository from its public source by bench/evmone/build.sh; see docs/BENCHMARKS.md.
# Gas: BeamSync runs London and checks its gas against the fixture; evmone-bench's method runs Istanbul on a mocked
# host, so cases that touch storage (snailtracer) report other gas there. The gas column is BeamSync's; a case whose
# gas differs is marked *.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-6}"
evmone="${2:-/work/evmone-build/fixture_bench}"
filter="${3:-}"
fixtures="${BEAMSYNC_FIXTURES:-$(cd "$root/.." && pwd)/shared/fixtures}"
suite="$fixtures/evm-benchmarks/benchmarks"
[[ -x "$evmone" ]] || { echo "evm-vs-evmone.sh: $evmone not found (build evmone first)" >&2; exit 1; }
[[ -d "$suite" ]] || { echo "evm-vs-evmone.sh: $suite not found" >&2; exit 1; }

dotnet build "$root/bench/Bench/Bench.csproj" -c Release -v quiet -clp:ErrorsOnly >/dev/null
bench="$root/bench/Bench/bin/Release/net10.0/Bench.dll"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  # Lines "case gas microseconds Mgas/s"; a FAILED line stops the comparison.
  BEAMSYNC_FIXTURES="$fixtures" dotnet "$bench" evm --rounds 1 --min-ms 200 $filter | tail -n +2 > "$out/beam.$r"
  if grep -q FAILED "$out/beam.$r"; then cat "$out/beam.$r" >&2; exit 1; fi
  # Lines "case gas nanoseconds rounds".
  "$evmone" "$suite" $filter --rounds 1 --min-ms 200 > "$out/evmone.$r"
  echo "round $r of $rounds done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

awk '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  FILENAME ~ /beam\./   { if (!($1 in beam)) order[++count] = $1; beam[$1] = beam[$1] " " $3; gas[$1] = $2 }
  FILENAME ~ /evmone\./ { one[$1] = one[$1] " " ($3 / 1000); onegas[$1] = $2 }
  END {
    printf "| case | gas | BeamSync us/call | BeamSync Mgas/s | evmone us/call | ratio |\n|---|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= count; i++) {
      c = order[i]; b = median(beam[c]); e = median(one[c]); ratio = b / e
      split(c, parts, "/"); suiteLog[parts[1]] += log(ratio); suiteCount[parts[1]]++
      if (ratio > worst) { worst = ratio; worstCase = c }
      printf "| %s | %d%s | %.1f | %.1f | %.1f | %.2fx |\n", c, gas[c], (gas[c] == onegas[c] ? "" : " *"), b, gas[c] / b, e, ratio
    }
    for (s in suiteCount) printf "geometric mean %s: %.2fx over %d cases\n", s, exp(suiteLog[s] / suiteCount[s]), suiteCount[s]
    printf "worst case: %s %.2fx\n", worstCase, worst
  }' $(for ((r = 1; r <= rounds; r++)); do echo "$out/beam.$r" "$out/evmone.$r"; done)
