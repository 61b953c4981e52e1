//! The reference page's snippets, run with their real runtimes: against the
//! recording server, with a hostile example value, and against Prism; and
//! the page's skeleton against the docs site's seed page.
//!
//! Runtimes are Debian packages (see `.ci/run`). A missing runtime skips its
//! language with a message; with `CI=true` it fails the test.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kanuu_codegen::docs::snippets::{self, Snippet};
use kanuu_codegen::rust::RustOptions;
use kanuu_codegen::{Options, generate, parse};
use kanuu_tests::{RecordingServer, Reply, root, scratch};
use serde_json::Value;

#[path = "snippets/webhooks.rs"]
mod webhooks;

const SPEC: &str = "spec/kanuu.yaml";
const SERVER: &str = "https://kanuu.io";
const PAGE: &str = "docs/api/create-nonce.md";
const RESPONSE: &str = r#"{"nonce":"d3e2c48bb1fb4badfa27fe9a03924207","url":"https://kanuu.io/manage/acme/d3e2c48bb1fb4badfa27fe9a03924207"}"#;
const NONCE: &str = "d3e2c48bb1fb4badfa27fe9a03924207";
/// Quotes, backslash, every shell/Ruby/JS/printf interpolation form, a
/// newline, a tab, non-ASCII, the VuePress closing tag and a Markdown fence.
const HOSTILE: &str = "' \" \\ $HOME `id` $(id) #{1} ${x} %s\n\té😀 </code-block>\n```\n";
const TITLES: [&str; 9] = ["Curl", "PHP", "Laravel", "Ruby", "Java", "Python", "JavaScript", "Go", "Rust"];
const JAVA_CLASSPATH: &str = "/usr/share/java/unirest-java.jar:/usr/share/java/httpclient.jar:/usr/share/java/httpasyncclient.jar:/usr/share/java/httpcore.jar:/usr/share/java/httpcore-nio.jar:/usr/share/java/commons-logging.jar:/usr/share/java/com.android.json.jar";

/// One snippet run at a time: the machine may have two cores, and the Rust
/// snippet compiles a crate.
static RUNS: Mutex<()> = Mutex::new(());

fn spec_text() -> String {
    std::fs::read_to_string(root().join(SPEC)).unwrap()
}

fn rust_options() -> RustOptions {
    RustOptions { crate_name: "kanuu".to_owned(), spec_label: SPEC.to_owned(), ..RustOptions::default() }
}

/// Says a language was skipped, past the test harness's output capture.
fn skipped(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn file_of(text: &str, path: &str) -> String {
    let generated = generate(text, SPEC, &Options::default()).unwrap();
    generated
        .files
        .into_iter()
        .find(|f| f.path == path)
        .map(|f| f.contents)
        .unwrap_or_else(|| panic!("{path} is generated"))
}

/// The spec with `identifier`'s examples (request and schema) replaced, as
/// JSON: edited as a value, never as text. The JSON comes from the generated
/// openapi.json, which is the document itself.
fn spec_with_identifier(identifier: &str) -> String {
    let mut document: Value = serde_json::from_str(&file_of(&spec_text(), "docs/openapi.json")).unwrap();
    let object = document.as_object_mut().unwrap();
    object.remove("x-generated-by");
    let operation = document.pointer_mut("/paths/~1api~1nonce/post").unwrap().as_object_mut().unwrap();
    operation.remove("x-codeSamples");
    *document
        .pointer_mut("/paths/~1api~1nonce/post/requestBody/content/application~1json/example/identifier")
        .unwrap() = Value::from(identifier);
    *document.pointer_mut("/components/schemas/CreateNonceRequest/properties/identifier/example").unwrap() =
        Value::from(identifier);
    serde_json::to_string_pretty(&document).unwrap()
}

// ---------------------------------------------------------------- the page

/// A `<code-block>` as the page has it.
#[derive(Debug, Clone, PartialEq)]
struct Block {
    title: String,
    active: bool,
    info: String,
    code: String,
}

/// The page's code groups, parsed the way markdown-it and VuePress read
/// them: a fence closes only on a line of at least as many backticks.
fn code_groups(page: &str) -> Vec<Vec<Block>> {
    let mut groups = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if line == "<code-group>" {
            let mut blocks = Vec::new();
            loop {
                let line = lines.next().expect("a code group is closed");
                if line == "</code-group>" {
                    break;
                }
                if line.is_empty() {
                    continue;
                }
                let rest =
                    line.strip_prefix("<code-block title=\"").unwrap_or_else(|| panic!("unexpected line {line:?}"));
                let (title, attributes) = rest.split_once('"').unwrap();
                let active = match attributes {
                    ">" => false,
                    " active>" => true,
                    other => panic!("unexpected attributes {other:?}"),
                };
                let fence_line = lines.next().unwrap();
                let ticks = fence_line.chars().take_while(|&c| c == '`').count();
                assert!(ticks >= 3, "a fence follows <code-block>: {fence_line:?}");
                let mut code = String::new();
                loop {
                    let line = lines.next().expect("the fence is closed");
                    let trimmed = line.trim();
                    if trimmed.len() >= ticks && trimmed.chars().all(|c| c == '`') {
                        break;
                    }
                    code.push_str(line);
                    code.push('\n');
                }
                assert_eq!(lines.next(), Some("</code-block>"));
                blocks.push(Block { title: title.to_owned(), active, info: fence_line[ticks..].to_owned(), code });
            }
            groups.push(blocks);
        }
    }
    groups
}

/// Headings, separators and code-group markup in order, outside code.
fn skeleton(page: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut fence: Option<usize> = None;
    for line in page.lines() {
        let ticks = line.chars().take_while(|&c| c == '`').count();
        if let Some(open) = fence {
            if ticks >= open && line.trim().chars().all(|c| c == '`') {
                fence = None;
            }
            continue;
        }
        if ticks >= 3 {
            fence = Some(ticks);
        } else if line.starts_with('#')
            || line.trim() == "---"
            || line.starts_with("<code-group")
            || line.starts_with("</code-group")
            || line.starts_with("| Attribute")
            || line.starts_with("| - ")
        {
            items.push(line.trim().to_owned());
        }
    }
    items
}

