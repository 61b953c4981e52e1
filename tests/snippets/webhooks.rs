//! The webhook pages' snippets, run with their real runtimes: each checks
//! deliveries a Python script signed with its own `hmac` (valid ones, a
//! rotated secret's, and forged, replayed, tampered and unsigned ones) and
//! must accept exactly the valid ones.

use super::*;

const CASE: &str = "webhooks";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=";

/// Writes `deliveries/NAME/{id,timestamp,signature,body}` under the
/// folder it is given: what the API would send, signed now.
const SIGNER: &str = r#"
import base64, hashlib, hmac, json, os, sys, time

out, secret, other = sys.argv[1], sys.argv[2], sys.argv[3]

def sign(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()

def delivery(name, body, secret=secret, age=0, signature=None, sent=None, signed=True):
    timestamp = str(int(time.time()) - age)
    msg_id = "msg_" + name
    folder = os.path.join(out, name)
    os.makedirs(folder)
    with open(os.path.join(folder, "id"), "w") as f:
        f.write(msg_id)
    with open(os.path.join(folder, "timestamp"), "w") as f:
        f.write(timestamp)
    if signed:
        with open(os.path.join(folder, "signature"), "w") as f:
            f.write(signature(msg_id, timestamp, body) if signature else sign(secret, msg_id, timestamp, body))
    with open(os.path.join(folder, "body"), "wb") as f:
        f.write(body if sent is None else sent)

created = json.dumps({"type": "subscription.created", "timestamp": "2026-12-06T10:00:00Z",
                      "data": {"id": "sub_1042", "status": "active", "plan": "pro-monthly"}}).encode()
# Raw CR LF between tokens and multi-byte characters: checked byte for byte.
raw = ('{"type": "subscription.created",\r\n "timestamp": "2026-12-06T10:00:00Z",\r\n'
       ' "data": {"id": "sub_é😀", "status": "trialing", "plan": "pró \\u0000"}}').encode()

delivery("valid", created)
delivery("valid-raw-bytes", raw)
delivery("valid-rotated", created,
         signature=lambda i, t, b: sign(other, i, t, b) + " " + sign(secret, i, t, b))
delivery("wrong-secret", created, secret=other)
delivery("replayed", created, age=3600)
delivery("from-the-future", created, age=-3600)
delivery("tampered", created, sent=created.replace(b"pro-monthly", b"free"))
delivery("unsigned", created, signed=False)
delivery("v2-only", created, signature=lambda i, t, b: "v2," + sign(secret, i, t, b)[3:])
"#;

/// Each language's program around the page's snippet (saved as the file
/// named first): reads every delivery and prints `NAME accepted` or
/// `NAME refused`.
fn harness(title: &str) -> (&'static str, &'static str, &'static str) {
    match title {
        "Curl" => (
            "verify.sh",
            "harness.sh",
            r#". ./verify.sh
for dir in deliveries/*/; do
  name=$(basename "$dir")
  signature=$(cat "$dir/signature" 2>/dev/null)
  if verify_webhook "$WEBHOOK_SECRET" "$(cat "$dir/id")" "$(cat "$dir/timestamp")" "$signature" "$dir/body"; then
    echo "$name accepted"
  else
    echo "$name refused"
  fi
done
"#,
        ),
        "PHP" => (
            "verify.php",
            "harness.php",
            r#"<?php
require __DIR__ . '/verify.php';
foreach (glob(__DIR__ . '/deliveries/*', GLOB_ONLYDIR) as $dir) {
    $headers = ['webhook-id' => file_get_contents("$dir/id"), 'webhook-timestamp' => file_get_contents("$dir/timestamp")];
    if (file_exists("$dir/signature")) {
        $headers['webhook-signature'] = file_get_contents("$dir/signature");
    }
    $accepted = verify_webhook(getenv('WEBHOOK_SECRET'), $headers, file_get_contents("$dir/body"));
    echo basename($dir), $accepted ? ' accepted' : ' refused', "\n";
}
"#,
        ),
        "Laravel" => (
            "verify.php",
            "harness.php",
            r#"<?php
require __DIR__ . '/verify.php';
foreach (glob(__DIR__ . '/deliveries/*', GLOB_ONLYDIR) as $dir) {
    $server = ['HTTP_WEBHOOK_ID' => file_get_contents("$dir/id"), 'HTTP_WEBHOOK_TIMESTAMP' => file_get_contents("$dir/timestamp")];
    if (file_exists("$dir/signature")) {
        $server['HTTP_WEBHOOK_SIGNATURE'] = file_get_contents("$dir/signature");
    }
    $request = Illuminate\Http\Request::create('/hooks', 'POST', [], [], [], $server, file_get_contents("$dir/body"));
    echo basename($dir), verify_webhook(getenv('WEBHOOK_SECRET'), $request) ? ' accepted' : ' refused', "\n";
}
"#,
        ),
        "Ruby" => (
            "verify.rb",
            "harness.rb",
            r#"require_relative "verify"
Dir.glob(File.join(__dir__, "deliveries", "*")).sort.each do |dir|
  headers = { "webhook-id" => File.read(File.join(dir, "id")), "webhook-timestamp" => File.read(File.join(dir, "timestamp")) }
  signature = File.join(dir, "signature")
  headers["webhook-signature"] = File.read(signature) if File.exist?(signature)
  accepted = verify_webhook(ENV.fetch("WEBHOOK_SECRET"), headers, File.binread(File.join(dir, "body")))
  puts [File.basename(dir), accepted ? "accepted" : "refused"].join(" ")
end
"#,
        ),
        "Java" => (
            "Webhooks.java",
            "Main.java",
            r#"import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class Main {
    public static void main(String[] args) throws Exception {
        List<Path> dirs;
        try (var listing = Files.list(Path.of("deliveries"))) {
            dirs = listing.sorted().toList();
        }
        for (Path dir : dirs) {
            Map<String, String> headers = new HashMap<>();
            headers.put("webhook-id", Files.readString(dir.resolve("id")));
            headers.put("webhook-timestamp", Files.readString(dir.resolve("timestamp")));
            if (Files.exists(dir.resolve("signature"))) {
                headers.put("webhook-signature", Files.readString(dir.resolve("signature")));
            }
            boolean accepted = Webhooks.verify(System.getenv("WEBHOOK_SECRET"), headers, Files.readAllBytes(dir.resolve("body")));
            System.out.println(dir.getFileName() + (accepted ? " accepted" : " refused"));
        }
    }
}
"#,
        ),
        "Python" => (
            "verify.py",
            "harness.py",
            r#"import os
import pathlib

from verify import verify_webhook

for folder in sorted(pathlib.Path("deliveries").iterdir()):
    headers = {"webhook-id": (folder / "id").read_text(), "webhook-timestamp": (folder / "timestamp").read_text()}
    if (folder / "signature").exists():
        headers["webhook-signature"] = (folder / "signature").read_text()
    accepted = verify_webhook(os.environ["WEBHOOK_SECRET"], headers, (folder / "body").read_bytes())
    print(folder.name, "accepted" if accepted else "refused")
"#,
        ),
        "JavaScript" => (
            "verify.mjs",
            "harness.mjs",
            r#"import { existsSync, readdirSync, readFileSync } from "node:fs";
import { verifyWebhook } from "./verify.mjs";

for (const name of readdirSync("deliveries").sort()) {
  const dir = `deliveries/${name}`;
  const headers = {
    "webhook-id": readFileSync(`${dir}/id`, "utf8"),
    "webhook-timestamp": readFileSync(`${dir}/timestamp`, "utf8"),
  };
  if (existsSync(`${dir}/signature`)) headers["webhook-signature"] = readFileSync(`${dir}/signature`, "utf8");
  const accepted = verifyWebhook(process.env.WEBHOOK_SECRET, headers, readFileSync(`${dir}/body`));
  console.log(name, accepted ? "accepted" : "refused");
}
"#,
        ),
        "Go" => (
            "verify.go",
            "harness.go",
            r#"package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	dirs, _ := filepath.Glob("deliveries/*")
	sort.Strings(dirs)
	for _, dir := range dirs {
		header := http.Header{}
		for file, name := range map[string]string{"id": "webhook-id", "timestamp": "webhook-timestamp", "signature": "webhook-signature"} {
			if value, err := os.ReadFile(filepath.Join(dir, file)); err == nil {
				header.Set(name, string(value))
			}
		}
		body, _ := os.ReadFile(filepath.Join(dir, "body"))
		verdict := "refused"
		if verifyWebhook(os.Getenv("WEBHOOK_SECRET"), header, body) {
			verdict = "accepted"
		}
		fmt.Println(filepath.Base(dir), verdict)
	}
}
"#,
        ),
        _ => (
            "src/main.rs",
            "",
            r#"
fn main() {
    let secret = std::env::var("WEBHOOK_SECRET").unwrap();
    let mut dirs: Vec<_> = std::fs::read_dir("deliveries").unwrap().map(|entry| entry.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        let mut headers = http::HeaderMap::new();
        for (file, name) in [("id", "webhook-id"), ("timestamp", "webhook-timestamp"), ("signature", "webhook-signature")] {
            if let Ok(value) = std::fs::read_to_string(dir.join(file)) {
                headers.insert(name, value.parse().unwrap());
            }
        }
        let body = std::fs::read(dir.join("body")).unwrap();
        let verdict = if receive(&secret, &headers, &body).is_ok() { "accepted" } else { "refused" };
        println!("{} {verdict}", dir.file_name().unwrap().to_string_lossy());
    }
}
"#,
        ),
    }
}

/// How each language runs its harness, in `dir`.
fn command(title: &str, dir: &Path) -> Command {
    let shell = |script: &str| {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    };
    let mut command = match title {
        "Curl" => shell("sh harness.sh"),
        "PHP" => shell("php harness.php"),
        "Laravel" => {
            let bootstrap = root().join("tests/snippets/laravel-bootstrap.php");
            let mut command = Command::new("php");
            command.arg("-d").arg(format!("auto_prepend_file={}", bootstrap.display())).arg("harness.php");
            command
        }
        "Ruby" => shell("ruby harness.rb"),
        "Java" => shell("javac -d classes Webhooks.java Main.java && java -cp classes Main"),
        "Python" => shell("python3 harness.py"),
        "JavaScript" => shell("node harness.mjs"),
        "Go" => {
            let cache = root().join("target/snippet-go");
            let mut command = Command::new("go");
            command
                .args(["run", "verify.go", "harness.go"])
                .env("GOCACHE", cache.join("cache"))
                .env("GOPATH", cache.join("path"))
                .env("GOPROXY", "off")
                .env("GOTOOLCHAIN", "local")
                .env("GOFLAGS", "");
            command
        }
        _ => {
            let mut command = Command::new(cargo());
            command
                .args(["run", "--quiet", "--manifest-path"])
                .arg(dir.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", root().join("target/snippet-target"));
            command
        }
    };
    command.env("WEBHOOK_SECRET", SECRET);
    command
}

/// Signs fresh deliveries into `dir/deliveries` (just before a run, so
/// the valid ones are within the five minutes the snippets allow).
fn sign_deliveries(dir: &Path) {
    let deliveries = dir.join("deliveries");
    let _ = std::fs::remove_dir_all(&deliveries);
    let output = Command::new("python3")
        .arg("-c")
        .arg(SIGNER)
        .arg(&deliveries)
        .arg(SECRET)
        .arg(OTHER_SECRET)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "the signer failed: {}", String::from_utf8_lossy(&output.stderr));
}

const VERDICTS: &str = "\
from-the-future refused
replayed refused
tampered refused
unsigned refused
v2-only refused
valid accepted
valid-raw-bytes accepted
valid-rotated accepted
wrong-secret refused
";

#[test]
fn every_webhook_snippet_accepts_signed_deliveries_and_refuses_forged_ones() {
    let dir = root().join("tests/cases").join(CASE);
    let text = std::fs::read_to_string(dir.join("spec.yaml")).unwrap();
    let (api, _) = parse(&text, "spec.yaml").unwrap();
    let options = RustOptions { crate_name: Crate::case(CASE).package, ..Default::default() };
    let plan = kanuu_codegen::rust::Plan::new(&api, &options);
    let pages = kanuu_codegen::docs::webhook_page_paths(&api);
    assert!(pages.len() >= 2, "the case has webhooks");

    // What runs is what each page shows; only Rust's differs by page (the
    // variant it reads), so it runs for two pages.
    let mut rust_sources = Vec::new();
    let mut shown: Option<Vec<Snippet>> = None;
    for (index, page) in pages.iter().enumerate() {
        let snippets = snippets::verification(&plan, index);
        let page_text = std::fs::read_to_string(dir.join("expected/docs").join(page)).unwrap();
        let blocks = code_groups(&page_text).remove(0);
        assert_eq!(blocks.len(), snippets.len(), "{page}");
        for (block, snippet) in blocks.iter().zip(&snippets) {
            assert_eq!((block.title.as_str(), &block.code), (snippet.title, &snippet.source), "{page}");
        }
        let rust = snippets.iter().find(|snippet| snippet.title == "Rust").unwrap().source.clone();
        if !rust_sources.contains(&rust) && rust_sources.len() < 2 {
            rust_sources.push(rust);
        }
        let others: Vec<Snippet> = snippets.into_iter().filter(|snippet| snippet.title != "Rust").collect();
        match &shown {
            None => shown = Some(others),
            Some(first) => assert_eq!(first, &others, "{page}: the same check on every page"),
        }
    }
    let mut programs: Vec<(&str, String)> =
        shown.unwrap().into_iter().map(|snippet| (snippet.title, snippet.source)).collect();
    programs.extend(rust_sources.into_iter().map(|source| ("Rust", source)));

    let scratch_dir = scratch("snippets-webhooks");
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for (position, (title, source)) in programs.iter().enumerate() {
        let runtime = runtimes().into_iter().find(|runtime| runtime.title == *title).unwrap();
        let missing = (runtime.missing)().or_else(|| match *title {
            "Curl" => need("openssl", &["version"], "openssl"),
            "Java" => need("javac", &["-version"], "a JDK (17+)"),
            _ => None,
        });
        if let Some(reason) = missing {
            skipped(&format!("[webhooks] {title}: skipped, {reason}"));
            if ci() {
                failures.push(format!("{title}: skipped, {reason} (CI=true: every runtime is required)"));
            }
            continue;
        }
        let language_dir = scratch_dir.join(format!("{}-{position}", title.to_lowercase()));
        let (snippet_file, harness_file, harness) = harness(title);
        std::fs::create_dir_all(language_dir.join("src")).unwrap();
        let _one_at_a_time = RUNS.lock().unwrap_or_else(|e| e.into_inner());
        if *title == "Rust" {
            let dependency = Crate::case(CASE);
            let manifest = format!(
                "[package]\nname = \"snippet\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{} = {{ path = {:?}, features = [\"webhooks\"] }}\nhttp = \"1\"\n\n[workspace]\n",
                dependency.package,
                dependency.path.display().to_string()
            );
            std::fs::write(language_dir.join("Cargo.toml"), manifest).unwrap();
            let _ = std::fs::copy(root().join("Cargo.lock"), language_dir.join("Cargo.lock"));
            std::fs::write(language_dir.join(snippet_file), format!("{source}{harness}")).unwrap();
            // Built before the deliveries are signed: a cold build can take
            // longer than the five minutes a delivery stays fresh.
            let mut build = Command::new(cargo());
            build
                .args(["build", "--quiet", "--manifest-path"])
                .arg(language_dir.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", root().join("target/snippet-target"));
            let output = run(build, &language_dir, Duration::from_secs(1800));
            assert!(output.success, "the Rust snippet builds: {}", output.stderr);
        } else {
            std::fs::write(language_dir.join(snippet_file), source).unwrap();
            std::fs::write(language_dir.join(harness_file), harness).unwrap();
        }
        sign_deliveries(&language_dir);
        let output = run(command(title, &language_dir), &language_dir, Duration::from_secs(600));
        // In name order: a shell's glob sorts by its locale.
        let mut verdicts: Vec<&str> =
            output.stdout.lines().filter(|line| line.ends_with(" accepted") || line.ends_with(" refused")).collect();
        verdicts.sort_unstable();
        let verdicts: String = verdicts.iter().map(|line| format!("{line}\n")).collect();
        if !output.success || verdicts != VERDICTS {
            failures.push(format!(
                "{title} ({}): expected\n{VERDICTS}got\n{verdicts}stderr:\n{}",
                language_dir.display(),
                output.stderr
            ));
            rows.push(format!("{title}: FAILED"));
        } else {
            rows.push(format!("{title}: ok"));
        }
    }
    eprintln!("[webhooks] {}", rows.join(", "));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
