//! Answers read as they arrive (`tests/cases/streams`, and the OpenAPI 3.2
//! case's `itemSchema`), against loopback servers: server-sent events with
//! a sentinel, comments and several-line data; JSON lines and JSON text
//! sequences split across chunks; a bad item among good ones; an error
//! status; and a stream read while the server is still sending it. And
//! files (`tests/cases/byte-streams`): a download of bytes that are not
//! text, written out as they come or read whole, one that breaks off, and
//! uploads of bytes, a file and a stream, with which are retried.

use std::time::Duration;

use futures_util::TryStreamExt;
use kanuu_tests::{RecordingServer, Reply, serve_loopback};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use ::streams::{Chunk, Client, LogRecord, Order, StreamCompletionBody, StreamCompletionError};

fn answer(content_type: &'static str, body: &str) -> Reply {
    Reply::Status { status: 200, content_type, body: body.to_owned(), headers: Vec::new() }
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).no_retries().build().expect("client")
}

/// A server that answers every request with `chunks`, written one at a
/// time (chunked transfer encoding), each after the test sends `()` on
/// the returned channel when `wait` is set, else at once.
fn chunked_server(content_type: &'static str, chunks: Vec<&'static str>, wait: bool) -> (String, mpsc::Sender<()>) {
    let (go, gate) = mpsc::channel::<()>(16);
    let gate = std::sync::Arc::new(tokio::sync::Mutex::new(gate));
    let url = serve_loopback(move |mut stream| {
        let (chunks, gate) = (chunks.clone(), gate.clone());
        async move {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request).await?;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            for (index, chunk) in chunks.iter().enumerate() {
                if wait && index > 0 {
                    let _ = gate.lock().await.recv().await;
                }
                stream.write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes()).await?;
                stream.flush().await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
            stream.shutdown().await
        }
    });
    (url, go)
}

mod events {
    use super::*;

    #[tokio::test]
    async fn json_data_is_decoded_until_the_sentinel_and_comments_are_skipped() {
        let body = ": keep-alive\n\nid: 1\ndata: {\"text\":\"Hel\"}\n\n: another comment\n\nevent: chunk\nid: 2\nretry: 1500\ndata: {\"text\":\"lo\"}\n\ndata: [DONE]\n\ndata: {\"text\":\"after the end\"}\n\n";
        let server = RecordingServer::start(vec![answer("text/event-stream", body)]).expect("server");
        let events = client(&server.url()).stream_completion(&StreamCompletionBody::new("hi")).await.expect("200");
        let events: Vec<_> = events.try_collect().await.expect("every event");
        let texts: Vec<&str> = events.iter().map(|event| event.data.text.as_str()).collect();
        assert_eq!(texts, ["Hel", "lo"], "the sentinel ends the stream");
        assert_eq!((events[0].event.as_str(), events[0].id.as_str()), ("message", "1"));
        assert_eq!((events[1].event.as_str(), events[1].id.as_str()), ("chunk", "2"));
        assert_eq!(events[1].retry, Some(Duration::from_millis(1500)));
        let request = &server.requests()[0];
        assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/completions"));
        assert_eq!(request.json(), serde_json::json!({"prompt": "hi"}));
    }

