#!/usr/bin/env bash
# Snippet emission: kanuu-codegen versus httpsnippet (npm) for the same
# request (POST /api/nonce with a bearer key and the example JSON body) in the
# same seven languages. Results: target/bench/results/snippets.*
#
#   scripts/bench/snippets.sh
#
# Three figures, each measuring something different (see BENCHMARKS.md):
#  1. whole process (hyperfine): kanuu-codegen generating everything for
#     spec/kanuu.yaml (crate, pages with nine snippet languages, openapi.json,
#     written to disk) versus httpsnippet's CLI once per language, and versus
#     one Node process converting the HAR into the seven languages;
#  2. in process: Node converting the HAR into the seven languages in a loop,
#     set against `cargo bench --bench generate` (snippets/7 languages).
set -uo pipefail
cd "$(dirname "$0")/../.."
scripts/bench/install.sh || exit 1
root=$PWD
bench=$root/target/bench
results=$bench/results
work=$bench/snippets
mkdir -p "$results" "$work"
kanuu=${KANUU_CODEGEN:-$root/target/release/kanuu-codegen}
node_modules=$bench/npm/node_modules
httpsnippet=$node_modules/.bin/httpsnippet

# The request of spec/kanuu.yaml's createNonce, as the pages show it.
har=$work/create-nonce.har.json
cat >"$har" <<'HAR'
{"method":"POST","url":"https://kanuu.io/api/nonce","httpVersion":"HTTP/1.1",
 "headers":[{"name":"authorization","value":"Bearer <YOUR_API_KEY>"},
            {"name":"content-type","value":"application/json"},
            {"name":"accept","value":"application/json"}],
 "queryString":[],"cookies":[],
 "postData":{"mimeType":"application/json","text":"{\"identifier\": \"42\"}"},
 "headersSize":-1,"bodySize":-1}
HAR
targets="shell:curl php:http2 ruby:native java:unirest python:requests javascript:fetch go:native"

cli_all=$work/httpsnippet-cli.sh
{
  echo "#!/usr/bin/env bash"
  echo "set -e"
  echo "mkdir -p $work/cli-out"
  for tc in $targets; do echo "$httpsnippet $har -t ${tc%%:*} -c ${tc#*:} -o $work/cli-out"; done
} >"$cli_all"
chmod +x "$cli_all"

one_process=$work/httpsnippet-once.js
cat >"$one_process" <<JS
const { HTTPSnippet } = require("$node_modules/httpsnippet");
const fs = require("fs");
const targets = "$targets".split(" ").map((t) => t.split(":"));
const snippet = new HTTPSnippet(JSON.parse(fs.readFileSync("$har", "utf8")));
fs.mkdirSync("$work/lib-out", { recursive: true });
for (const [target, client] of targets) {
  fs.writeFileSync("$work/lib-out/" + target + "-" + client, snippet.convert(target, client));
}
JS

in_process=$work/httpsnippet-loop.js
cat >"$in_process" <<JS
// Per-iteration cost of new HTTPSnippet(har) + seven convert() calls, after a
// warm-up so V8 has compiled the hot code: 30 batches, the median reported.
const { HTTPSnippet } = require("$node_modules/httpsnippet");
const fs = require("fs");
const har = JSON.parse(fs.readFileSync("$har", "utf8"));
const targets = "$targets".split(" ").map((t) => t.split(":"));
let sink = 0;
const once = () => {
  const snippet = new HTTPSnippet(har);
  for (const [target, client] of targets) sink += snippet.convert(target, client).length;
};
for (let i = 0; i < 5000; i++) once();
const batch = 1000, perIteration = [];
for (let b = 0; b < 30; b++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) once();
  perIteration.push(Number(process.hrtime.bigint() - start) / batch / 1000);
}
perIteration.sort((a, b) => a - b);
console.log(JSON.stringify({ median_us: perIteration[15], min_us: perIteration[0], max_us: perIteration[29], sink }));
JS

# Both must work before they are timed.
"$kanuu" --spec "$root/spec/kanuu.yaml" --out "$work/kanuu-out" >/dev/null || exit 1
bash "$cli_all" >/dev/null || exit 1
node "$one_process" || exit 1

hyperfine -N --warmup 3 --runs 20 --export-json "$results/snippets-process.json" \
  --export-markdown "$results/snippets-process.md" \
  -n "kanuu-codegen (spec/kanuu.yaml, everything)" --prepare "rm -rf $work/kanuu-out" "$kanuu --spec $root/spec/kanuu.yaml --out $work/kanuu-out" \
  -n "httpsnippet CLI x7 languages" "bash $cli_all" \
  -n "httpsnippet library, 7 languages in one node process" "node $one_process"

node "$in_process" | tee "$results/snippets-node-in-process.json"
nice -n 10 cargo bench --quiet --bench generate --no-run || exit 1
cargo bench --quiet --bench generate 2>&1 | tee "$results/generate-criterion.txt"
scripts/bench/criterion-summary.sh generate/kanuu.yaml parse/kanuu.yaml "rust::emit/kanuu.yaml" \
  "snippets/7 languages" "snippets/all 9 languages" | tee "$results/generate-summary.txt"
