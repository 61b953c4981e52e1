//! Fixture clients on a loopback server: how parameters, bodies and
//! credentials look on the wire, and how answers come back.

use kanuu_tests::{RecordingServer, Reply};

fn recorded(server: &RecordingServer) -> kanuu_tests::Recorded {
    server.requests().into_iter().next().expect("the server got a request")
}

#[tokio::test]
async fn path_parameters_are_escaped_inside_their_segment() {
    let server = RecordingServer::start(vec![Reply::json(200, r#"{"id":"1","title":"Dune","genre":"fiction"}"#)])
        .expect("server");
    let client = library::Client::builder("key").base_url(server.url()).build().expect("client");
    let book = client.get_books_book_id("isbn/978 0?#é%").await.expect("200");
    assert_eq!(book.genre, library::Genre::Fiction);
    let request = recorded(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/books/isbn%2F978%200%3F%23%C3%A9%25");
    assert_eq!(request.header("x-api-key"), Some("key"));
}

#[tokio::test]
async fn query_arrays_enums_and_headers() {
    let server = RecordingServer::start(vec![Reply::json(200, "[]")]).expect("server");
    let client = library::Client::builder("key").base_url(server.url()).build().expect("client");
    let genre = library::Genre::NonFiction;
    let books = client
        .list_books()
        .limit(10)
        .genre(&genre)
        .tag(&["a b", "c&d"])
        .x_request_id("req-1")
        .x_shelves(&[3, 4])
        .await
        .expect("200");
    assert!(books.is_empty());
    let request = recorded(&server);
    assert_eq!(request.target, "/books?limit=10&genre=non-fiction&tag=a+b&tag=c%26d");
    assert_eq!(request.header("x-request-id"), Some("req-1"));
    assert_eq!(request.header("x-shelves"), Some("3,4"), "{:?}", request.headers);
    assert_eq!(library::Preferences::default(), library::Preferences::new());
}

#[tokio::test]
async fn object_and_delimited_query_parameters() {
    let server = RecordingServer::start(vec![Reply::json(200, "[]")]).expect("server");
    let client = library::Client::builder("key").base_url(server.url()).build().expect("client");
    let mut filter = library::ListBooksFilter::new();
    filter.author = Some("Le Guin".to_owned());
    filter.year = Some(1969);
    let mut page = library::ListBooksPage::new();
    page.size = Some(20);
    client.list_books().filter(&filter).page(&page).isbn(&["1", "2"]).await.expect("200");
    assert_eq!(recorded(&server).target, "/books?filter%5Bauthor%5D=Le+Guin&filter%5Byear%5D=1969&size=20&isbn=1%7C2");
}

#[tokio::test]
async fn unknown_enum_values_decode() {
    let server = RecordingServer::start(vec![Reply::json(200, r#"[{"id":"1","title":"x","genre":"cookbook"}]"#)])
        .expect("server");
    let client = library::Client::builder("key").base_url(server.url()).build().expect("client");
    let books = client.list_books().await.expect("an unknown genre still decodes");
    assert_eq!(books[0].genre, library::Genre::Unknown("cookbook".to_owned()));
    assert_eq!(books[0].genre.as_str(), "cookbook");
}

#[tokio::test]
async fn json_bodies_skip_absent_optional_fields() {
    let server = RecordingServer::start(vec![Reply::json(201, r#"{"id":"9","title":"Dune","genre":"fiction"}"#)])
        .expect("server");
    let client = library::Client::builder("key").base_url(server.url()).build().expect("client");
    let mut book = library::NewBook::new("Dune", library::Genre::Fiction);
    book.r#type = Some("novel".to_owned());
    client.create_book(&book).await.expect("201");
    assert_eq!(recorded(&server).json(), serde_json::json!({"title": "Dune", "genre": "fiction", "type": "novel"}));
}

#[tokio::test]
async fn documented_errors_by_range_and_default_keep_the_status() {
    let server = RecordingServer::start(vec![Reply::json(403, r#"{"message":"no"}"#)]).expect("server");
    let client = uploads::Client::builder().key("k").base_url(server.url()).build().expect("client");
    match client.login().await {
        Err(uploads::LoginError::ClientError { status, body }) => {
            assert_eq!(status, 403);
            assert_eq!(body.message, "no");
        }
        other => panic!("expected ClientError, got {other:?}"),
    }
    // The API key travels in the query.
    assert_eq!(recorded(&server).target, "/login?api_key=k");
}

#[tokio::test]
async fn form_bodies_are_urlencoded() {
    let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
    let client = uploads::Client::builder().key("k").base_url(server.url()).build().expect("client");
    let mut body = uploads::LoginBody::new("ann & bob");
    body.remember = Some(true);
    client.login().body(&body).await.expect("204");
    let request = recorded(&server);
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(String::from_utf8_lossy(&request.body), "user=ann+%26+bob&remember=true");
}

#[tokio::test]
async fn multipart_bodies_send_files_and_fields_with_basic_auth() {
    let server = RecordingServer::start(vec![Reply::json(201, r#"{"id":"1","kind":"stored"}"#)]).expect("server");
    let client = uploads::Client::builder().basic("ann", "secret").base_url(server.url()).build().expect("client");
    let body = uploads::UploadFileBody::new(b"\x00\x01binary".to_vec(), "notes.txt");
    let response = client.upload_file("a/b", &body).ids(&[1, 2]).session("s1").await.expect("201");
    match response {
        uploads::UploadFileResponse::Created(stored) => assert_eq!(stored.id, "1"),
        other => panic!("expected Created, got {other:?}"),
    }
    let request = recorded(&server);
    assert_eq!(request.target, "/files/a%2Fb?ids=1%2C2");
    assert_eq!(request.header("authorization"), Some("Basic YW5uOnNlY3JldA=="));
    assert_eq!(request.header("cookie"), Some("session=s1"));
    assert!(request.header("content-type").is_some_and(|t| t.starts_with("multipart/form-data; boundary=")));
    let text = String::from_utf8_lossy(&request.body);
    assert!(text.contains("name=\"file\"; filename=\"file\""), "{text}");
    assert!(
        request.body.windows(8).any(|w| w == b"\x00\x01binary"[..8].as_ref()),
        "the file's bytes are sent as they are"
    );
    assert!(text.contains("name=\"name\"\r\n\r\nnotes.txt"), "{text}");
}

#[tokio::test]
async fn several_success_statuses_and_non_json_bodies() {
    let server = RecordingServer::start(vec![Reply::Status {
        status: 202,
        content_type: "text/plain",
        body: "queued".to_owned(),
        headers: Vec::new(),
    }])
    .expect("server");
    let client = uploads::Client::builder().bearer("t").base_url(server.url()).build().expect("client");
    let body = uploads::UploadFileBody::new(Vec::new(), "x");
    let response = client.upload_file("f", &body).await.expect("202");
    assert_eq!(response, uploads::UploadFileResponse::Accepted("queued".to_owned()));
    assert_eq!(recorded(&server).header("authorization"), Some("Bearer t"));

    let server = RecordingServer::start(vec![Reply::Status {
        status: 200,
        content_type: "application/octet-stream",
        body: "raw bytes".to_owned(),
        headers: Vec::new(),
    }])
    .expect("server");
    let client = uploads::Client::builder().base_url(server.url()).build().expect("client");
    assert_eq!(client.download("f").await.expect("200"), b"raw bytes".to_vec());
    assert_eq!(recorded(&server).header("authorization"), None, "security: [] sends no credential");
}

#[tokio::test]
async fn the_default_response_is_typed() {
    let server = RecordingServer::start(vec![Reply::json(500, r#"{"message":"down"}"#)]).expect("server");
    let client = uploads::Client::builder().bearer("t").base_url(server.url()).build().expect("client");
    let body = uploads::UploadFileBody::new(Vec::new(), "x");
    match client.upload_file("f", &body).await {
        Err(uploads::UploadFileError::OtherStatus { status: 500, body }) => assert_eq!(body.message, "down"),
        other => panic!("expected OtherStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn a_discriminator_picks_the_variant_and_unknown_values_are_kept() {
    let server = RecordingServer::start(vec![
        Reply::json(200, r#"{"petType":"cat","name":"Tom","lives":9}"#),
        Reply::json(200, r#"{"petType":"dog","name":"Rex","goodBoy":true}"#),
        Reply::json(200, r#"{"petType":"axolotl","name":"Ax"}"#),
    ])
    .expect("server");
    let client = shapes::Client::builder().base_url(server.url()).build().expect("client");
    match client.get_pet(1).await.expect("cat") {
        shapes::Pet::Cat(cat) => assert_eq!((cat.name.as_str(), cat.lives), ("Tom", 9)),
        other => panic!("expected a cat, got {other:?}"),
    }
    match client.get_pet(2).await.expect("dog") {
        shapes::Pet::Dog(dog) => assert_eq!(dog.good_boy, Some(true)),
        other => panic!("expected a dog, got {other:?}"),
    }
    match client.get_pet(3).await.expect("an unknown pet still decodes") {
        shapes::Pet::Unknown(value) => assert_eq!(value["name"], "Ax"),
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(server.requests()[0].target, "/pets/1");
}

#[tokio::test]
async fn recursive_and_untagged_unions_round_trip() {
    let answer =
        r#"{"tree":{"left":{"value":1},"right":{"left":{"value":2},"right":{"value":3}}},"label":7,"parent":null}"#;
    let server = RecordingServer::start(vec![Reply::json(200, answer)]).expect("server");
    let client = shapes::Client::builder().base_url(server.url()).build().expect("client");
    let leaf = |value| shapes::Node::Leaf(shapes::Leaf::new(value));
    let tree = shapes::Node::Branch(Box::new(shapes::Branch::new(
        Box::new(leaf(1)),
        Box::new(shapes::Node::Branch(Box::new(shapes::Branch::new(Box::new(leaf(2)), Box::new(leaf(3)))))),
    )));
    let planted = client.plant_tree(&tree).await.expect("200");
    assert_eq!(planted.tree, tree);
    assert_eq!(planted.label, shapes::PlantTree200ResponseLabel::Integer(7));
    assert_eq!(planted.parent, None);
    assert_eq!(
        server.requests()[0].json(),
        serde_json::json!({"left":{"value":1},"right":{"left":{"value":2},"right":{"value":3}}})
    );
}

#[tokio::test]
async fn read_only_fields_are_not_sent_and_write_only_ones_are_not_expected() {
    let server = RecordingServer::start(vec![Reply::json(201, r#"{"id":"L1","bookId":"B1"}"#)]).expect("server");
    let client = library::Client::builder("key").base_url(server.url()).build().expect("client");
    let mut loan = library::Loan::new("B1");
    loan.pin = Some("1234".to_owned());
    let created = client.create_loan(&loan).await.expect("a response without the write-only pin decodes");
    assert_eq!(created.id.as_deref(), Some("L1"));
    assert_eq!(recorded(&server).json(), serde_json::json!({"bookId": "B1", "pin": "1234"}));
}