    #[tokio::test]
    async fn an_event_that_does_not_decode_is_an_error_and_the_stream_goes_on() {
        let body = "data: {\"text\":\"one\"}\n\ndata: {\"txt\":\"typo\"}\n\ndata: {\"text\":\"two\"}\n\n";
        let server = RecordingServer::start(vec![answer("text/event-stream", body)]).expect("server");
        let mut events = client(&server.url()).stream_completion(&StreamCompletionBody::new("hi")).await.expect("200");
        let mut read = Vec::new();
        while let Some(event) = futures_util::StreamExt::next(&mut events).await {
            read.push(event.map(|event| event.data));
        }
        assert_eq!(read.len(), 3);
        assert_eq!(read[0].as_ref().ok(), Some(&Chunk::new("one")));
        match &read[1] {
            Err(::streams::Error::Decode { body, .. }) => assert_eq!(body, r#"{"txt":"typo"}"#),
            other => panic!("a decoding error, got {other:?}"),
        }
        assert_eq!(read[2].as_ref().ok(), Some(&Chunk::new("two")));
    }

    #[tokio::test]
    async fn an_error_status_is_the_operations_typed_error() {
        let problem = Reply::json(429, r#"{"detail":"slow down"}"#);
        let server = RecordingServer::start(vec![problem]).expect("server");
        let error = client(&server.url()).stream_completion(&StreamCompletionBody::new("hi")).await.expect_err("429");
        match error {
            StreamCompletionError::TooManyRequests(problem) => assert_eq!(problem.detail.as_deref(), Some("slow down")),
            other => panic!("429's variant, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn text_data_keeps_its_lines_and_json_data_names_its_event() {
        let ticker = "data: ACME 10.5\ndata: +0.2\n\ndata: ACME 10.7\n\n";
        let server = RecordingServer::start(vec![answer("text/event-stream", ticker)]).expect("server");
        let events: Vec<_> =
            client(&server.url()).watch_ticker().await.expect("200").try_collect().await.expect("events");
        let data: Vec<&str> = events.iter().map(|event| event.data.as_str()).collect();
        assert_eq!(data, ["ACME 10.5\n+0.2", "ACME 10.7"]);

        let notes = "event: note\ndata: {\"message\":\"hello\"}\n\n";
        let server = RecordingServer::start(vec![answer("text/event-stream", notes)]).expect("server");
        let events: Vec<_> =
            client(&server.url()).watch_notifications().await.expect("200").try_collect().await.expect("events");
        assert_eq!((events[0].event.as_str(), events[0].data.message.as_str()), ("note", "hello"));
    }

    #[tokio::test]
    async fn an_event_is_read_before_the_server_has_sent_the_next() {
        let chunks = vec!["data: {\"text\":\"first\"}\n\n", "data: {\"text\":\"second\"}\n\n", "data: [DONE]\n\n"];
        let (url, go) = chunked_server("text/event-stream", chunks, true);
        let client = client(&url);
        let mut events = client.stream_completion(&StreamCompletionBody::new("hi")).await.expect("200");
        // The server sends the second event only once the first was read:
        // a client that waited for the whole answer would never finish.
        for want in ["first", "second"] {
            let event = tokio::time::timeout(Duration::from_secs(30), events.try_next())
                .await
                .expect("the event arrives while the answer is still open")
                .expect("an event")
                .expect("not the end");
            assert_eq!(event.data.text, want);
            go.send(()).await.expect("the server waits");
        }
        assert!(events.try_next().await.expect("the end").is_none());
    }

    #[tokio::test]
    async fn a_3_2_item_schema_types_each_events_data_from_its_content_schema() {
        let body = "data: {\"title\":\"Dune\",\"author\":\"Frank Herbert\"}\n\n";
        let server = RecordingServer::start(vec![answer("text/event-stream", body)]).expect("server");
        let client = ::openapi_3_2::Client::builder().base_url(server.url()).build().expect("client");
        let events: Vec<_> = client.watch_events().await.expect("200").try_collect().await.expect("events");
        assert_eq!(events[0].data.title, "Dune");
        assert_eq!(events[0].data.author.as_deref(), Some("Frank Herbert"));
    }
}

mod json_lines {
    use super::*;

    #[tokio::test]
    async fn each_line_is_an_item_across_chunks_and_blank_lines_are_skipped() {
        // Items split across chunks, a CR LF, blank lines, no final newline.
        let chunks = vec!["{\"id\":1,\"tot", "al\":9.5}\r\n\n{\"id\":2,", "\"total\":3}\n\n\n{\"id\":3,\"total\":0}"];
        let (url, _go) = chunked_server("application/x-ndjson", chunks, false);
        let orders: Vec<Order> = client(&url).export_orders().await.expect("200").try_collect().await.expect("orders");
        assert_eq!(orders.iter().map(|order| order.id).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(orders[0].total, 9.5);
    }

    #[tokio::test]
    async fn a_line_that_does_not_decode_is_an_error_and_the_next_is_read() {
        let body = "{\"id\":1,\"total\":1}\nnot json\n{\"id\":2,\"total\":2}\n";
        let server = RecordingServer::start(vec![answer("application/x-ndjson", body)]).expect("server");
        let mut orders = client(&server.url()).export_orders().await.expect("200");
        let mut read = Vec::new();
        while let Some(order) = futures_util::StreamExt::next(&mut orders).await {
            read.push(order.map(|order| order.id));
        }
        assert_eq!(read.len(), 3, "{read:?}");
        assert!(matches!((&read[0], &read[2]), (Ok(1), Ok(2))), "{read:?}");
        assert!(matches!(&read[1], Err(::streams::Error::Decode { body, .. }) if body == "not json"), "{read:?}");
    }

    #[tokio::test]
    async fn a_line_longer_than_the_clients_limit_ends_the_stream_with_an_error() {
        let body = format!("{{\"id\":1,\"total\":1}}\n{{\"id\":2,\"total\":{}}}\n", "1".repeat(4096));
        let server = RecordingServer::start(vec![answer("application/x-ndjson", &body)]).expect("server");
        let client = Client::builder().base_url(server.url()).max_response_bytes(1024).build().expect("client");
        let mut orders = client.export_orders().await.expect("200");
        assert_eq!(orders.try_next().await.expect("the first line").map(|order| order.id), Some(1));
        match orders.try_next().await {
            Err(::streams::Error::ResponseTooLarge { limit: 1024, .. }) => {}
            other => panic!("a line over the limit, got {other:?}"),
        }
        assert!(orders.try_next().await.expect("ended").is_none());
    }

    #[tokio::test]
    async fn json_text_sequences_are_split_at_record_separators() {
        let chunks = vec![
            "\u{1e}{\"level\":\"info\",\"message\":\"up\"}\n\u{1e}{\"level\":\"warn\",",
            "\"message\":\"slow\"}\n",
        ];
        let (url, _go) = chunked_server("application/json-seq", chunks, false);
        let records: Vec<LogRecord> =
            client(&url).export_logs().await.expect("200").try_collect().await.expect("records");
        let levels: Vec<&str> = records.iter().map(|record| record.level.as_str()).collect();
        assert_eq!(levels, ["info", "warn"]);
        assert_eq!(records[1].message, "slow");
    }
}

mod reconnection {
    use super::*;

    #[tokio::test]
    async fn a_broken_stream_resumes_after_the_last_event_id_at_the_servers_retry() {
        let first = "id: 1\ndata: {\"message\":\"one\"}\n\nretry: 250\ndata: {\"message\":\"two, without an id\"}\n\n";
        let second = "id: 3\ndata: {\"message\":\"three\"}\n\n";
        let replies = vec![answer("text/event-stream", first), answer("text/event-stream", second)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client(&server.url());

        let mut events = client.watch_notifications().await.expect("200");
        let mut messages = Vec::new();
        while let Some(event) = events.try_next().await.expect("an event") {
            messages.push(event.data.message);
        }
        // The answer ended: resume where it broke off, as the server asked.
        assert_eq!(events.last_event_id(), "1", "an event without an id keeps the last one");
        assert_eq!(events.retry(), Some(Duration::from_millis(250)));
        let resumed = client.watch_notifications().last_event_id(events.last_event_id()).await.expect("200");
        let rest: Vec<_> = resumed.map_ok(|event| event.data.message).try_collect().await.expect("events");
        messages.extend(rest);
        assert_eq!(messages, ["one", "two, without an id", "three"]);

        let requests = server.requests();
        assert_eq!(requests[0].header("last-event-id"), None);
        assert_eq!(requests[1].header("last-event-id"), Some("1"));
    }
}

mod byte_streams {
    use super::*;
    use ::byte_streams::stream::Upload;
    use ::byte_streams::{Client, DownloadReportError};

    /// Every byte value, then more: what no text decoding leaves alone.
    fn file_bytes(length: usize) -> Vec<u8> {
        (0..length).map(|index| (index * 7 % 256) as u8).collect()
    }

    /// A server that answers with `body` in chunks of 64 KiB as
    /// `application/pdf`, with its length, or with only its first half,
    /// closing the connection, when `break_off` is set.
    fn pdf_server(body: Vec<u8>, break_off: bool) -> String {
        let body = std::sync::Arc::new(body);
        serve_loopback(move |mut stream| {
            let body = body.clone();
            async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await?;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).await?;
                let sent = if break_off { &body[..body.len() / 2] } else { &body[..] };
                for chunk in sent.chunks(64 * 1024) {
                    stream.write_all(chunk).await?;
                    stream.flush().await?;
                }
                stream.shutdown().await
            }
        })
    }

    fn client(url: &str) -> Client {
        Client::builder().base_url(url).build().expect("client")
    }

    #[tokio::test]
    async fn a_download_is_written_out_as_it_arrives_byte_for_byte() {
        let body = file_bytes(3 << 20);
        let url = pdf_server(body.clone(), false);
        let download = client(&url).download_report("q3").await.expect("200");
        assert_eq!(download.content_length(), Some(body.len() as u64));
        let path = std::env::temp_dir().join(format!("kanuu-download-{}.pdf", std::process::id()));
        let mut file = tokio::fs::File::create(&path).await.expect("a file");
        let written = download.write_to(&mut file).await.expect("written");
        assert_eq!(written, body.len() as u64);
        let saved = std::fs::read(&path).expect("the saved file");
        std::fs::remove_file(&path).ok();
        assert!(saved == body, "the file holds the bytes the server sent");
    }

    #[tokio::test]
    async fn a_download_can_be_read_whole_or_chunk_by_chunk() {
        let body = file_bytes(200_000);
        let url = pdf_server(body.clone(), false);
        let whole = client(&url).download_report("q3").await.expect("200").to_vec().await.expect("the bytes");
        assert!(whole == body);
        let chunks: Vec<bytes::Bytes> =
            client(&url).download_report("q3").await.expect("200").try_collect().await.expect("chunks");
        assert!(chunks.concat() == body);
    }

    #[tokio::test]
    async fn a_download_that_breaks_off_is_an_error_of_the_crate_inside_the_io_error() {
        let url = pdf_server(file_bytes(1 << 20), true);
        let download = client(&url).download_report("q3").await.expect("200");
        let error = download.write_to(&mut Vec::new()).await.expect_err("the body was cut short");
        let inner = error.get_ref().and_then(|inner| inner.downcast_ref::<::byte_streams::Error>());
        assert!(matches!(inner, Some(::byte_streams::Error::Transport { .. })), "got {error:?}");
    }

    #[tokio::test]
    async fn an_error_status_is_the_operations_typed_error_not_a_stream() {
        let server = RecordingServer::start(vec![Reply::json(404, r#"{"detail":"no report q9"}"#)]).expect("server");
        match client(&server.url()).download_report("q9").await {
            Err(DownloadReportError::NotFound(problem)) => assert_eq!(problem.detail.as_deref(), Some("no report q9")),
            other => panic!("a 404, got {other:?}"),
        }
    }

    fn stored() -> Reply {
        Reply::Status {
            status: 201,
            content_type: "application/json",
            body: r#"{"name":"a.bin","size":3}"#.to_owned(),
            headers: Vec::new(),
        }
    }

    fn unavailable() -> Reply {
        Reply::Status {
            status: 503,
            content_type: "text/plain",
            body: "busy".to_owned(),
            headers: vec![("retry-after".to_owned(), "0".to_owned())],
        }
    }

    #[tokio::test]
    async fn bytes_in_memory_are_uploaded_and_retried_like_any_request() {
        let server = RecordingServer::start(vec![unavailable(), stored()]).expect("server");
        let body = file_bytes(100_000);
        let file = client(&server.url()).upload_file("a.bin", &body).await.expect("201");
        assert_eq!(file.name, "a.bin");
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "retried after the 503");
        for request in &requests {
            assert_eq!(request.method, "PUT");
            assert_eq!(request.header("content-type"), Some("application/octet-stream"));
            assert!(request.body == body);
        }
    }

    #[tokio::test]
    async fn a_file_is_uploaded_with_its_length_and_sent_once() {
        let body = file_bytes(1 << 20);
        let path = std::env::temp_dir().join(format!("kanuu-upload-{}.bin", std::process::id()));
        std::fs::write(&path, &body).expect("a file");
        let server = RecordingServer::start(vec![unavailable(), stored()]).expect("server");
        let upload = Upload::file(tokio::fs::File::open(&path).await.expect("open")).await.expect("metadata");
        assert_eq!(upload.length(), Some(body.len() as u64));
        let result = client(&server.url()).upload_file("a.bin", upload).await;
        std::fs::remove_file(&path).ok();
        match result {
            Err(::byte_streams::Error::UnexpectedStatus { status: 503, attempts: 1, .. }) => {}
            other => panic!("a file is read once, so a 503 is not retried: {other:?}"),
        }
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].header("content-length"), Some("1048576"));
        assert!(requests[0].body == body);
    }

    #[tokio::test]
    async fn a_stream_is_uploaded_chunked_and_a_clone_of_its_request_cant_send_it_again() {
        let server = RecordingServer::start(vec![stored()]).expect("server");
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            vec![Ok(b"one ".to_vec()), Ok(b"two ".to_vec()), Ok(b"three".to_vec())];
        let client = client(&server.url());
        let request = client.upload_file("a.txt", Upload::stream(futures_util::stream::iter(chunks)));
        let copy = request.clone();
        request.await.expect("201");
        match copy.await {
            Err(::byte_streams::Error::InvalidParameter { operation: "upload_file", parameter: "body", .. }) => {}
            other => panic!("a stream is sent once: {other:?}"),
        }
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].header("transfer-encoding"), Some("chunked"));
        assert_eq!(requests[0].body, b"one two three");
    }

    #[tokio::test]
    async fn an_optional_upload_is_sent_when_set_and_nothing_otherwise() {
        let accepted =
            Reply::Status { status: 202, content_type: "text/plain", body: String::new(), headers: Vec::new() };
        let server = RecordingServer::start(vec![accepted]).expect("server");
        let client = client(&server.url());
        client.import_archive().await.expect("202");
        client.import_archive().body(b"PK\x03\x04").await.expect("202");
        let requests = server.requests();
        assert_eq!(requests[0].header("content-type"), None);
        assert!(requests[0].body.is_empty());
        assert_eq!(requests[1].header("content-type"), Some("application/zip"));
        assert_eq!(requests[1].body, b"PK\x03\x04");
    }
}
