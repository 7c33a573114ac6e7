#!/usr/bin/env bash
# Checks that ./beamsync rebuilds the CLI only when a source changed: build output under src/*/obj and src/*/bin
# (rewritten by any dotnet build or test) must not trigger a rebuild; a touched source file must.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="$root/beamsync"

"$launcher" --version >/dev/null 2>&1   # brings the build up to date
mkdir -p "$root/src/Cli/obj" "$root/src/Cli/bin"
probe_obj="$root/src/Cli/obj/launcher-probe.json"
probe_bin="$root/src/Cli/bin/launcher-probe.cs"
trap 'rm -f "$probe_obj" "$probe_bin"' EXIT
touch "$probe_obj" "$probe_bin"
if "$launcher" --version 2>&1 >/dev/null | grep -q 'building'; then
  echo "FAIL launcher: a file under obj/ or bin/ made ./beamsync rebuild" >&2
  exit 1
fi
echo "ok   launcher: build output under obj/ and bin/ does not trigger a rebuild"
# The other direction: sources newer than the stamp (backdated here, so nothing is edited) rebuild.
touch -d '@1' "$root/.build/cli/.stamp"
if ! "$launcher" --version 2>&1 >/dev/null | grep -q 'building'; then
  echo "FAIL launcher: sources newer than the last build did not rebuild" >&2
  exit 1
fi
echo "ok   launcher: a changed source rebuilds"
