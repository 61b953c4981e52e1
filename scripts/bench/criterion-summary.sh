#!/usr/bin/env bash
# Prints the point estimates (criterion's "typical" time, the one it prints:
# the slope of time over iterations, else the mean; and the median; in µs) of criterion benchmarks
# from target/criterion/*/new/estimates.json, by their full ids ("group/name").
#
#   scripts/bench/criterion-summary.sh "create_nonce/keep-alive/hand-written reqwest" ...
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 - "$@" <<'PY'
import json, pathlib, sys
root = pathlib.Path("target/criterion")
found = {}
for path in root.glob("**/new/benchmark.json"):
    info = json.loads(path.read_text())
    estimates = json.loads((path.parent / "estimates.json").read_text())
    found[info["full_id"]] = estimates
for wanted in sys.argv[1:]:
    e = found.get(wanted)
    if e is None:
        print(f"{wanted}: not found under target/criterion")
        continue
    typical = e.get("slope") or e["mean"]
    point = typical["point_estimate"] / 1000
    low = typical["confidence_interval"]["lower_bound"] / 1000
    high = typical["confidence_interval"]["upper_bound"] / 1000
    median = e["median"]["point_estimate"] / 1000
    print(f"{wanted}: typical {point:.3f} µs [{low:.3f} .. {high:.3f}], median {median:.3f} µs")
PY
