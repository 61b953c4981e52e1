#!/usr/bin/env bash
# Peak memory of the generated client reading a 1 GiB answer as a stream:
# JSON lines, then server-sent events, each counted as they arrive. See
# benches/stream_memory.rs and BENCHMARKS.md §3.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench --bench stream_memory --no-run --quiet
binary=$(cargo bench --bench stream_memory --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*stream_memory[^"]*\)".*/\1/p' | tail -1)
for stream in lines events; do
  STREAM=$stream /usr/bin/time -f '  %M KB peak (GNU time), %e s' "$binary"
done
