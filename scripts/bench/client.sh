#!/usr/bin/env bash
# Per-request cost of the generated client (kanuu::Client::create_nonce,
# .no_retries()) versus a hand-written reqwest call, against an HTTP server on
# 127.0.0.1 (benches/client.rs). Prints each estimate and the ratio
# generated / hand-written, by criterion and by the interleaved run. Results: target/bench/results/client*.txt
#
#   scripts/bench/client.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
results=target/bench/results
mkdir -p "$results"
nice -n 10 cargo bench --quiet --bench client --no-run
cargo bench --quiet --bench client 2>&1 | tee "$results/client-criterion.txt"
for server in keep-alive connection-close; do
  scripts/bench/criterion-summary.sh \
    "create_nonce/$server/generated kanuu::Client::create_nonce" \
    "create_nonce/$server/hand-written reqwest"
done | tee "$results/client-summary.txt"
python3 - "$results/client-summary.txt" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
means = {}
for line in lines:
    m = re.match(r"create_nonce/([^/]+)/(.+?): typical ([0-9.]+)", line)
    if m:
        means[(m.group(1), m.group(2).startswith("generated"))] = float(m.group(3))
for server in ("keep-alive", "connection-close"):
    if (server, True) in means and (server, False) in means:
        print(f"criterion {server}: generated / hand-written = {means[(server, True)] / means[(server, False)]:.3f}")
PY