#[test]
fn the_page_has_the_seed_page_s_skeleton() {
    let seed = std::fs::read_to_string(root().join("tests/snippets/seed-create-nonce.md")).unwrap();
    let page = file_of(&spec_text(), PAGE);
    // The marker is in the front matter, so the page's first line is its title.
    let front_matter = "---\n# Generated by kanuu-codegen from spec/kanuu.yaml. Do not edit by hand: edit the spec and regenerate.\n---\n\n";
    let body = page.strip_prefix(front_matter).unwrap_or_else(|| panic!("no front matter marker:\n{page}"));
    assert!(body.starts_with("# Create a nonce\n"), "{page}");
    // The seed left its Response section as `TODO`: the page fills it with
    // a table per answer body, in the Body table's format, before the
    // examples (201, 401 and 422; 402's body is 401's, and says so).
    assert!(seed.split("### Response").nth(1).is_some_and(|response| response.trim_start().starts_with("TODO")));
    let mut expected = skeleton(&seed);
    let response = expected.iter().position(|line| line == "### Response").unwrap() + 1;
    for _ in 0..3 {
        let table = ["| Attribute | Validation | Description |", "| - | - | - |"];
        expected.splice(response..response, table.map(str::to_owned));
    }
    assert_eq!(skeleton(body), expected);
    assert!(page.contains("\n**`402 Payment Required`**: the attributes of `401 Unauthorized`.\n"));
    assert!(page.contains("\n`POST https://kanuu.io/api/nonce`\n"));
    assert!(
        page.contains("\n| `identifier` | `required`<br><br>`string` | A unique identifier of your billable entity.")
    );

    let (seed_groups, groups) = (code_groups(&seed), code_groups(&page));
    assert_eq!(groups.len(), 2, "a request and a response group");
    assert_eq!(seed_groups.len(), 2);
    let shape =
        |blocks: &[Block]| blocks.iter().map(|b| (b.title.clone(), b.active, b.info.clone())).collect::<Vec<_>>();
    assert_eq!(shape(&groups[0])[..5], shape(&seed_groups[0])[..], "the seed's five languages first, in its order");
    let titles: Vec<&str> = groups[0].iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles, TITLES);
    assert_eq!(groups[0].iter().filter(|b| b.active).count(), 1);

    let responses: Vec<&str> = groups[1].iter().map(|b| b.title.as_str()).collect();
    assert_eq!(responses, ["201 Created", "401 Unauthorized", "402 Payment Required", "422 Unprocessable Entity"]);
    let mut seed_titles = seed_groups[1].iter().map(|b| b.title.as_str());
    assert!(seed_titles.all(|t| responses.contains(&t)), "the seed's response blocks are there");
    assert!(groups[1][0].active && groups[1][1..].iter().all(|b| !b.active));
    let created: Value = serde_json::from_str(&groups[1][0].code).unwrap();
    assert_eq!(created, serde_json::from_str::<Value>(RESPONSE).unwrap());
}

#[test]
fn openapi_json_carries_the_snippets() {
    let text = file_of(&spec_text(), "docs/openapi.json");
    let document: Value = serde_json::from_str(&text).unwrap();
    assert!(document["x-generated-by"].as_str().unwrap().contains("spec/kanuu.yaml"));
    let samples = document.pointer("/paths/~1api~1nonce/post/x-codeSamples").unwrap().as_array().unwrap();
    let labels: Vec<&str> = samples.iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(labels, TITLES);
    let page = code_groups(&file_of(&spec_text(), PAGE));
    for (sample, block) in samples.iter().zip(&page[0]) {
        assert_eq!(sample["source"].as_str().unwrap(), block.code);
    }
}

// ---------------------------------------------------------------- running

/// How to run one language's snippet.
struct Runtime {
    title: &'static str,
    file: &'static str,
    /// Why the runtime can't run here, if it can't.
    missing: fn() -> Option<String>,
    command: fn(&Path) -> Command,
}

