//! What the tests share: a recording HTTP server on loopback, and helpers to
//! generate into temporary folders and compare trees.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub mod goldens;

/// The workspace root, where `spec/` and `generated/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete answer.
    Status { status: u16, content_type: &'static str, body: String, headers: Vec<(String, String)> },
    /// Read the request and never answer.
    Hang,
    /// Send the headers and half the body, then close the connection.
    DropMidBody { status: u16, body: String },
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Status { status, content_type: "application/json", body: body.to_owned(), headers: Vec::new() }
    }

    pub fn html(status: u16, body: &str) -> Self {
        Reply::Status { status, content_type: "text/html; charset=utf-8", body: body.to_owned(), headers: Vec::new() }
    }
}

/// A server on 127.0.0.1 that records every request and answers from a
/// script (the last reply repeats). It runs on its own thread, so sync
/// tests that start other processes can use it as well as async ones.
pub struct RecordingServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

/// What answers a request: the next reply of a script, or a function of
/// the request.
#[derive(Clone)]
enum Script {
    Replies(Arc<Vec<Reply>>),
    Answer(Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>),
}

impl RecordingServer {
    pub fn start(replies: Vec<Reply>) -> io::Result<Self> {
        Self::run(Script::Replies(Arc::new(replies)))
    }

    /// A server that answers each request with `answer(request)`.
    pub fn answering(answer: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> io::Result<Self> {
        Self::run(Script::Answer(Arc::new(answer)))
    }

    fn run(script: Script) -> io::Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = TcpListener::from_std(listener) else { return };
                let mut served = 0usize;
                loop {
                    let Ok((stream, _)) = listener.accept().await else { continue };
                    let (script, index) = (script.clone(), served);
                    served += 1;
                    let recorded = Arc::clone(&recorded);
                    tokio::spawn(async move {
                        let _ = serve(stream, script, index, recorded).await;
                    });
                }
            });
        });
        Ok(RecordingServer { port, requests })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Answers the `served`th request.
async fn serve(
    mut stream: TcpStream,
    script: Script,
    served: usize,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    let header_end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or("").split(' ');
    let method = request_line.next().unwrap_or("").to_owned();
    let target = request_line.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    if header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    let mut body = buffer[header_end + 4..].to_vec();
    if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < length {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        body = read_chunked(&mut stream, body).await?;
    }
    let request = Recorded { method, target, headers, body };
    let reply = match script {
        Script::Replies(replies) => replies.get(served).or(replies.last()).cloned(),
        Script::Answer(answer) => Some(answer(&request)),
    };
    if let Ok(mut all) = recorded.lock() {
        all.push(request);
    }
    match reply {
        None | Some(Reply::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Some(Reply::Status { status, content_type, body, headers }) => {
            let mut head = format!(
                "HTTP/1.1 {status} Status\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body.as_bytes()).await?;
            stream.shutdown().await?;
        }
        Some(Reply::DropMidBody { status, body }) => {
            let head = format!(
                "HTTP/1.1 {status} Status\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body.as_bytes()[..body.len() / 2]).await?;
            stream.flush().await?;
            // Dropping the stream closes the connection mid-body.
        }
    }
    Ok(())
}

async fn read_chunked(stream: &mut TcpStream, mut raw: Vec<u8>) -> io::Result<Vec<u8>> {
    loop {
        if let Some(body) = decode_chunked(&raw) {
            return Ok(body);
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(decode_chunked(&raw).unwrap_or_default());
        }
        raw.extend_from_slice(&chunk[..n]);
    }
}

/// The body of a complete chunked message, or `None` if more is needed.
fn decode_chunked(raw: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut rest = raw;
    loop {
        let line_end = find(rest, b"\r\n")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        if rest.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// Serves each connection to 127.0.0.1 with `serve`, on a thread of its
/// own until the process ends (the benches' servers); returns the base URL.
pub fn serve_loopback<F, Fut>(serve: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = io::Result<()>> + Send + 'static,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("local addr").port();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                tokio::spawn(serve(stream));
            }
        });
    });
    format!("http://127.0.0.1:{port}")
}

/// Reads the next request of a keep-alive connection: its head and, by
/// its `Content-Length`, its body, keeping what follows in `buffer` (the
/// benches' servers). The head, or `None` once the client has closed the
/// connection.
pub async fn next_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<Option<String>> {
    async fn more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<bool> {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        buffer.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end + 4;
        }
        if !more(stream, buffer).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        if !more(stream, buffer).await? {
            return Ok(None);
        }
    }
    buffer.drain(..head_end + length);
    Ok(Some(head))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Whether this run rewrites the golden files instead of comparing them
/// (`UPDATE_GOLDENS=1 cargo test`): `generated/` and every test case.
pub fn update_goldens() -> bool {
    std::env::var_os("UPDATE_GOLDENS").is_some_and(|value| !value.is_empty() && value != "0")
}

/// A fresh empty folder under the target directory, removed first if it exists.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Every file under `dir` with its contents, `/`-separated relative paths.
pub fn read_tree(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&relative)) else { continue };
        for entry in entries.flatten() {
            let path = relative.join(entry.file_name());
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(path);
            } else {
                let contents = std::fs::read_to_string(dir.join(&path)).unwrap_or_default();
                files.push((path.to_string_lossy().replace('\\', "/"), contents));
            }
        }
    }
    files.sort();
    files
}
