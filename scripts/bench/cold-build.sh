#!/usr/bin/env bash
# Cold `cargo build` (debug profile) of the crate each generator makes for
# spec/kanuu.yaml, each in its own CARGO_TARGET_DIR under target/bench/cold,
# one after another, niced; plus its normal-dependency count. Dependencies are
# resolved and downloaded before the clock starts, so the figure is compile
# time only. Results: target/bench/results/cold-build.txt
#
#   scripts/bench/cold-build.sh             # each crate once
#   scripts/bench/cold-build.sh --pairs 5   # then kanuu's and openapi-generator's default
#                                           # crate 5 more times each, alternately, and
#                                           # the median of the ratios (the machine is shared)
#
# cargo-progenitor panics on spec/kanuu.yaml (two error response types), so
# its crate is generated from a copy without the 422 response, labelled so.
# openapi-generator's crate is built twice: with its default feature
# (native-tls, the system's OpenSSL) and with `--no-default-features
# --features rustls`, the TLS stack the kanuu crate uses.
set -uo pipefail
cd "$(dirname "$0")/../.."
scripts/bench/install.sh || exit 1
root=$PWD
bench=$root/target/bench
results=$bench/results
work=$bench/cold
mkdir -p "$results"
rm -rf "$work"
mkdir -p "$work"
export RUST_BACKTRACE=0
summary=$results/cold-build.txt
: >"$summary"

# The crates.
"${KANUU_CODEGEN:-$root/target/release/kanuu-codegen}" --spec spec/kanuu.yaml --out "$work/kanuu" >/dev/null || exit 1
"$bench/venv/bin/openapi-generator-cli" generate -i spec/kanuu.yaml -g rust -o "$work/openapi-generator" \
  >"$work/openapi-generator.log" 2>&1 || exit 1
if "$bench/cargo/bin/cargo-progenitor" progenitor -i spec/kanuu.yaml -o "$work/progenitor" -n kanuu-progenitor \
  -v 1.0.0 >"$work/progenitor.log" 2>&1; then
  progenitor_label="progenitor (spec/kanuu.yaml)"
else
  echo "progenitor on spec/kanuu.yaml: FAILED: $(grep -m1 -A1 'panicked at' "$work/progenitor.log" | tail -1)" | tee -a "$summary"
  sed '/^        "422":$/,+1d' spec/kanuu.yaml >"$work/kanuu-without-422.yaml"
  rm -rf "$work/progenitor"
  "$bench/cargo/bin/cargo-progenitor" progenitor -i "$work/kanuu-without-422.yaml" -o "$work/progenitor" \
    -n kanuu-progenitor -v 1.0.0 >"$work/progenitor.log" 2>&1 || exit 1
  progenitor_label="progenitor (spec/kanuu.yaml without its 422 response)"
fi

# label | crate folder (relative to $work) | cargo build flags
builds=(
  "kanuu-codegen|kanuu/rust|"
  "openapi-generator (default: native-tls)|openapi-generator|"
  "openapi-generator (--features rustls)|openapi-generator|--no-default-features --features rustls"
  "$progenitor_label|progenitor|"
)
for entry in "${builds[@]}"; do
  IFS='|' read -r label dir flags <<<"$entry"
  manifest=$work/$dir/Cargo.toml
  target=$work/target-$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-')
  # Resolve and download first: not part of the build time.
  cargo generate-lockfile --quiet --manifest-path "$manifest" || exit 1
  cargo fetch --quiet --manifest-path "$manifest" || exit 1
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  CARGO_TARGET_DIR=$target nice -n 10 cargo build --timings --manifest-path "$manifest" $flags >"$target.log" 2>&1
  code=$?
  end=$(date +%s.%N)
  seconds=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
  units=$(grep -c '^ *Compiling ' "$target.log")
  # Packages in the normal-dependency tree, the crate included; `(*)` marks repeats.
  # shellcheck disable=SC2086
  deps=$(cargo tree --manifest-path "$manifest" $flags --prefix none -e normal | sed 's/ (\*)$//' | sort -u | wc -l)
  echo "$label: exit=$code build_seconds=$seconds compiled_units=$units normal_deps=$deps" | tee -a "$summary"
  # The three slowest units, from cargo's --timings report.
  python3 - "$target/cargo-timings/cargo-timing.html" <<'PY' | tee -a "$summary"
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
units.sort(key=lambda u: -u["duration"])
print("    slowest: " + ", ".join(f"{u['name']} {u['target'].strip() or 'lib'} {u['duration']:.1f} s" for u in units[:3]))
PY
done

# Repeated pairs: ours, then openapi-generator's default crate, each from an
# empty target folder; wall and CPU time (user + system) of each build.
if [ "${1:-}" = --pairs ]; then
  pairs=${2:?--pairs needs a count}
  ratios=() cpu_ratios=()
  for pair in $(seq "$pairs"); do
    line="pair $pair:"
    for dir in kanuu/rust openapi-generator; do
      target=$work/target-pair
      rm -rf "$target"
      CARGO_TARGET_DIR=$target nice -n 10 /usr/bin/time -f "%e %U %S" -o "$work/pair.time" \
        cargo build --quiet --manifest-path "$work/$dir/Cargo.toml" >"$work/pair.log" 2>&1 || exit 1
      read -r wall user system <"$work/pair.time"
      cpu=$(awk "BEGIN { printf \"%.1f\", $user + $system }")
      line="$line $dir ${wall} s (CPU ${cpu} s);"
      if [ "$dir" = kanuu/rust ]; then ours_wall=$wall ours_cpu=$cpu; fi
    done
    ratios+=("$(awk "BEGIN { printf \"%.3f\", $ours_wall / $wall }")")
    cpu_ratios+=("$(awk "BEGIN { printf \"%.3f\", $ours_cpu / $cpu }")")
    echo "$line ratio ${ratios[-1]} (CPU ${cpu_ratios[-1]})" | tee -a "$summary"
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  echo "kanuu / openapi-generator default, median of $pairs pairs: wall $(median "${ratios[@]}"), CPU $(median "${cpu_ratios[@]}")" | tee -a "$summary"
fi
echo "results: $summary"
