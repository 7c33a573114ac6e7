#!/usr/bin/env bash
# Builds evmone's library (its baseline interpreter) and fixture_bench.cpp with g++, without evmone's CMake/Hunter
# (which downloads its dependencies). Nothing of evmone is in this repository: give the folder that holds
#   src/   ethereum/evmone's source (measured: 2cbfad3d) with src/evmc = ethereum/evmc at the submodule's commit 496ce0f
#   intx/  chfast/intx v0.13.0 (the version evmone's cmake/Hunter/config.cmake pins)
#   and nlohmann/json.hpp on the include path (fixture_bench reads the fixtures with it): e.g. nlohmann/json's
#   single_include/nlohmann/json.hpp copied to intx/include/nlohmann/json.hpp
# Usage: bench/evmone/build.sh /work/evmone-build   -> /work/evmone-build/fixture_bench
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh EVMONE_BUILD_DIR}"
cd "$out"
mkdir -p obj
inc=(-Isrc/include -Isrc/lib -Isrc/evmc/include -Iintx/include)
# As evmone's Release build: -O3, no exceptions or RTTI in the library, no stack protector.
flags=(-std=c++20 -O3 -DNDEBUG -fno-exceptions -fno-rtti -fno-stack-protector '-DPROJECT_VERSION="0.15.0"')
objs=()
for f in src/lib/evmone/*.cpp; do
  [[ $f == *cpu_check.cpp ]] && continue
  o="obj/$(basename "$f" .cpp).o"
  objs+=("$o")
  [[ "$o" -nt "$f" ]] || g++ "${flags[@]}" "${inc[@]}" -c "$f" -o "$o" &
done
gcc -O3 -DNDEBUG -Isrc/lib -c src/lib/evmone_precompiles/keccak.c -o obj/keccak.o
objs+=(obj/keccak.o)
wait
g++ -std=c++20 -O3 -DNDEBUG "${inc[@]}" "$here/fixture_bench.cpp" "${objs[@]}" -o fixture_bench
echo "built $out/fixture_bench"
