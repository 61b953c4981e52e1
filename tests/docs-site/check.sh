#!/usr/bin/env bash
# Builds the generated reference pages with the docs site's real engine
# (VuePress 1, default theme) and each openapi.json with Redoc, then checks in
# headless Chromium what a reader sees. See tests/docs-site/README.md.
#
# usage: tests/docs-site/check.sh [--docs NAME=DIR]... [--expect NAME=DIR]... [--out DIR] [--no-redoc]
#   --docs NAME=DIR    check the docs set in DIR, served under /NAME/ (repeatable);
#                      without any: generated/docs and every test case's docs
#   --expect NAME=DIR  read what set NAME should show from DIR instead of from what
#                      was built (to prove a check fails on a difference)
#   --out DIR          where to build (default target/docs-site)
#   --no-redoc         skip the Redoc build and checks
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/docs-site

docs=() expect=() out=target/docs-site redoc=1
while (($#)); do
  case $1 in
    --docs) docs+=(--docs "$2"); shift 2 ;;
    --expect) expect+=(--expect "$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-redoc) redoc=0; shift ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "check.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ((${#docs[@]} == 0)); then
  # The generated docs, and every test case's: tests/cases/NAME/expected/docs.
  docs=(--docs kanuu=generated/docs)
  shopt -s nullglob
  for dir in tests/cases/*/expected/docs; do
    name=${dir#tests/*/} name=${name%%/*}
    docs+=(--docs "$name=$dir")
  done
  shopt -u nullglob
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "check.sh: $*" >&2; exit 1; }

[[ -x /usr/bin/chromium ]] || fail "no /usr/bin/chromium: apt-get install -y --no-install-recommends chromium"
if [[ ! -d $here/node_modules ]]; then
  step "Install VuePress and playwright-core ($here)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

step "Assemble the VuePress site in $out/site"
node "$here/site.mjs" --out "$out" --title "Kanuu documentation" "${docs[@]}" "${expect[@]}"

step "Build it with VuePress"
# webpack 4 uses a hash that OpenSSL 3 (Node 17+) only has in its legacy provider.
export NODE_OPTIONS=--openssl-legacy-provider
# vue-loader looks for the Vue compiler from the working directory, so build
# from $out with the harness's node_modules linked in beside the site.
ln -sfn "$PWD/$here/node_modules" "$out/node_modules"
(cd "$out" && node_modules/.bin/vuepress build site --no-cache >"$out/vuepress-build.log" 2>&1) ||
  { tail -40 "$out/vuepress-build.log" >&2; fail "vuepress build failed (full log: $out/vuepress-build.log)"; }
echo "built $out/site/.vuepress/dist"

check_args=()
if ((redoc)); then
  step "Build each openapi.json with Redoc (Redocly CLI from the root node_modules)"
  [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
  export REDOCLY_TELEMETRY=off
  rm -rf "$out/redoc" && mkdir -p "$out/redoc"
  for pair in "${docs[@]}"; do
    [[ $pair == --docs ]] && continue
    name=${pair%%=*}
    spec=$out/site/$name/openapi.json # the copy the VuePress site was built from
    [[ -f $spec ]] || fail "docs set $name: no openapi.json in ${pair#*=}"
    # --inlineBundle: by default the page loads Redoc's script from a CDN, which is unreachable here.
    # The generated redocly.yaml lists the code-sample languages Redoc shows (by default not all nine).
    config=()
    [[ -f $out/site/$name/redocly.yaml ]] && config=(--config "$out/site/$name/redocly.yaml")
    npx --no-install redocly build-docs "$spec" "${config[@]}" --inlineBundle -o "$out/redoc/$name.html" >"$out/redoc/$name.log" 2>&1 ||
      { cat "$out/redoc/$name.log" >&2; fail "redocly build-docs failed for $spec"; }
    echo "built $out/redoc/$name.html"
  done
else
  check_args+=(--no-redoc)
fi

step "Check every page in headless Chromium"
rm -rf "$out/screenshots"
node "$here/check.mjs" "$out" "${check_args[@]}"
