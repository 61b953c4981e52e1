#!/usr/bin/env bash
# Installs what the benchmarks compare against into target/bench/ (gitignored),
# pinned, and builds the release kanuu-codegen. Idempotent: anything already
# there is kept. See BENCHMARKS.md.
#
#   target/bench/cargo/bin/cargo-progenitor   cargo-progenitor 0.15.1 (crates.io)
#   target/bench/venv/bin/openapi-generator-cli  openapi-generator-cli 7.26.0 (PyPI; bundles the jar, needs Java 11+)
#   target/bench/npm/node_modules/.bin/httpsnippet   httpsnippet 3.0.10 (npm)
#   target/bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json   GitHub's REST API (npm @octokit/openapi 23.0.2)
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=target/bench
mkdir -p "$bench"

# hyperfine, GNU time (/usr/bin/time -v for peak memory), Java for openapi-generator.
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev pkg-config) # openapi-generator's crate defaults to native-tls
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
fi

if [ ! -x "$bench/cargo/bin/cargo-progenitor" ]; then
  nice -n 10 cargo install --locked --root "$bench/cargo" --target-dir "$bench/cargo-install-target" cargo-progenitor@0.15.1
fi

if [ ! -x "$bench/venv/bin/openapi-generator-cli" ]; then
  python3 -m venv "$bench/venv"
  "$bench/venv/bin/pip" install -q openapi-generator-cli==7.26.0
fi

if [ ! -x "$bench/npm/node_modules/.bin/httpsnippet" ] || [ ! -d "$bench/npm/node_modules/@octokit/openapi" ]; then
  mkdir -p "$bench/npm"
  (cd "$bench/npm" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund --loglevel=error httpsnippet@3.0.10 @octokit/openapi@23.0.2)
fi

# KANUU_CODEGEN=/path/to/kanuu-codegen measures that binary instead of building this tree's.
[ -n "${KANUU_CODEGEN:-}" ] || nice -n 10 cargo build --quiet --release -p kanuu-codegen
