#!/usr/bin/env bash
# Peak memory of the generated client reading a 1 GiB answer: with the
# default limit (100 MiB), a 1 MiB limit, and no limit (how every answer
# was read before the limit). See benches/answer_memory.rs and BENCHMARKS.md §3.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench --bench answer_memory --no-run --quiet
binary=$(cargo bench --bench answer_memory --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*answer_memory[^"]*\)".*/\1/p' | tail -1)
for limit in 104857600 1048576 none; do
  ANSWER_LIMIT=$limit /usr/bin/time -f '  %M KB peak (GNU time), %e s' "$binary"
done