fn has(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn need(program: &str, args: &[&str], package: &str) -> Option<String> {
    (!has(program, args)).then(|| format!("`{program} {}` failed: install {package}", args.join(" ")))
}

fn need_file(path: &str, package: &str) -> Option<String> {
    (!Path::new(path).exists()).then(|| format!("{path} is missing: install {package}"))
}

fn runtimes() -> Vec<Runtime> {
    vec![
        Runtime {
            title: "Curl",
            file: "snippet.sh",
            missing: || {
                need("curl", &["--version"], "curl")
                    .or_else(|| need("sh", &["-c", "true"], "a POSIX shell"))
                    .or_else(|| need("jq", &["--version"], "jq"))
            },
            command: |file| {
                let mut c = Command::new("sh");
                c.arg(file);
                c
            },
        },
        Runtime {
            title: "PHP",
            file: "snippet.php",
            missing: || {
                need("php", &["--version"], "php-cli").or_else(|| {
                    need("php", &["-r", "exit(class_exists('http\\Client') ? 0 : 1);"], "php-http php-raphf")
                })
            },
            command: |file| {
                let mut c = Command::new("php");
                c.arg(file);
                c
            },
        },
        Runtime {
            title: "Laravel",
            file: "snippet.php",
            missing: || {
                need("php", &["--version"], "php-cli")
                    .or_else(|| need_file("/usr/share/php/Illuminate/autoload.php", "php-laravel-framework"))
                    .or_else(|| need_file("/usr/share/php/GuzzleHttp/autoload.php", "php-guzzlehttp-guzzle"))
            },
            command: |file| {
                let bootstrap = root().join("tests/snippets/laravel-bootstrap.php");
                let mut c = Command::new("php");
                c.arg("-d").arg(format!("auto_prepend_file={}", bootstrap.display())).arg(file);
                c
            },
        },
        Runtime {
            title: "Ruby",
            file: "snippet.rb",
            missing: || need("ruby", &["--version"], "ruby"),
            command: |file| {
                let mut c = Command::new("ruby");
                c.arg(file);
                c
            },
        },
        Runtime {
            title: "Java",
            file: "Main.java",
            missing: || {
                need("java", &["-version"], "a JDK (17+)").or_else(|| {
                    JAVA_CLASSPATH
                        .split(':')
                        .find_map(|jar| need_file(jar, "libunirest-java-java (and libandroid-json-java)"))
                })
            },
            command: |file| {
                let mut c = Command::new("java");
                c.arg("-cp").arg(JAVA_CLASSPATH).arg(file);
                c
            },
        },
        Runtime {
            title: "Python",
            file: "snippet.py",
            missing: || need("python3", &["-c", "import requests"], "python3-requests"),
            command: |file| {
                let mut c = Command::new("python3");
                c.arg(file);
                c
            },
        },
        Runtime {
            title: "JavaScript",
            file: "snippet.mjs",
            missing: || {
                need("node", &["-e", "process.exit(typeof fetch === 'function' ? 0 : 1)"], "nodejs (18+, for fetch)")
            },
            command: |file| {
                let mut c = Command::new("node");
                c.arg(file);
                c
            },
        },
        Runtime {
            title: "Go",
            file: "main.go",
            missing: || need("go", &["version"], "golang-go"),
            command: |file| {
                let cache = root().join("target/snippet-go");
                let mut c = Command::new("go");
                c.arg("run")
                    .arg(file)
                    .env("GOCACHE", cache.join("cache"))
                    .env("GOPATH", cache.join("path"))
                    .env("GOPROXY", "off")
                    .env("GOTOOLCHAIN", "local")
                    .env("GOFLAGS", "");
                c
            },
        },
        Runtime {
            title: "Rust",
            file: "src/main.rs",
            missing: || need(&cargo(), &["--version"], "cargo"),
            command: |file| {
                // file is <project>/src/main.rs
                let project = file.parent().and_then(Path::parent).unwrap();
                let mut c = Command::new(cargo());
                c.arg("run")
                    .arg("--quiet")
                    .arg("--manifest-path")
                    .arg(project.join("Cargo.toml"))
                    .env("CARGO_TARGET_DIR", root().join("target/snippet-target"));
                c
            },
        },
    ]
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Writes the snippet where its runtime expects it; returns the file.
fn write_snippet(dir: &Path, runtime: &Runtime, source: &str) -> PathBuf {
    write_snippet_for(dir, runtime, source, &Crate::kanuu())
}

/// The generated crate a Rust snippet uses.
struct Crate {
    package: String,
    path: PathBuf,
}

impl Crate {
    fn kanuu() -> Self {
        Crate { package: "kanuu".to_owned(), path: root().join("generated/rust") }
    }

    /// A case's crate, by the package name its manifest gives.
    fn case(case: &str) -> Self {
        let path = root().join("tests/cases").join(case).join("expected/rust");
        let manifest = std::fs::read_to_string(path.join("Cargo.toml")).unwrap();
        let package = manifest
            .lines()
            .find_map(|line| line.strip_prefix("name = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap()
            .to_owned();
        Crate { package, path }
    }
}

/// [`write_snippet`] with a Rust snippet using `dependency` (and, as users
/// of a paged list's `items()` do, futures).
fn write_snippet_for(dir: &Path, runtime: &Runtime, source: &str, dependency: &Crate) -> PathBuf {
    let file = dir.join(runtime.file);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    if runtime.title == "Rust" {
        let manifest = format!(
            "[package]\nname = \"snippet\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{} = {{ path = {:?} }}\nfutures = \"0.3\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"fs\"] }}\n\n[workspace]\n",
            dependency.package,
            dependency.path.display().to_string()
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        // The workspace's lock file: the same versions, no resolution.
        let _ = std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"));
    }
    std::fs::write(&file, source).unwrap();
    file
}

struct Output {
    success: bool,
    stdout: String,
    stderr: String,
}

fn run(mut command: Command, dir: &Path, timeout: Duration) -> Output {
    let stdout_path = dir.join("stdout.txt");
    let stderr_path = dir.join("stderr.txt");
    let mut child: Child = command
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |path: &Path| {
        let mut text = String::new();
        let _ = std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text));
        text
    };
    let mut stderr = read(&stderr_path);
    if status.is_none() {
        stderr.push_str(&format!("\n(killed after {timeout:?})"));
    }
    Output { success: status.is_some_and(|s| s.success()), stdout: read(&stdout_path), stderr }
}

/// What a run is checked against.
struct Expect<'a> {
    body: &'a Value,
    /// Text the snippet must print (the response, or for Rust the nonce).
    printed: &'a str,
}

/// Renders every snippet pointed at `base_url`, runs each, and returns
/// (title, outcome) rows and the failures.
fn run_all(
    name: &str,
    text: &str,
    base_url: &str,
    check: &dyn Fn(&Runtime, &Output) -> Vec<String>,
) -> (Vec<(String, String)>, Vec<String>) {
    let (api, _) = parse(text, SPEC).unwrap();
    let options = rust_options();
    let on_page: Vec<Snippet> = snippets::render(&api, &options, 0, None).unwrap();
    let pointed: Vec<Snippet> = snippets::render(&api, &options, 0, Some(base_url)).unwrap();

    // What runs is what the page shows, with only the server swapped.
    let page_blocks = code_groups(&file_of(text, PAGE)).remove(0);
    assert_eq!(page_blocks.len(), on_page.len());
    for (block, snippet) in page_blocks.iter().zip(&on_page) {
        assert_eq!(block.title, snippet.title);
        assert_eq!(block.code, snippet.source, "{} on the page", snippet.title);
        assert!(!block.code.contains("</"), "{}: `</` is escaped in the code", snippet.title);
    }
    for (page, pointed) in on_page.iter().zip(&pointed) {
        if page.title != "Rust" {
            assert_eq!(
                page.source.replace(SERVER, base_url),
                pointed.source,
                "{}: only the server differs",
                page.title
            );
        }
    }

    let dir = scratch(&format!("snippets-{name}"));
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for runtime in runtimes() {
        let Some(snippet) = pointed.iter().find(|s| s.title == runtime.title) else {
            failures.push(format!("{}: no snippet", runtime.title));
            continue;
        };
        if let Some(reason) = (runtime.missing)() {
            let message = format!("{}: skipped, {reason}", runtime.title);
            skipped(&format!("[{name}] {message}"));
            if ci() {
                failures.push(format!("{message} (CI=true: every runtime is required)"));
            }
            rows.push((runtime.title.to_owned(), "skipped".to_owned()));
            continue;
        }
        let language_dir = dir.join(runtime.title.to_lowercase());
        let file = write_snippet(&language_dir, &runtime, &snippet.source);
        let timeout = Duration::from_secs(if runtime.title == "Rust" { 1800 } else { 120 });
        let output = {
            let _one_at_a_time = RUNS.lock().unwrap_or_else(|e| e.into_inner());
            run((runtime.command)(&file), &language_dir, timeout)
        };
        let mut problems = Vec::new();
        if !output.success {
            problems.push(format!("exited with failure; stderr:\n{}", output.stderr));
        }
        problems.extend(check(&runtime, &output));
        rows.push((runtime.title.to_owned(), if problems.is_empty() { "ok".to_owned() } else { "FAILED".to_owned() }));
        for problem in problems {
            failures.push(format!("{} ({}): {problem}", runtime.title, file.display()));
        }
    }
    eprintln!("[{name}] {}", rows.iter().map(|(t, o)| format!("{t}: {o}")).collect::<Vec<_>>().join(", "));
    (rows, failures)
}

/// The checks on what the recording server received from one snippet.
fn check_recorded(
    server: &RecordingServer,
    seen: &Mutex<usize>,
    runtime: &Runtime,
    output: &Output,
    expect: &Expect,
) -> Vec<String> {
    let mut problems = Vec::new();
    let requests = server.requests();
    let mut seen = seen.lock().unwrap();
    let new = &requests[*seen..];
    *seen = requests.len();
    let [request] = new else {
        return vec![format!("the server got {} requests, not 1", new.len())];
    };
    let mut expect_eq = |what: &str, got: Option<&str>, want: &str| {
        if got != Some(want) {
            problems.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    };
    expect_eq("method", Some(&request.method), "POST");
    expect_eq("path", Some(&request.target), "/api/nonce");
    expect_eq("authorization", request.header("authorization"), "Bearer <YOUR_API_KEY>");
    let content_type = request.header("content-type").map(|v| v.split(';').next().unwrap_or("").trim());
    expect_eq("content-type", content_type, "application/json");
    if runtime.title != "Rust" {
        expect_eq("accept", request.header("accept"), "application/json");
    }
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(body) if &body == expect.body => {}
        Ok(body) => problems.push(format!("body: got {body}, want {}", expect.body)),
        Err(e) => problems.push(format!("body is not JSON ({e}): {:?}", String::from_utf8_lossy(&request.body))),
    }
    if !output.stdout.contains(expect.printed) {
        problems.push(format!("stdout does not contain {:?}: {:?}", expect.printed, output.stdout));
    }
    problems
}

#[test]
fn every_snippet_sends_the_documented_request() {
    let text = spec_text();
    let (api, _) = parse(&text, SPEC).unwrap();
    let body = api.operations[0].body.as_ref().and_then(|b| b.example.clone()).unwrap();
    assert_eq!(body, serde_json::json!({"identifier": "42"}));
    let server = RecordingServer::start(vec![Reply::json(201, RESPONSE)]).unwrap();
    let seen = Mutex::new(0);
    let (_, failures) = run_all("recording", &text, &server.url(), &|runtime, output| {
        let printed = if runtime.title == "Rust" { NONCE } else { RESPONSE };
        check_recorded(&server, &seen, runtime, output, &Expect { body: &body, printed })
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_hostile_example_arrives_byte_for_byte_and_runs_nothing() {
    let text = spec_with_identifier(HOSTILE);
    // The page stays well formed: nine blocks, each exactly the snippet.
    let page = file_of(&text, PAGE);
    let groups = code_groups(&page);
    assert_eq!(groups.len(), 2, "{page}");
    assert_eq!(groups[0].iter().map(|b| b.title.as_str()).collect::<Vec<_>>(), TITLES);
    assert!(page.contains("\n````sh\n"), "the fences are longer than the value's ```");

    let body = serde_json::json!({ "identifier": HOSTILE });
    let server = RecordingServer::start(vec![Reply::json(201, RESPONSE)]).unwrap();
    let seen = Mutex::new(0);
    let (_, failures) = run_all("hostile", &text, &server.url(), &|runtime, output| {
        let printed = if runtime.title == "Rust" { NONCE } else { RESPONSE };
        let mut problems = check_recorded(&server, &seen, runtime, output, &Expect { body: &body, printed });
        // Had `id` or $(id) run, its output (uid=…) would be in the body or
        // on the terminal; the exact-body check above already rules it out.
        if output.stdout.contains("uid=") || output.stderr.contains("uid=") {
            problems.push("the output shows `id` ran".to_owned());
        }
        problems
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------- literals

/// More traps than the hostile value: CR LF and a lone CR (Ruby turns a raw
/// CR LF into LF), controls, DEL, U+2028/2029 and a BOM (Go rejects a raw
/// one), PHP's `?>`, Java's `\u` pre-lexing, Ruby's `#$x`/`__END__`, printf
/// formats, closing tags and a trailing backslash.
const TRAPS: &str = "\r\nCRLF, lone\rCR, \u{1}\u{4}\u{1a}\u{1b}\u{7f}, \u{2028}\u{2029}\u{feff}, ?> <?php */ /* \\u0022 \\u000a \\u005c \\x41 \\n \\' #$x #@y {$x} %d %%\n__END__\n=begin\n<<EOF\n</code-block></script>\\";

/// How many random strings each language's literal function is checked on
/// (`LITERAL_CASES=2000 cargo test --test snippets literal` for a longer run).
fn literal_cases() -> usize {
    std::env::var("LITERAL_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
}

/// Random strings built from the characters that break quoting in some
/// language, plus any Unicode scalar: a property check with a fixed seed,
/// so a failure reproduces.
fn random_strings(count: usize, seed: u64, nul: bool) -> Vec<String> {
    const PIECES: &[&str] = &[
        "'", "\"", "\\", "$", "`", "#", "{", "}", "(", ")", "%", "%s", "\n", "\r", "\r\n", "\t", "<", "/", "</", "?>",
        "\\u0022", "\\x41", "${x}", "#{1}", "$(id)", "@", "*/", "\u{7f}", "\u{1b}", "\u{2028}", "\u{feff}", "é", "😀",
        " ", "a", "Z", "0",
    ];
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64: deterministic, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let length = (next() % 24) as usize;
            (0..length)
                .map(|_| {
                    let roll = next();
                    if roll % 8 == 0 {
                        // Any scalar value, but no NUL where it can't be sent.
                        let c = char::from_u32((roll >> 8) as u32 % 0x11_0000).unwrap_or('?');
                        if c == '\0' && !nul { "?".to_owned() } else { c.to_string() }
                    } else {
                        PIECES[(roll >> 8) as usize % PIECES.len()].to_owned()
                    }
                })
                .collect()
        })
        .collect()
}

/// A program printing `literals` one after the other, byte for byte.
fn printing_program(title: &str, literals: &[String]) -> Option<String> {
    let each = |f: &dyn Fn(&String) -> String| literals.iter().map(f).collect::<String>();
    Some(match title {
        "Curl" => format!("printf '%s' {}\n", literals.join(" ")),
        "PHP" => format!("<?php\n{}", each(&|l| format!("echo {l};\n"))),
        "Ruby" => each(&|l| format!("$stdout.write({l})\n")),
        "Java" => format!(
            "public class Main {{\n    public static void main(String[] args) throws Exception {{\n{}        System.out.flush();\n    }}\n}}\n",
            each(&|l| format!("        System.out.write(({l}).getBytes(java.nio.charset.StandardCharsets.UTF_8));\n"))
        ),
        "Python" => format!("import sys\n{}", each(&|l| format!("sys.stdout.buffer.write(({l}).encode(\"utf-8\"))\n"))),
        "JavaScript" => each(&|l| format!("process.stdout.write(Buffer.from({l}, \"utf8\"));\n")),
        "Go" => format!(
            "package main\n\nimport \"os\"\n\nfunc main() {{\n{}}}\n",
            each(&|l| format!("\tos.Stdout.WriteString({l})\n"))
        ),
        "Rust" => format!(
            "use std::io::Write;\n\nfn main() {{\n    let mut out = std::io::stdout();\n{}}}\n",
            each(&|l| format!("    out.write_all({l}.as_bytes()).unwrap();\n"))
        ),
        _ => return None,
    })
}

/// Every language's `literal` gives back exactly the string, run by the
/// real interpreter or compiler, never contains `</`, and holds no control
/// character but a newline or a tab: the page's Markdown would turn a CR
/// into a line break and show others as nothing, so a reader copying the
/// snippet would send something else.
#[test]
fn every_literal_round_trips_through_its_language() {
    let dir = scratch("snippets-literals");
    let mut failures = Vec::new();
    for language in snippets::LANGUAGES {
        let mut values = vec![HOSTILE.to_owned(), format!("{HOSTILE}{TRAPS}"), "</".to_owned(), String::new()];
        // A command-line argument can't hold NUL.
        let nul = language.title != "Curl";
        if nul {
            values.push(format!("a\0b{TRAPS}"));
        }
        values.extend(random_strings(literal_cases(), 0x6b61_6e75_7500 + language.title.len() as u64, nul));
        let literals: Vec<String> = values.iter().map(|v| (language.literal)(v)).collect();
        for literal in &literals {
            if literal.contains("</") {
                failures.push(format!("{}: `</` in {literal}", language.title));
            }
            if literal.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                failures.push(format!("{}: a control character in {literal:?}", language.title));
            }
        }
        let Some(program) = printing_program(language.title, &literals) else { continue };
        let runtime = runtimes().into_iter().find(|r| r.title == language.title).unwrap();
        let missing =
            if language.title == "Rust" { need(&rustc(), &["--version"], "rustc") } else { (runtime.missing)() };
        if let Some(reason) = missing {
            skipped(&format!("[literals] {}: skipped, {reason}", language.title));
            if ci() {
                failures.push(format!("{}: skipped, {reason} (CI=true: every runtime is required)", language.title));
            }
            continue;
        }
        let language_dir = dir.join(language.title.to_lowercase());
        let output = if language.title == "Rust" {
            std::fs::create_dir_all(&language_dir).unwrap();
            std::fs::write(language_dir.join("main.rs"), &program).unwrap();
            let mut compile = Command::new(rustc());
            compile.args(["--edition", "2021", "-o", "printer", "main.rs"]);
            let compiled = run(compile, &language_dir, Duration::from_secs(300));
            if compiled.success {
                run(Command::new(language_dir.join("printer")), &language_dir, Duration::from_secs(60))
            } else {
                compiled
            }
        } else {
            let file = write_snippet(&language_dir, &runtime, &program);
            let _one_at_a_time = RUNS.lock().unwrap_or_else(|e| e.into_inner());
            run((runtime.command)(&file), &language_dir, Duration::from_secs(120))
        };
        let expected: String = values.concat();
        if !output.success || output.stdout != expected {
            failures.push(format!(
                "{}: printed {:?}\nexpected {:?}\nstderr: {}",
                language.title, output.stdout, expected, output.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn rustc() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned())
}

// ---------------------------------------------------------------- Prism

struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn prism_answers_every_snippet_with_201() {
    let prism = root().join("node_modules/.bin/prism");
    if !prism.exists() || !has("node", &["--version"]) {
        let message = "Prism: skipped, node_modules/.bin/prism is missing: run `npm ci` in the repository root";
        skipped(message);
        assert!(!ci(), "{message} (CI=true: Prism is required)");
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = scratch("snippets-prism-server");
    let log = dir.join("prism.log");
    let child = Command::new(&prism)
        .args(["mock", SPEC, "-h", "127.0.0.1", "-p", &port.to_string()])
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _prism = Prism(child);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "Prism did not start: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let url = format!("http://127.0.0.1:{port}");
    // Prism validates each request against the spec; it answers the 201
    // example only to a valid one (401/422 and an sl-violations header otherwise).
    let (_, mut failures) = run_all("prism", &spec_text(), &url, &|_runtime, output| {
        if output.stdout.contains(NONCE) {
            Vec::new()
        } else {
            vec![format!("no 201 example in the output: {:?} {:?}", output.stdout, output.stderr)]
        }
    });
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    if log_text.contains("Violation") || log_text.contains('✖') {
        failures.push(format!("Prism reported violations:\n{log_text}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------- multipart

/// A multipart body is full of CRs, which a page can't show as they are:
/// every snippet of the multipart case, as its page shows it, sends the
/// body byte for byte. (Rust is left out: its snippet uses the case's
/// crate, which `tests/encodings.rs` runs on the wire.)
#[test]
fn every_snippet_sends_a_multipart_body_byte_for_byte() {
    let label = "tests/cases/multipart-bodies/spec.yaml";
    let text = std::fs::read_to_string(root().join(label)).unwrap();
    let (api, _) = parse(&text, label).unwrap();
    let options = RustOptions {
        crate_name: "multipart-bodies".to_owned(),
        spec_label: label.to_owned(),
        ..RustOptions::default()
    };
    let plan = kanuu_codegen::rust::Plan::new(&api, &options);
    let server = RecordingServer::start(vec![Reply::json(204, "")]).unwrap();
    let url = server.url();
    let body = snippets::Request::new(&plan, 0, Some(&url)).unwrap().body_text().unwrap();
    assert!(body.contains("\r\n"), "{body:?}");
    let pointed = snippets::render_with(&plan, 0, Some(&url)).unwrap();

    // What runs is what the page shows, with only the server swapped.
    let page = std::fs::read_to_string(root().join("tests/cases/multipart-bodies/expected/docs/api/upload-file.md"));
    let blocks = code_groups(&page.unwrap()).remove(0);
    let dir = scratch("snippets-multipart");
    let mut failures = Vec::new();
    for runtime in runtimes().into_iter().filter(|r| r.title != "Rust") {
        let snippet = pointed.iter().find(|s| s.title == runtime.title).unwrap();
        let block = blocks.iter().find(|b| b.title == runtime.title).unwrap();
        assert_eq!(block.code.replace("https://uploads.example/api/", &format!("{url}/")), snippet.source);
        assert!(!block.code.contains('\r'), "{}: a raw CR on the page", runtime.title);
        if let Some(reason) = (runtime.missing)() {
            skipped(&format!("[multipart] {}: skipped, {reason}", runtime.title));
            if ci() {
                failures.push(format!("{}: skipped, {reason} (CI=true: every runtime is required)", runtime.title));
            }
            continue;
        }
        let language_dir = dir.join(runtime.title.to_lowercase());
        let file = write_snippet(&language_dir, &runtime, &snippet.source);
        let before = server.requests().len();
        let output = {
            let _one_at_a_time = RUNS.lock().unwrap_or_else(|e| e.into_inner());
            run((runtime.command)(&file), &language_dir, Duration::from_secs(120))
        };
        let requests = server.requests();
        match &requests[before..] {
            [sent] if sent.body == body.as_bytes() => {}
            [sent] => failures.push(format!(
                "{}: body {:?}, want {body:?}",
                runtime.title,
                String::from_utf8_lossy(&sent.body)
            )),
            other => failures.push(format!("{}: {} requests; stderr: {}", runtime.title, other.len(), output.stderr)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------- cases

/// Runs a case's snippet in `runtime` (in a folder of `dir` named after
/// it), the Rust one with the case's crate; returns its file and what it
/// did, or `None` when the runtime is missing (a failure with `CI=true`).
fn run_case_snippet(
    test: &str,
    runtime: &Runtime,
    dir: &Path,
    source: &str,
    dependency: &Crate,
    failures: &mut Vec<String>,
) -> Option<(PathBuf, Output)> {
    if let Some(reason) = (runtime.missing)() {
        skipped(&format!("[{test}] {}: skipped, {reason}", runtime.title));
        if ci() {
            failures.push(format!("{}: skipped, {reason} (CI=true: every runtime is required)", runtime.title));
        }
        return None;
    }
    let language_dir = dir.join(runtime.title.to_lowercase());
    let file = write_snippet_for(&language_dir, runtime, source, dependency);
    let timeout = Duration::from_secs(if runtime.title == "Rust" { 1800 } else { 120 });
    let _one_at_a_time = RUNS.lock().unwrap_or_else(|e| e.into_inner());
    let output = run((runtime.command)(&file), &language_dir, timeout);
    Some((file, output))
}

// ---------------------------------------------------------------- paging

/// The cases whose lists page, one per way of declaring it.
const PAGING_CASES: [&str; 5] =
    ["paging-link-header", "paging-speakeasy", "paging-fern", "paging-ms-pageable", "paging-dropshot"];

/// The path and the percent-decoded query pairs of a request target.
fn split_target(target: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let decode = |text: &str| {
        let bytes = text.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut index = 0;
        while index < bytes.len() {
            let hex = bytes.get(index + 1..index + 3).and_then(|h| std::str::from_utf8(h).ok());
            match (bytes[index], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'%', Some(byte)) => {
                    out.push(byte);
                    index += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    index += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    };
    let pairs = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect();
    (path.to_owned(), pairs)
}

/// The text that shows item `index` of a list in any language's printing
/// of it: its number, which [`list_item`] puts in each integer and string
/// field.
fn marker(index: usize) -> String {
    (1001 + index).to_string()
}

/// Item `index` of a list of `ty`: the type's example with its marker in
/// each top-level integer and plain string.
fn list_item(api: &kanuu_codegen::ir::Api, ty: &kanuu_codegen::ir::TypeRef, index: usize) -> Value {
    use kanuu_codegen::ir::{StringFormat, TypeKind, TypeRef};
    let marked = |ty: &TypeRef| match ty.resolved(&api.types) {
        TypeRef::Integer(_) => Some(Value::from(1001 + index)),
        TypeRef::String(StringFormat::Plain) => Some(Value::from(format!("item-{}", marker(index)))),
        _ => None,
    };
    if let Some(value) = marked(ty) {
        return value;
    }
    let mut example = api.example_of(ty);
    if let (TypeRef::Named(named), Value::Object(fields)) = (ty.resolved(&api.types), &mut example)
        && let TypeKind::Object(object) = &api.types[*named].kind
    {
        for field in &object.fields {
            if let Some(value) = marked(&field.ty) {
                fields.insert(field.name.clone(), value);
            }
        }
    }
    example
}

/// Sets (or, with `None`, removes) the value at a path of properties,
/// making the objects on the way.
fn set_at(body: &mut Value, path: &[String], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut place = body;
    for name in parents {
        if !place[name.as_str()].is_object() {
            place[name.as_str()] = Value::Object(Default::default());
        }
        place = &mut place[name.as_str()];
    }
    let object = place.as_object_mut().unwrap();
    match value {
        Some(value) => object.insert(last.clone(), value),
        None => object.remove(last),
    };
}

/// How many items a page of the list holds for this request: the limit
/// parameter sent, else its documented default, else 2; the list has
/// two pages and a short one.
fn page_size(paging: &kanuu_codegen::ir::Paging, query: &[(String, String)]) -> usize {
    let (limit, default) = match &paging.limit {
        Some((name, default)) => (query.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.parse().ok()), *default),
        None => (None, None),
    };
    limit.or(default.map(|d| d as usize)).unwrap_or(2).max(1)
}

/// A server of one paged list: it reads where the request starts from
/// the parameter the document's paging declares (and, for a next link it
/// makes, from its own `at` parameter), and answers that page with the
/// next page named as declared.
fn paging_answer(api: &kanuu_codegen::ir::Api, operation: usize, request: &kanuu_tests::Recorded) -> Reply {
    use kanuu_codegen::ir::{NextPage, PathStep};
    let op = &api.operations[operation];
    let paging = op.paging.as_ref().unwrap();
    let (path, query) = split_target(&request.target);
    let get = |name: &str| query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let size = page_size(paging, &query);
    let items: Vec<Value> = (0..2 * size + 1).map(|index| list_item(api, &paging.item, index)).collect();
    let through_items = |from: &[PathStep]| {
        from.len() > paging.items.len()
            && from.iter().zip(&paging.items).all(|(step, name)| matches!(step, PathStep::Property(p) if p == name))
    };
    // A cursor from an item: the text at the path after `[-1]`.
    let item_cursor = |item: &Value, from: &[PathStep]| {
        let mut value = item;
        for step in &from[paging.items.len() + 1..] {
            if let PathStep::Property(name) = step {
                value = &value[name.as_str()];
            }
        }
        value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string())
    };
    let number = |name: &str| get(name).and_then(|v| v.parse::<i64>().ok());
    let start = match &paging.next {
        NextPage::LinkHeader | NextPage::Url(_) => number("at").unwrap_or(0) as usize,
        NextPage::Cursor { param, from, .. } => match get(param) {
            None => 0,
            Some(cursor) if through_items(from) => {
                items.iter().position(|item| item_cursor(item, from) == cursor).map_or(items.len(), |i| i + 1)
            }
            // Opaque, and in need of percent-encoding.
            Some(cursor) => cursor.strip_prefix("c/").and_then(|c| c.strip_suffix("+=")).unwrap().parse().unwrap(),
        },
        NextPage::Offset { param } => number(param).unwrap_or(0) as usize,
        NextPage::PageNumber { param, first } => ((number(param).unwrap_or(*first) - first) as usize) * size,
    };
    let end = (start + size).min(items.len());
    let page = items[start.min(end)..end].to_vec();
    let more = end < items.len();
    let host = request.header("host").unwrap();
    let others: Vec<String> = query
        .iter()
        .filter(|(name, _)| name != "at")
        .map(|(n, v)| format!("{}={}", snippets::percent_encode(n), snippets::percent_encode(v)))
        .collect();
    let next_url =
        format!("http://{host}{path}?{}at={end}", others.iter().map(|pair| format!("{pair}&")).collect::<String>());

    let mut body = if paging.items.is_empty() {
        Value::Array(page)
    } else {
        let ty = op.responses.iter().filter(|r| r.status.is_success()).find_map(|r| r.body.as_ref()).unwrap();
        let mut body = api.example_of(&ty.ty);
        set_at(&mut body, &paging.items, Some(Value::Array(page)));
        body
    };
    let properties = |path: &[PathStep]| -> Vec<String> {
        path.iter()
            .map(|step| match step {
                PathStep::Property(name) => name.clone(),
                PathStep::Last => unreachable!("a cursor through the items is read from them"),
            })
            .collect()
    };
    let mut headers = Vec::new();
    match &paging.next {
        NextPage::LinkHeader if more => {
            headers
                .push(("Link".to_owned(), format!("<{next_url}>; rel=\"next\", <http://{host}{path}>; rel=\"first\"")));
        }
        NextPage::Url(at) => set_at(&mut body, &properties(at), more.then(|| Value::from(next_url))),
        NextPage::Cursor { from, .. } if !through_items(from) => {
            set_at(&mut body, &properties(from), more.then(|| Value::from(format!("c/{end}+="))));
        }
        _ => {}
    }
    Reply::Status { status: 200, content_type: "application/json", body: body.to_string(), headers }
}

/// Every paged list of every paging case, read to its end by each
/// language's snippet against a server that pages as the case declares:
/// each prints every item, in order, once.
#[test]
fn every_snippet_reads_every_page_of_a_list() {
    let mut failures = Vec::new();
    let mut lists = 0;
    for case in PAGING_CASES {
        let label = format!("tests/cases/{case}/spec.yaml");
        let text = std::fs::read_to_string(root().join(&label)).unwrap();
        let (api, _) = parse(&text, &label).unwrap();
        let dependency = Crate::case(case);
        let options =
            RustOptions { crate_name: dependency.package.clone(), spec_label: label.clone(), ..RustOptions::default() };
        let plan = kanuu_codegen::rust::Plan::new(&api, &options);
        let server_url = api.default_server().unwrap().trim_end_matches('/').to_owned();
        for operation in 0..api.operations.len() {
            if snippets::Request::new(&plan, operation, None).unwrap().pager.is_none() {
                continue;
            }
            lists += 1;
            let api_for_server = api.clone();
            let server =
                RecordingServer::answering(move |request| paging_answer(&api_for_server, operation, request)).unwrap();
            let url = server.url();
            let on_page = snippets::render_with(&plan, operation, None).unwrap();
            let pointed = snippets::render_with(&plan, operation, Some(&url)).unwrap();
            let name = format!("{case}-{}", api.operations[operation].name);
            let dir = scratch(&format!("snippets-paging/{name}"));
            for runtime in runtimes() {
                let snippet = pointed.iter().find(|s| s.title == runtime.title).unwrap();
                let shown = on_page.iter().find(|s| s.title == runtime.title).unwrap();
                if runtime.title != "Rust" {
                    assert_eq!(shown.source.replace(&server_url, &url), snippet.source, "{name} {}", runtime.title);
                }
                let before = server.requests().len();
                let Some((file, output)) =
                    run_case_snippet("paging", &runtime, &dir, &snippet.source, &dependency, &mut failures)
                else {
                    continue;
                };
                let requests = server.requests();
                let Some(first) = requests.get(before) else {
                    failures.push(format!("{name} {}: no request; stderr: {}", runtime.title, output.stderr));
                    continue;
                };
                let op = &api.operations[operation];
                let paging = op.paging.as_ref().unwrap();
                let count = 2 * page_size(paging, &split_target(&first.target).1) + 1;
                // A next link after a `POST` is fetched with `GET` and no body.
                let later_get = op.method != kanuu_codegen::ir::Method::Get
                    && matches!(
                        paging.next,
                        kanuu_codegen::ir::NextPage::LinkHeader | kanuu_codegen::ir::NextPage::Url(_)
                    );
                for (index, sent) in requests[before..].iter().enumerate() {
                    let want = if index > 0 && later_get { "GET" } else { op.method.as_str() };
                    let body_wanted = !(index > 0 && later_get) && op.body.is_some();
                    if sent.method != want || sent.body.is_empty() == body_wanted {
                        failures.push(format!(
                            "{name} {}: request {index} was {} with {} bytes of body, want {want} {}",
                            runtime.title,
                            sent.method,
                            sent.body.len(),
                            if body_wanted { "with a body" } else { "without one" }
                        ));
                    }
                }
                let printed: Vec<&str> = output.stdout.lines().filter(|line| !line.trim().is_empty()).collect();
                let in_order = printed.len() == count
                    && printed.iter().enumerate().all(|(index, line)| line.contains(&marker(index)));
                if !output.success || !in_order {
                    let targets: Vec<&str> = requests[before..].iter().map(|r| r.target.as_str()).collect();
                    failures.push(format!(
                        "{name} {} ({}): want {count} items in order, printed {}:\n{}\nrequests: {targets:?}\nstderr: {}",
                        runtime.title,
                        file.display(),
                        printed.len(),
                        output.stdout,
                        output.stderr
                    ));
                }
            }
        }
    }
    assert!(lists >= 12, "every case's paged lists are read: {lists}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------- methods

/// OpenAPI 3.2's `query` method (with a JSON body) and an
/// `additionalOperations` method (`LINK`) arrive as written from every
/// language's snippet. Java is left out: Unirest 1.x sends only the
/// standard methods, and its snippet says so (pointing at the Curl one).
#[test]
fn every_snippet_sends_the_methods_of_openapi_3_2() {
    let case = "openapi-3-2";
    let label = format!("tests/cases/{case}/spec.yaml");
    let text = std::fs::read_to_string(root().join(&label)).unwrap();
    let (api, _) = parse(&text, &label).unwrap();
    let dependency = Crate::case(case);
    let options = RustOptions { crate_name: dependency.package.clone(), spec_label: label, ..RustOptions::default() };
    let plan = kanuu_codegen::rust::Plan::new(&api, &options);
    let server = RecordingServer::answering(|request| match request.method.as_str() {
        "LINK" => Reply::json(204, ""),
        _ => Reply::json(200, r#"[{"title":"Dune"}]"#),
    })
    .unwrap();
    let url = server.url();
    let mut failures = Vec::new();
    for (name, method, target, body) in [
        ("searchBooks", "QUERY", "/books", Some(serde_json::json!({"text": "string"}))),
        ("linkBooks", "LINK", "/books?shelf=string", None),
    ] {
        let operation = api.operations.iter().position(|op| op.name == name).unwrap();
        let pointed = snippets::render_with(&plan, operation, Some(&url)).unwrap();
        let java = pointed.iter().find(|s| s.title == "Java").unwrap();
        assert!(java.source.starts_with(&format!("// Unirest has no {method} method")), "{}", java.source);
        let dir = scratch(&format!("snippets-methods/{name}"));
        for runtime in runtimes().into_iter().filter(|r| r.title != "Java") {
            let snippet = pointed.iter().find(|s| s.title == runtime.title).unwrap();
            let before = server.requests().len();
            let Some((_, output)) =
                run_case_snippet("methods", &runtime, &dir, &snippet.source, &dependency, &mut failures)
            else {
                continue;
            };
            let requests = server.requests();
            let sent = match &requests[before..] {
                [sent] => sent,
                other => {
                    failures.push(format!(
                        "{name} {}: {} requests; stderr: {}",
                        runtime.title,
                        other.len(),
                        output.stderr
                    ));
                    continue;
                }
            };
            let got_body = (!sent.body.is_empty()).then(|| sent.json());
            if !output.success || sent.method != method || sent.target != target || got_body != body {
                failures.push(format!(
                    "{name} {}: sent {} {} with {:?}, want {method} {target} with {body:?}; stderr: {}",
                    runtime.title,
                    sent.method,
                    sent.target,
                    String::from_utf8_lossy(&sent.body),
                    output.stderr
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------- streams

/// Every answer that streams in the `streams` case (and the 3.2 case's
/// events), read by each language's snippet from a server that sends
/// three items (with a comment, a blank line, and after the sentinel one
/// more event): each prints every item, in order, and nothing after the
/// sentinel.
#[test]
fn every_snippet_reads_a_stream_as_it_arrives() {
    use kanuu_codegen::ir::{StreamFormat, TypeRef};
    let mut failures = Vec::new();
    let mut streams = 0;
    for case in ["streams", "openapi-3-2", "byte-streams"] {
        let label = format!("tests/cases/{case}/spec.yaml");
        let text = std::fs::read_to_string(root().join(&label)).unwrap();
        let (api, _) = parse(&text, &label).unwrap();
        let dependency = Crate::case(case);
        let options =
            RustOptions { crate_name: dependency.package.clone(), spec_label: label.clone(), ..RustOptions::default() };
        let plan = kanuu_codegen::rust::Plan::new(&api, &options);
        for (operation, op) in api.operations.iter().enumerate() {
            let Some((body, stream)) = op.streamed_success() else { continue };
            streams += 1;
            let text = stream.format == StreamFormat::Events && matches!(body.ty, TypeRef::String(_));
            let items: Vec<Value> = (0..3).map(|index| list_item(&api, &body.ty, index)).collect();
            // An event's `data` as it goes on the wire: the text, or JSON.
            let wire = |item: &Value| match item {
                Value::String(data) if text => data.clone(),
                other => other.to_string(),
            };
            let (content_type, answer) = match stream.format {
                StreamFormat::Events => {
                    let mut answer = String::from(": keep-alive\n\n");
                    for (index, item) in items.iter().enumerate() {
                        answer.push_str(&format!("id: {index}\ndata: {}\n\n", wire(item)));
                    }
                    if let Some(sentinel) = &stream.sentinel {
                        answer.push_str(&format!("data: {sentinel}\n\ndata: {}\n\n", wire(&items[0])));
                    }
                    ("text/event-stream", answer)
                }
                StreamFormat::JsonLines => {
                    let lines: Vec<String> = items.iter().map(Value::to_string).collect();
                    ("application/x-ndjson", format!("{}\n\n{}\n{}\n", lines[0], lines[1], lines[2]))
                }
                StreamFormat::JsonSequence => {
                    ("application/json-seq", items.iter().map(|item| format!("\u{1e}{item}\n")).collect())
                }
                // A file longer than a read's buffer, with what text reading
                // would change: CR LF, NUL, controls, characters of several bytes.
                StreamFormat::Bytes => {
                    ("application/octet-stream", "%PDF-1.7\r\n\0\u{1}\u{7f} é ✓ \r\n\n".repeat(8192))
                }
            };
            let saved_as = op.download_file_name();
            let saved = answer.clone().into_bytes();
            let server = RecordingServer::answering(move |_| Reply::Status {
                status: 200,
                content_type,
                body: answer.clone(),
                headers: Vec::new(),
            })
            .unwrap();
            let pointed = snippets::render_with(&plan, operation, Some(&server.url())).unwrap();
            let name = format!("{case}-{}", op.name);
            let dir = scratch(&format!("snippets-streams/{name}"));
            for runtime in runtimes() {
                let snippet = pointed.iter().find(|s| s.title == runtime.title).unwrap();
                let Some((file, output)) =
                    run_case_snippet("streams", &runtime, &dir, &snippet.source, &dependency, &mut failures)
                else {
                    continue;
                };
                if stream.format == StreamFormat::Bytes {
                    let path = dir.join(runtime.title.to_lowercase()).join(&saved_as);
                    let got = std::fs::read(&path).unwrap_or_default();
                    if !output.success || got != saved {
                        failures.push(format!(
                            "{name} {}: want {saved_as} to hold the {} bytes sent, it holds {}\nstderr: {}",
                            runtime.title,
                            saved.len(),
                            got.len(),
                            output.stderr
                        ));
                    }
                    continue;
                }
                let printed: Vec<&str> = output.stdout.lines().filter(|line| !line.trim().is_empty()).collect();
                // The Rust snippet prints each item's Debug form; the others its JSON or text.
                let matches = |line: &str, item: &Value| match (runtime.title, item) {
                    ("Rust", item) => line.contains(&list_marker(item)),
                    (_, Value::String(want)) if text => line == want,
                    (_, item) => serde_json::from_str::<Value>(line).is_ok_and(|got| same_json(&got, item)),
                };
                let ok =
                    printed.len() == items.len() && printed.iter().zip(&items).all(|(line, item)| matches(line, item));
                if !output.success || !ok {
                    failures.push(format!(
                        "{name} {} ({}): want {items:?}, printed:\n{}\nstderr: {}",
                        runtime.title,
                        file.display(),
                        output.stdout,
                        output.stderr
                    ));
                }
            }
        }
    }
    assert!(streams >= 7, "every streaming answer is read: {streams}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The marker `list_item` put in an item, as a Debug print shows it.
fn list_marker(item: &Value) -> String {
    let text = item.to_string();
    (1001..1100).map(|n| n.to_string()).find(|n| text.contains(n.as_str())).unwrap_or(text)
}

/// Whether two JSON values are equal, numbers by value (`0` is `0.0`: a
/// language may print a float without its fraction).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| same_json(value, other)))
        }
        (a, b) => a == b,
    }
}
