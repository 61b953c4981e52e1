//! The test cases' clients (`tests/cases/*/expected/rust`) on a loopback
//! server: how parameters, bodies and credentials look on the wire, and how
//! answers come back. One module per case, so a failure names the feature.

use kanuu_tests::{RecordingServer, Reply};

fn recorded(server: &RecordingServer) -> kanuu_tests::Recorded {
    server.requests().into_iter().next().expect("the server got a request")
}

fn text_reply(status: u16, content_type: &'static str, body: &str) -> Reply {
    Reply::Status { status, content_type, body: body.to_owned(), headers: Vec::new() }
}

mod path_parameters {
    use super::*;
    use ::path_parameters::Client;

    #[tokio::test]
    async fn are_escaped_inside_their_segment() {
        let server = RecordingServer::start(vec![Reply::json(200, r#""Dune""#)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        assert_eq!(client.get_book("isbn/978 0?#é%").await.expect("200"), "Dune");
        let request = recorded(&server);
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/books/isbn%2F978%200%3F%23%C3%A9%25");
    }

    #[tokio::test]
    async fn numbers_are_written_as_text() {
        let server = RecordingServer::start(vec![Reply::json(200, r#""Dune""#)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.get_shelf_book("top shelf", -3).await.expect("200");
        assert_eq!(recorded(&server).target, "/shelves/top%20shelf/books/-3");
    }

    #[test]
    fn the_server_variables_take_their_defaults() {
        assert_eq!(Client::DEFAULT_BASE_URL, "https://eu.library.example/v1");
    }
}

mod query_parameters {
    use super::*;
    use ::query_parameters::{Client, Genre, ListBooksFilter, ListBooksPage};

    #[tokio::test]
    async fn scalars_enums_and_exploded_arrays() {
        let server = RecordingServer::start(vec![Reply::json(200, "[]")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let books = client.list_books().limit(10).genre(&Genre::NonFiction).tag(&["a b", "c&d"]).await.expect("200");
        assert!(books.is_empty());
        assert_eq!(recorded(&server).target, "/books?limit=10&genre=non-fiction&tag=a+b&tag=c%26d");
    }

    #[tokio::test]
    async fn delimited_arrays() {
        let server = RecordingServer::start(vec![Reply::json(200, "[]")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.list_books().ids(&[1, 2]).words(&["x", "y"]).isbn(&["1", "2"]).await.expect("200");
        assert_eq!(recorded(&server).target, "/books?ids=1%2C2&words=x+y&isbn=1%7C2");
    }

    #[tokio::test]
    async fn arrays_of_arrays_send_each_inner_array_as_json() {
        let server = RecordingServer::start(vec![Reply::json(200, "[]")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.list_books().shelves(&[&["a", "b"], &["c"]]).await.expect("200");
        let target = recorded(&server).target;
        assert_eq!(target, "/books?shelves=%5B%22a%22%2C%22b%22%5D&shelves=%5B%22c%22%5D");
    }

    #[tokio::test]
    async fn deep_and_exploded_objects() {
        let server = RecordingServer::start(vec![Reply::json(200, "[]")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let mut filter = ListBooksFilter::new();
        filter.author = Some("Le Guin".to_owned());
        filter.year = Some(1969);
        let mut page = ListBooksPage::new();
        page.size = Some(20);
        client.list_books().filter(&filter).page(&page).await.expect("200");
        assert_eq!(recorded(&server).target, "/books?filter%5Bauthor%5D=Le+Guin&filter%5Byear%5D=1969&size=20");
    }
}

mod headers_and_cookies {
    use super::*;
    use ::headers_and_cookies::Client;

    #[tokio::test]
    async fn headers_lists_and_cookies() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.list_books("req-1").x_shelves(&[3, 4]).session("s1").theme("dark").await.expect("204");
        let request = recorded(&server);
        assert_eq!(request.header("x-request-id"), Some("req-1"));
        assert_eq!(request.header("x-shelves"), Some("3,4"), "{:?}", request.headers);
        assert_eq!(request.header("cookie"), Some("session=s1; theme=dark"));
    }

    #[tokio::test]
    async fn optional_ones_are_left_out() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.list_books("req-2").await.expect("204");
        let request = recorded(&server);
        assert_eq!(request.header("x-shelves"), None);
        assert_eq!(request.header("cookie"), None);
    }
}

mod json_bodies {
    use super::*;
    use ::json_bodies::{Client, NewBook, NewBookAuthor, Preferences};

    #[tokio::test]
    async fn absent_optional_properties_are_skipped_and_required_nulls_sent() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let mut book = NewBook::new("Dune", None);
        book.r#type = Some("novel".to_owned());
        book.author = Some(NewBookAuthor::new("Frank Herbert"));
        book.ratings = Some([("stars".to_owned(), 4.5)].into());
        client.create_book(&book).await.expect("204");
        assert_eq!(
            recorded(&server).json(),
            serde_json::json!({"title": "Dune", "pages": null, "type": "novel",
                "author": {"name": "Frank Herbert"}, "ratings": {"stars": 4.5}})
        );
    }

    #[tokio::test]
    async fn an_optional_body_is_sent_only_when_given() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.set_preferences().await.expect("204");
        let mut preferences = Preferences::default();
        preferences.dark = Some(true);
        client.set_preferences().body(&preferences).await.expect("204");
        let requests = server.requests();
        assert!(requests[0].body.is_empty(), "no body");
        assert_eq!(requests[1].json(), serde_json::json!({"dark": true}));
        assert_eq!(Preferences::default(), Preferences::new());
    }
}

mod form_bodies {
    use super::*;
    use ::form_bodies::{Client, LoginBody};

    #[tokio::test]
    async fn are_urlencoded() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let mut body = LoginBody::new("ann & bob");
        body.remember = Some(true);
        client.login().body(&body).await.expect("204");
        let request = recorded(&server);
        assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(String::from_utf8_lossy(&request.body), "user=ann+%26+bob&remember=true");
    }
}

mod multipart_bodies {
    use super::*;
    use ::multipart_bodies::{Client, UploadFileBody};

    #[tokio::test]
    async fn send_files_as_bytes_and_fields_as_text() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let mut body = UploadFileBody::new(b"\x00\x01binary".to_vec(), "notes.txt");
        body.size = Some(8);
        client.upload_file(&body).await.expect("204");
        let request = recorded(&server);
        assert_eq!(request.target, "/files");
        assert!(request.header("content-type").is_some_and(|t| t.starts_with("multipart/form-data; boundary=")));
        let text = String::from_utf8_lossy(&request.body);
        assert!(text.contains("name=\"file\"; filename=\"file\""), "{text}");
        assert!(request.body.windows(8).any(|w| w == &b"\x00\x01binary"[..8]), "the file's bytes are sent as they are");
        assert!(text.contains("name=\"name\"\r\n\r\nnotes.txt"), "{text}");
        assert!(text.contains("name=\"size\"\r\n\r\n8"), "{text}");
    }

    #[tokio::test]
    async fn send_a_file_part_as_it_is_read_and_only_once() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let chunks: Vec<Result<&'static [u8], std::io::Error>> = vec![Ok(b"first chunk, "), Ok(b"second chunk")];
        let file = ::multipart_bodies::stream::Upload::stream(futures_util::stream::iter(chunks));
        let body = UploadFileBody::new(file, "notes.txt");
        client.upload_file(&body).await.expect("204");
        let request = recorded(&server);
        assert_eq!(request.header("transfer-encoding"), Some("chunked"), "the form's length is not known");
        let text = String::from_utf8_lossy(&request.body);
        assert!(text.contains("filename=\"file\"\r\n\r\nfirst chunk, second chunk\r\n"), "{text}");
        match client.upload_file(&body).await {
            Err(::multipart_bodies::Error::InvalidParameter { operation: "upload_file", .. }) => {}
            other => panic!("a stream is sent once: {other:?}"),
        }
    }
}

mod success_responses {
    use super::*;
    use ::success_responses::{Client, StoreFileResponse};

    #[tokio::test]
    async fn several_statuses_become_an_enum() {
        let server =
            RecordingServer::start(vec![Reply::json(201, r#"{"id":"f1"}"#), text_reply(202, "text/plain", "queued")])
                .expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        match client.store_file("a b", "hello").await.expect("201") {
            StoreFileResponse::Created(stored) => assert_eq!(stored.id, "f1"),
            other => panic!("expected Created, got {other:?}"),
        }
        let accepted = client.store_file("a b", "hello").await.expect("202");
        assert_eq!(accepted, StoreFileResponse::Accepted("queued".to_owned()));
        let request = recorded(&server);
        assert_eq!((request.method.as_str(), request.target.as_str()), ("PUT", "/files/a%20b"));
        assert_eq!(request.body, b"hello");
    }

    #[tokio::test]
    async fn bytes_and_no_body() {
        let server = RecordingServer::start(vec![
            text_reply(200, "application/octet-stream", "raw bytes"),
            Reply::json(204, ""),
        ])
        .expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let download = client.download("f").await.expect("200");
        assert_eq!(download.to_vec().await.expect("the bytes"), b"raw bytes");
        client.delete_file("f").await.expect("204");
        assert_eq!(server.requests()[1].method, "DELETE");
    }
}

mod error_responses {
    use super::*;
    use ::error_responses::{Client, GetBookError};

    #[tokio::test]
    async fn each_documented_status_is_a_variant_and_ranges_keep_the_status() {
        let problem = r#"{"title":"no"}"#;
        let server = RecordingServer::start(vec![
            Reply::json(404, problem),
            Reply::json(410, ""),
            Reply::json(403, problem),
            Reply::json(500, problem),
        ])
        .expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        match client.get_book("1").await {
            Err(GetBookError::NotFound(problem)) => assert_eq!(problem.title, "no"),
            other => panic!("expected NotFound, got {other:?}"),
        }
        assert!(matches!(client.get_book("1").await, Err(GetBookError::Gone)));
        match client.get_book("1").await {
            Err(GetBookError::ClientError { status: 403, body }) => assert_eq!(body.title, "no"),
            other => panic!("expected ClientError, got {other:?}"),
        }
        match client.get_book("1").await {
            Err(GetBookError::OtherStatus { status: 500, body }) => assert_eq!(body.title, "no"),
            other => panic!("expected OtherStatus, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn messages_name_the_status_and_show_the_body() {
        let server = RecordingServer::start(vec![Reply::json(404, r#"{"title":"gone"}"#)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let error = client.get_book("1").await.expect_err("404");
        assert_eq!(error.to_string(), r#"404 Not Found: {"title":"gone"}"#);
    }
}

mod auth_schemes {
    use super::*;
    use ::auth_schemes::Client;

    #[tokio::test]
    async fn the_first_configured_scheme_an_operation_accepts_is_sent() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let basic = Client::builder().basic("ann", "secret").base_url(server.url()).build().expect("client");
        basic.upload_file().await.expect("204");
        let both = Client::builder().basic("ann", "secret").bearer("t").base_url(server.url()).build().expect("client");
        both.upload_file().await.expect("204");
        let requests = server.requests();
        assert_eq!(requests[0].header("authorization"), Some("Basic YW5uOnNlY3JldA=="));
        assert_eq!(requests[1].header("authorization"), Some("Bearer t"), "bearer is listed first");
    }

    #[tokio::test]
    async fn api_keys_go_in_the_query_a_cookie_or_a_header() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder()
            .query_key("q k")
            .cookie_key("c")
            .header_key("h")
            .base_url(server.url())
            .build()
            .expect("client");
        client.search().await.expect("204");
        client.session().await.expect("204");
        client.list_books().await.expect("204");
        client.health().await.expect("204");
        let requests = server.requests();
        assert_eq!(requests[0].target, "/search?api_key=q+k");
        assert_eq!(requests[1].header("cookie"), Some("token=c"));
        assert_eq!(requests[2].header("x-api-key"), Some("h"), "the document's default security");
        let health = &requests[3];
        assert_eq!((health.header("x-api-key"), health.header("cookie")), (None, None), "security: [] sends nothing");
        assert_eq!(health.target, "/health");
    }

    fn redirect_to(location: String) -> Reply {
        Reply::Status {
            status: 302,
            content_type: "text/plain",
            body: String::new(),
            headers: vec![("location".to_owned(), location)],
        }
    }

    #[tokio::test]
    async fn a_redirect_to_another_origin_is_not_followed_so_no_credential_leaves() {
        let elsewhere = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let api = RecordingServer::start(vec![redirect_to(format!("{}/collect", elsewhere.url()))]).expect("server");
        let client = Client::builder()
            .bearer("b-secret")
            .query_key("q-secret")
            .cookie_key("c-secret")
            .header_key("h-secret")
            .base_url(api.url())
            .build()
            .expect("client");
        let results = [
            client.upload_file().await.map(drop),
            client.search().await.map(drop),
            client.session().await.map(drop),
            client.list_books().await.map(drop),
        ];
        for result in results {
            // The 302 itself is the answer, with its status.
            assert!(matches!(result, Err(::auth_schemes::Error::UnexpectedStatus { status: 302, .. })), "{result:?}");
        }
        assert_eq!(api.requests().len(), 4);
        assert!(elsewhere.requests().is_empty(), "followed: {:?}", elsewhere.requests());
    }

    #[tokio::test]
    async fn a_redirect_within_the_origin_is_followed_with_the_credentials() {
        let replies = vec![redirect_to("/books/moved".to_owned()), Reply::json(204, "")];
        let api = RecordingServer::start(replies).expect("server");
        let client = Client::builder().header_key("h").base_url(api.url()).build().expect("client");
        client.list_books().await.expect("204 after the redirect");
        let requests = api.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!((requests[1].target.as_str(), requests[1].header("x-api-key")), ("/books/moved", Some("h")));
    }

    #[test]
    fn credentials_are_never_printed() {
        let builder = Client::builder().basic("ann", "secret").header_key("h-secret");
        let client = builder.base_url("http://127.0.0.1:1").build().expect("client");
        let printed = format!("{client:?}");
        assert!(!printed.contains("secret") && printed.contains("<redacted>"), "{printed}");
    }
}

mod enums {
    use super::*;
    use ::enums::{BookFormat, Client, Genre};

    #[tokio::test]
    async fn known_values_decode_to_variants_and_unknown_ones_are_kept() {
        let answer = r#"[{"title":"x","genre":"non-fiction","format":"2-in-1"},{"title":"y","genre":"cookbook"}]"#;
        let server = RecordingServer::start(vec![Reply::json(200, answer)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let books = client.list_books().await.expect("an unknown genre still decodes");
        assert_eq!((books[0].genre.clone(), books[0].format.clone()), (Genre::NonFiction, Some(BookFormat::N2In1)));
        assert_eq!(books[1].genre, Genre::Unknown("cookbook".to_owned()));
        assert_eq!(books[1].genre.as_str(), "cookbook");
        assert_eq!(serde_json::to_string(&books[1].genre).expect("serializes"), r#""cookbook""#);
        assert_eq!(serde_json::to_string(&Genre::NonFiction).expect("serializes"), r#""non-fiction""#);
    }
}

mod read_write_only {
    use super::*;
    use ::read_write_only::{Client, Loan};

    #[tokio::test]
    async fn read_only_properties_are_not_sent_and_write_only_ones_not_expected() {
        let server = RecordingServer::start(vec![Reply::json(201, r#"{"id":"L1","bookId":"B1"}"#)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let mut loan = Loan::new("B1");
        loan.pin = Some("1234".to_owned());
        let created = client.create_loan(&loan).await.expect("a response without the write-only pin decodes");
        assert_eq!(created.id.as_deref(), Some("L1"));
        assert_eq!(recorded(&server).json(), serde_json::json!({"bookId": "B1", "pin": "1234"}));
    }
}

mod all_of {
    use super::*;
    use ::all_of::Client;

    #[tokio::test]
    async fn the_parts_decode_into_one_struct() {
        let answer = r#"{"name":"Tom","lives":9,"friends":[{"name":"Jerry"}]}"#;
        let server = RecordingServer::start(vec![Reply::json(200, answer)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let cat = client.get_cat(1).await.expect("200");
        assert_eq!((cat.name.as_str(), cat.lives), ("Tom", 9));
        assert_eq!(cat.friends.expect("friends")[0].name, "Jerry");
    }
}

mod unions {
    use super::*;
    use ::unions::{Animal, Branch, Client, Leaf, Node, Pet, PlantTree200ResponseLabel};

    #[tokio::test]
    async fn a_branch_no_discriminator_value_names_is_written_but_never_read() {
        let server = RecordingServer::start(vec![
            Reply::json(200, r#"{"petType":"Cat","lives":9}"#),
            Reply::json(200, r#"{"petType":"Bird","wings":2}"#),
        ])
        .expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        assert!(matches!(client.get_animal(1).await.expect("200"), Animal::Cat(cat) if cat.lives == 9));
        // The map branch is picked by no value: a value the discriminator doesn't name is kept as sent.
        assert!(matches!(client.get_animal(2).await.expect("200"), Animal::Unknown(_)));
        let map = Animal::Map([("wings".to_owned(), serde_json::json!(2))].into());
        assert_eq!(serde_json::to_value(&map).expect("JSON"), serde_json::json!({"wings": 2}));
    }

    #[tokio::test]
    async fn a_discriminator_picks_the_variant_and_unknown_values_are_kept() {
        let server = RecordingServer::start(vec![
            Reply::json(200, r#"{"petType":"cat","lives":9}"#),
            Reply::json(200, r#"{"petType":"dog","goodBoy":true}"#),
            Reply::json(200, r#"{"petType":"axolotl","name":"Ax"}"#),
        ])
        .expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        match client.get_pet(1).await.expect("cat") {
            Pet::Cat(cat) => assert_eq!(cat.lives, 9),
            other => panic!("expected a cat, got {other:?}"),
        }
        match client.get_pet(2).await.expect("dog") {
            Pet::Dog(dog) => assert_eq!(dog.good_boy, Some(true)),
            other => panic!("expected a dog, got {other:?}"),
        }
        match client.get_pet(3).await.expect("an unknown pet still decodes") {
            Pet::Unknown(value) => assert_eq!(value["name"], "Ax"),
            other => panic!("expected Unknown, got {other:?}"),
        }
        assert_eq!(server.requests()[0].target, "/pets/1");
    }

    #[tokio::test]
    async fn recursive_untagged_and_nullable_unions_round_trip() {
        let answer =
            r#"{"tree":{"left":{"value":1},"right":{"left":{"value":2},"right":{"value":3}}},"label":7,"parent":null}"#;
        let server = RecordingServer::start(vec![Reply::json(200, answer)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let leaf = |value| Node::Leaf(Leaf::new(value));
        let tree = Node::Branch(Box::new(Branch::new(
            Box::new(leaf(1)),
            Box::new(Node::Branch(Box::new(Branch::new(Box::new(leaf(2)), Box::new(leaf(3)))))),
        )));
        let planted = client.plant_tree(&tree).await.expect("200");
        assert_eq!(planted.tree, tree);
        assert_eq!(planted.label, PlantTree200ResponseLabel::Integer(7));
        assert_eq!(planted.parent, None, "`null` in a type only read is `None`");
        assert_eq!(
            server.requests()[0].json(),
            serde_json::json!({"left":{"value":1},"right":{"left":{"value":2},"right":{"value":3}}})
        );
        // A value no variant reads is an error naming the type and the variants tried.
        let error = serde_json::from_str::<Node>(r#"{"value":"one"}"#).expect_err("no variant").to_string();
        assert_eq!(error, "the value matches no variant of `Node` (tried `Leaf`, `Branch`)");
        let label: PlantTree200ResponseLabel = serde_json::from_str(r#""seven""#).expect("the string variant");
        assert_eq!(serde_json::to_string(&label).expect("write"), r#""seven""#);
    }
}

mod collisions {
    use super::*;
    use ::collisions::{Client, Foo, FooSchema, Kind};

    #[tokio::test]
    async fn colliding_names_are_renamed_and_the_wire_names_kept() {
        // Properties named like the locals of the struct's reader, and one it doesn't name.
        let answer = r#"{"name":"x","map":"m","key":"k","extra":"e"}"#;
        let server = RecordingServer::start(vec![
            Reply::json(200, answer),
            Reply::json(200, r#"{"type":"t","self":"s","Self":"S","kind":"Unknown"}"#),
        ])
        .expect("server");
        // Schemes named like the builder's own `retry` and `http`.
        let client = Client::builder().retry2("token").http2("key").base_url(server.url()).build().expect("client");
        let mut foo = Foo::new("t");
        foo.self_ = Some("s".to_owned());
        foo.self2 = Some("S".to_owned());
        foo.kind = Some(Kind::Unknown2);
        // An operation named like the client's `authorize`, with a path and a
        // query parameter both called `id` and a query parameter `client`.
        let thing: FooSchema = client.authorize2("p/1", &foo).id2("q").client2("c").await.expect("200");
        assert_eq!(thing.name.as_deref(), Some("x"));
        assert_eq!((thing.map.as_str(), thing.key.as_deref()), ("m", Some("k")));
        assert_eq!(thing.additional_properties.get("extra").map(String::as_str), Some("e"));
        assert_eq!(
            serde_json::to_value(&thing).expect("serialize"),
            serde_json::from_str::<serde_json::Value>(answer).expect("json")
        );
        // An operation named like the crate's `Client`.
        let got: Foo = client.client().await.expect("200");
        assert_eq!(got, foo, "`self`, `Self` and the value `Unknown` decode to their own fields and variant");

        let requests = server.requests();
        assert_eq!(requests[0].target, "/things/p%2F1?id=q&client=c");
        assert_eq!(requests[0].header("authorization"), Some("Bearer token"), "the first scheme, `retry`");
        assert_eq!(requests[0].json(), serde_json::json!({"type": "t", "self": "s", "Self": "S", "kind": "Unknown"}));
        assert_eq!(Kind::Unknown("other".to_owned()).as_str(), "other");
    }
}

mod idempotency_keys {
    use super::*;
    use ::idempotency_keys::{Client, CreatePaymentBody, RetryPolicy};

    fn client(server: &RecordingServer) -> Client {
        let retry = RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5));
        Client::builder().base_url(server.url()).retry(retry).build().expect("client")
    }

    #[tokio::test]
    async fn the_client_makes_one_key_per_call_and_a_post_with_it_is_retried() {
        let created = r#"{"id":"p1"}"#;
        let replies = vec![Reply::html(502, "gateway"), Reply::json(201, created), Reply::json(201, created)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client(&server);
        client.create_payment(&CreatePaymentBody::new(100)).await.expect("retried after the 502");
        client.create_payment(&CreatePaymentBody::new(100)).await.expect("201");
        let requests = server.requests();
        assert_eq!(requests.len(), 3, "the POST was sent again after 502");
        let keys: Vec<Option<&str>> = requests.iter().map(|r| r.header("idempotency-key")).collect();
        assert!(keys[0].is_some_and(|key| key.len() == 36), "{keys:?}");
        assert_eq!(keys[0], keys[1], "a retry carries the same key");
        assert_ne!(keys[1], keys[2], "another call gets another key");
    }

    #[tokio::test]
    async fn a_key_the_caller_gives_wins() {
        let server = RecordingServer::start(vec![Reply::json(201, r#"{"id":"p1"}"#)]).expect("server");
        client(&server).create_payment(&CreatePaymentBody::new(5)).idempotency_key("order-7").await.expect("201");
        assert_eq!(recorded(&server).header("idempotency-key"), Some("order-7"));
    }
}

mod nullable_fields {
    use super::*;
    use ::nullable_fields::{BookPatch, Client};

    #[tokio::test]
    async fn optional_nullable_properties_are_left_out_sent_as_null_or_sent() {
        let answer = r#"{"title":"Dune","subtitle":null}"#;
        let server = RecordingServer::start(vec![Reply::json(200, answer)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let mut patch = BookPatch::new();
        patch.subtitle = Some(None);
        patch.pages = Some(Some(412));
        let book = client.update_book("b1", &patch).await.expect("200");
        assert_eq!(recorded(&server).json(), serde_json::json!({"subtitle": null, "pages": 412}));
        // Read back: a `null` is Some(None), an absent property None.
        assert_eq!((book.title.as_deref(), book.subtitle, book.pages), (Some("Dune"), Some(None), None));
    }

    #[tokio::test]
    async fn left_out_is_the_default() {
        let server = RecordingServer::start(vec![Reply::json(200, "{}")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.update_book("b1", &BookPatch::default()).await.expect("200");
        assert_eq!(recorded(&server).json(), serde_json::json!({}));
    }
}

mod nullable_references {
    use super::*;
    use ::nullable_references::{Client, Issue, IssueOwner, NullableUser};

    #[tokio::test]
    async fn null_decodes_wherever_a_reference_leads_to_a_nullable_schema() {
        // An unassigned issue, as GitHub sends them: `null` through a `$ref`,
        // a chain of `$ref`s, an `allOf` wrapper and a union member; `null`
        // items and map values.
        let answer = r#"{"id":7,"assignee":null,"parent":null,"closed_by":null,"owner":null,
            "milestone_owner":null,"labels":["bug",null],"reactions":{"+1":3,"eyes":null}}"#;
        let server = RecordingServer::start(vec![Reply::json(200, answer)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let issue = client.get_issue(7).await.expect("an unassigned issue decodes");
        assert_eq!((issue.assignee, issue.parent, issue.closed_by, issue.owner), (None, None, None, None));
        assert_eq!(issue.milestone_owner, Some(None), "null, not absent");
        assert_eq!(issue.labels, [Some("bug".to_owned()), None]);
        assert_eq!((issue.reactions["+1"], issue.reactions["eyes"]), (Some(3), None));
    }

    #[tokio::test]
    async fn a_type_only_read_reads_null_and_absent_alike() {
        let answers = [Reply::json(200, r#"{"id":1,"actor":null}"#), Reply::json(200, r#"{"id":2}"#)];
        let server = RecordingServer::start(answers.into()).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        for id in [1, 2] {
            let event = client.get_latest_event(7).await.expect("the event decodes");
            // `Option<NullableUser>`, not `Option<Option<…>>`: nothing sends it.
            let actor: Option<NullableUser> = event.actor;
            assert_eq!((event.id, actor), (id, None));
        }
    }

    #[tokio::test]
    async fn null_is_written_back_and_absent_stays_absent() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let owner = Some(IssueOwner::NullableUser(NullableUser::new("ann")));
        let issue = Issue::new(7, None, None, None, owner, vec![None], [("eyes".to_owned(), None)].into());
        client.replace_issue(7, &issue).await.expect("204");
        let expected = serde_json::json!({
            "id": 7, "assignee": null, "parent": null, "closed_by": null, "owner": {"login": "ann"},
            "labels": [null], "reactions": {"eyes": null}
        });
        assert_eq!(recorded(&server).json(), expected);
    }
}

mod union_best_fit {
    use super::*;
    use ::union_best_fit::{Client, EnvironmentProtectionRulesItem as Rule, MergeResultDetails as Details};

    #[tokio::test]
    async fn the_branch_naming_the_most_properties_reads_the_value_and_writes_it_back() {
        let rules = r#"[{"id":1,"type":"branch_policy"},
            {"id":2,"type":"required_reviewers","prevent_self_review":true,"reviewers":["ann"]},
            {"id":3,"type":"wait_timer","wait_timer":30}]"#;
        let answer = format!(r#"{{"name":"production","protection_rules":{rules}}}"#);
        let server = RecordingServer::start(vec![Reply::json(200, &answer)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let environment = client.get_environment("production").await.expect("200");
        let rules = &environment.protection_rules;
        assert!(matches!(&rules[0], Rule::EnvironmentProtectionRulesItem1(_)), "{:?}", rules[0]);
        assert!(
            matches!(&rules[1], Rule::EnvironmentProtectionRulesItem2(r) if r.reviewers.is_some()),
            "{:?}",
            rules[1]
        );
        assert!(
            matches!(&rules[2], Rule::EnvironmentProtectionRulesItem3(r) if r.wait_timer == Some(30)),
            "{:?}",
            rules[2]
        );
        let written = serde_json::to_value(&environment).expect("JSON");
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(&answer).expect("JSON"), "nothing lost");
    }

    #[tokio::test]
    async fn a_branch_that_allows_no_other_properties_fits_only_values_without_them() {
        let answers =
            [r#"{"details":{"message":"merged","sha":"6dcb09b"}}"#, r#"{"details":{"message":"conflict","extra":1}}"#];
        let server = RecordingServer::start(answers.iter().map(|a| Reply::json(200, a)).collect()).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let merged = client.get_merge(1).await.expect("200");
        assert!(matches!(&merged.details, Details::MergeCommit(commit) if commit.sha == "6dcb09b"), "{merged:?}");
        let conflict = client.get_merge(2).await.expect("200");
        assert!(matches!(&conflict.details, Details::MergeMessage(_)), "{conflict:?}");
        // What the open branch doesn't name is kept, and written back.
        let written = serde_json::to_value(&conflict).expect("JSON");
        assert_eq!(written, serde_json::json!({"details": {"message": "conflict", "extra": 1}}));
    }

    #[tokio::test]
    async fn a_value_that_fits_no_branch_names_the_branches_tried() {
        let server = RecordingServer::start(vec![Reply::json(200, r#"{"details":{"sha":"x"}}"#)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        match client.get_merge(1).await {
            Err(::union_best_fit::Error::Decode { source, .. }) => {
                let message = source.to_string();
                assert!(message.contains("tried `MergeMessage`, `MergeCommit`"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}

mod references {
    use super::*;
    use ::references::{Client, DiskFilesystem, DiskFilesystemKind};

    #[tokio::test]
    async fn a_percent_encoded_ref_and_a_ref_into_a_component_resolve() {
        let server = RecordingServer::start(vec![Reply::json(200, r#"{"kind":"xfs"}"#)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        // The parameter came through `#/paths/~1keys~1%7Bkey%20id%7D/get/parameters/0`.
        let copy: DiskFilesystem = client.copy_key("k 1").await.expect("200");
        // The same type as `Disk.filesystem`: the `$ref` into the component reuses it.
        assert_eq!(copy.kind, DiskFilesystemKind::Xfs);
        assert_eq!(recorded(&server).target, "/keys/k%201/copy");
    }
}

mod lenient_readings {
    use super::*;
    use ::lenient_readings::Client;

    #[tokio::test]
    async fn a_query_string_in_the_path_template_is_sent_as_query_parameters() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        client.search_articles("rust & co", "2").await.expect("204");
        client.add_note("o1").await.expect("a body without content is no body");
        let requests = server.requests();
        assert_eq!(requests[0].target, "/search/articles?query=rust+%26+co&page=2");
        assert_eq!((requests[1].target.as_str(), requests[1].body.len()), ("/orders/o1/notes", 0));
    }

    #[tokio::test]
    async fn boolean_schemas_read_as_in_openapi_3_1() {
        let answer = r#"{"id":"c1","settings":{"sync":true},"additionalProperties":1}"#;
        let server = RecordingServer::start(vec![Reply::json(200, answer)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let connection = client.get_connection("c1").await.expect("200");
        // `settings: true` is any value; `additionalProperties: false` (a
        // property the schema admits no value for) is no field at all.
        assert_eq!(connection.settings, Some(serde_json::json!({ "sync": true })));
        assert_eq!(connection.id, "c1");
    }
}

mod shared_shapes {
    use super::*;
    use ::shared_shapes::{Client, GetRepo200ResponsePermissionsContents as Access};

    #[tokio::test]
    async fn one_type_reads_every_place_that_shares_its_shape() {
        let team = r#"{"members":"write","_links":{"self":{"href":"/teams/t"}},"counter":{"href":3}}"#;
        let repo = r#"{"name":"r","permissions":{"contents":"read","issues":"admin"},"_links":{"html":{"href":"/r"}}}"#;
        let server = RecordingServer::start(vec![Reply::json(200, team), Reply::json(200, repo)]).expect("server");
        let client = Client::builder().base_url(server.url()).build().expect("client");
        let team = client.get_team("t").await.expect("200");
        assert_eq!(team.members, Some(Access::Write));
        assert_eq!(team.links.and_then(|links| links.self_).and_then(|link| link.href).as_deref(), Some("/teams/t"));
        // The differing shape kept its own type: `href` is a number there.
        assert_eq!(team.counter.and_then(|counter| counter.href), Some(3));
        let repo = client.get_repo("r").await.expect("200");
        let permissions = repo.permissions.expect("permissions");
        assert_eq!(
            (permissions.contents, permissions.issues),
            (Some(Access::Read), Some(Access::Unknown("admin".to_owned())))
        );
    }
}

mod openapi_3_2 {
    use super::*;
    use ::openapi_3_2::{BookFilter, Client, Search};

    fn client(server: &RecordingServer) -> Client {
        Client::builder().base_url(server.url()).build().expect("client")
    }

    #[tokio::test]
    async fn the_query_method_sends_its_body_and_reads_a_referenced_media_type() {
        let books = r#"[{"title":"Dune","author":null},{"title":"Emma"}]"#;
        let server = RecordingServer::start(vec![Reply::json(200, books)]).expect("server");
        let found = client(&server).search_books(&Search::new("dune")).await.expect("200");
        assert_eq!(found.iter().map(|book| book.title.as_str()).collect::<Vec<_>>(), ["Dune", "Emma"]);
        let request = recorded(&server);
        assert_eq!((request.method.as_str(), request.target.as_str()), ("QUERY", "/books"));
        assert_eq!(request.json(), serde_json::json!({"text": "dune"}));
    }

    #[tokio::test]
    async fn an_additional_operation_is_sent_with_its_own_method() {
        let server = RecordingServer::start(vec![Reply::json(204, "")]).expect("server");
        client(&server).link_books("top shelf").await.expect("204");
        let request = recorded(&server);
        assert_eq!((request.method.as_str(), request.target.as_str()), ("LINK", "/books?shelf=top+shelf"));
    }

    #[tokio::test]
    async fn a_querystring_parameter_is_the_whole_query_as_form_fields() {
        let server = RecordingServer::start(vec![Reply::json(200, "[]")]).expect("server");
        let mut filter = BookFilter::new();
        filter.author = Some("Frank Herbert".to_owned());
        filter.year = Some(1965);
        client(&server).list_books().filter(&filter).await.expect("200");
        assert_eq!(recorded(&server).target, "/books?author=Frank+Herbert&year=1965");
    }
}
