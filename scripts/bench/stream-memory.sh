#!/usr/bin/env bash
# Peak memory of the generated client streaming 1 GiB: JSON lines and
# server-sent events, each counted as they arrive; a download written out
# as it arrives, and read whole; an upload of a file, and of bytes in
# memory. See benches/stream_memory.rs and BENCHMARKS.md §3.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench --bench stream_memory --no-run --quiet
binary=$(cargo bench --bench stream_memory --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*stream_memory[^"]*\)".*/\1/p' | tail -1)
for stream in lines events download download-whole upload upload-in-memory; do
  STREAM=$stream /usr/bin/time -f '  %M KB peak (GNU time), %e s' "$binary"
done
