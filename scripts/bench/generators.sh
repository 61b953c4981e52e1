#!/usr/bin/env bash
# Wall time (hyperfine) and peak memory (GNU time's "Maximum resident set size")
# of kanuu-codegen, cargo-progenitor and openapi-generator-cli (-g rust) on
# spec/kanuu.yaml and on GitHub's REST API document. A tool that fails is
# recorded with its exit code and the first line of its error, and not timed
# further. Results: target/bench/results/generators.*  See BENCHMARKS.md.
#
#   scripts/bench/generators.sh            # the tools write onto this disk
#   scripts/bench/generators.sh --memory   # into a tmpfs folder (/dev/shm)
#
# Each timed run first deletes the last run's output folder. On ext4, files
# created in the minute after many were deleted are slow to create (the
# allocator steps over recently freed inodes): here, writing GitHub's crate
# and pages takes about a second after the deletion and a few hundredths
# without it. --memory times the tools without the file system; results
# then go to generators-memory.*.
set -uo pipefail
cd "$(dirname "$0")/../.."
scripts/bench/install.sh || exit 1
root=$PWD
bench=$root/target/bench
results=$bench/results
work=$bench/generators
suffix=
if [ "${1:-}" = --memory ]; then
  [ -d /dev/shm ] && [ -w /dev/shm ] || { echo "--memory needs a writable /dev/shm" >&2; exit 1; }
  work=/dev/shm/kanuu-bench-generators suffix=-memory
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$results" "$work"
kanuu=${KANUU_CODEGEN:-$root/target/release/kanuu-codegen}
progenitor=$bench/cargo/bin/cargo-progenitor
oag=$bench/venv/bin/openapi-generator-cli
github=$bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json
export RUST_BACKTRACE=0

# The command line of each tool for spec $2, writing into folder $3.
command_for() {
  case $1 in
    kanuu-codegen) echo "$kanuu --spec $2 --out $3 --crate-name bench-client" ;;
    # The binary directly (what `cargo progenitor` runs), without cargo's start-up.
    cargo-progenitor) echo "$progenitor progenitor -i $2 -o $3 -n bench-client -v 1.0.0" ;;
    openapi-generator) echo "$oag generate -i $2 -g rust -o $3" ;;
  esac
}

summary=$results/generators$suffix.txt
: >"$summary"
for spec in kanuu:"$root/spec/kanuu.yaml" github:"$github"; do
  name=${spec%%:*} file=${spec#*:}
  timed=()
  for tool in kanuu-codegen cargo-progenitor openapi-generator; do
    out=$work/$name-$tool
    log=$work/$name-$tool.log
    rm -rf "$out"
    # One run under GNU time for the exit code and the peak RSS. The Python
    # wrapper of openapi-generator waits for its java child, whose RSS is
    # included (ru_maxrss of waited-for descendants).
    /usr/bin/time -v -o "$work/$name-$tool.time" $(command_for "$tool" "$file" "$out") >"$log" 2>&1
    code=$(sed -n 's/^\s*Exit status: //p' "$work/$name-$tool.time")
    [ -n "$code" ] || code=$(sed -n 's/^Command exited with non-zero status //p' "$work/$name-$tool.time")
    rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$work/$name-$tool.time")
    wall=$(sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name-$tool.time")
    if [ "$code" = 0 ]; then
      echo "$name $tool ok rss_kb=$rss wall=$wall" | tee -a "$summary"
      timed+=(-n "$tool" --prepare "rm -rf $out" "$(command_for "$tool" "$file" "$out")")
    else
      error=$(grep -m1 -A1 "panicked at\|^error\|Exception\|ERROR" "$log" | tr '\n' ' ' | cut -c1-300)
      echo "$name $tool FAILED exit=$code rss_kb=$rss wall=$wall error: $error" | tee -a "$summary"
    fi
  done
  # GitHub's runs differ by up to a third on this shared machine: one
  # warm-up (the run above under GNU time was the first) and six runs each.
  if [ "$name" = kanuu ]; then runs=(--warmup 2 --runs 10); else runs=(--warmup 1 --runs 6); fi
  # -N: no shell (hyperfine discards the output itself), so 10 ms runs are not blurred by a shell's start-up.
  hyperfine -N "${runs[@]}" --export-json "$results/generators$suffix-$name.json" \
    --export-markdown "$results/generators$suffix-$name.md" "${timed[@]}" | tee -a "$summary"
done
echo "results: $summary"
