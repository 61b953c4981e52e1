#!/usr/bin/env bash
# Where rustc spends its time checking the crate for GitHub's REST API (npm
# @octokit/openapi 23.0.2): `cargo check` of the crate alone (dependencies
# built first) under `-Z self-profile`, read by scripts/bench/profile-check
# (analyzeme), which charges every query's self time to the kind of item it
# ran for: serde's derived visitors, request builders' methods, and so on.
# The -Z flags need RUSTC_BOOTSTRAP=1: for measurement only, never for
# building what users get. Profiling makes the check about 30% slower, and
# the profile takes about 2 GB in target/bench/profile-check/.
# Results: target/bench/results/profile-check.txt. See BENCHMARKS.md.
#
#   scripts/bench/profile-check.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
scripts/bench/install.sh || exit 1
root=$PWD
bench=$root/target/bench
work=$bench/profile-check
mkdir -p "$bench/results" "$work"
github=$bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json
export RUST_BACKTRACE=0 CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$work/target

rm -rf "$work/crate" "$work/profile"
"${KANUU_CODEGEN:-$root/target/release/kanuu-codegen}" --spec "$github" --out "$work/crate" --crate-name github-client \
  >/dev/null 2>&1 || exit 1
(cd scripts/bench/profile-check && CARGO_TARGET_DIR=$work/tool cargo build --release --quiet) || exit 1
cd "$work/crate/rust" || exit 1
cargo generate-lockfile --quiet && nice -n 10 cargo check --quiet >/dev/null 2>&1
touch src/lib.rs
mkdir -p "$work/profile"
RUSTC_BOOTSTRAP=1 cargo rustc --profile check --quiet --lib -- \
  -Z self-profile="$work/profile" -Z self-profile-events=default,args >/dev/null 2>&1 || exit 1
stem=$(find "$work/profile" -name '*.mm_profdata' | head -1)
"$work/tool/release/profile-check" github_client "${stem%.mm_profdata}" | tee "$bench/results/profile-check.txt"
