//! The generated crates' `mock` feature, used as a crate's users use it:
//! Kanuu's crate and two cases' (`path-parameters`, `error-responses`)
//! answer their client through `MockApi`, matched by body, path, query and
//! header, with documented errors, delays, failures to retry, call counts,
//! and the requests read back typed. Every case crate's own example runs
//! in `tests/cases.rs`; here, a mock answered with another operation's
//! type must not compile.

use std::process::Command;
use std::time::Duration;

use kanuu::mock::MockApi;
use kanuu::{CreateNonceError, CreateNonceRequest, ErrorMessage, Nonce, RetryPolicy, ValidationError};
use kanuu_tests::{root, scratch};

fn nonce(url: &str) -> Nonce {
    Nonce::new("d3e2c48bb1fb4badfa27fe9a03924207", url)
}

#[tokio::test]
async fn a_mock_answers_the_requests_whose_body_it_matches() {
    let api = MockApi::start().await;
    let alice = api
        .create_nonce()
        .body(&CreateNonceRequest::new("alice"))
        .expect(1)
        .respond(nonce("https://kanuu.io/manage/alice"))
        .await;
    let team = api
        .create_nonce()
        .body_matches(|body: &CreateNonceRequest| body.identifier.starts_with("team-"))
        .respond(nonce("https://kanuu.io/manage/team"))
        .await;
    let client = api.client();

    let answer = client.create_nonce(&CreateNonceRequest::new("alice")).await.unwrap();
    assert_eq!(answer.url, "https://kanuu.io/manage/alice");
    let answer = client.create_nonce(&CreateNonceRequest::new("team-7")).await.unwrap();
    assert_eq!(answer.url, "https://kanuu.io/manage/team");
    // Nothing matches: the mock server's 404, an undocumented status.
    let unmatched = client.create_nonce(&CreateNonceRequest::new("bob")).await.unwrap_err();
    assert!(
        matches!(unmatched, CreateNonceError::Other(kanuu::Error::UnexpectedStatus { status: 404, .. })),
        "{unmatched:?}"
    );

    let received = alice.received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body().unwrap().identifier, "alice");
    assert_eq!(received[0].header("authorization"), Some("Bearer mock-api-key"));
    let received = team.received().await;
    assert_eq!(received[0].body().unwrap(), CreateNonceRequest::new("team-7"));
    assert_eq!(api.received().await.len(), 3);
}

#[tokio::test]
async fn each_documented_error_arrives_as_its_variant() {
    let errors = [
        CreateNonceError::Unauthorized(ErrorMessage::new("Unauthenticated.")),
        CreateNonceError::PaymentRequired(ErrorMessage::new("Subscribe to Kanuu.")),
        CreateNonceError::UnprocessableEntity(ValidationError::new(
            "The identifier field is required.",
            Default::default(),
        )),
    ];
    for error in errors {
        let expected = format!("{error:?}");
        let api = MockApi::start().await;
        api.create_nonce().respond_error(error).await;
        let got = api.client().create_nonce(&CreateNonceRequest::new("42")).await.unwrap_err();
        assert_eq!(format!("{got:?}"), expected);
    }
    let api = MockApi::start().await;
    api.create_nonce().respond_status(500).await;
    let got = api.client().create_nonce(&CreateNonceRequest::new("42")).await.unwrap_err();
    assert!(matches!(got, CreateNonceError::Other(kanuu::Error::UnexpectedStatus { status: 500, .. })), "{got:?}");
}

#[tokio::test]
async fn failures_first_test_retries_and_a_delay_tests_timeouts() {
    let api = MockApi::start().await;
    let mock = api.create_nonce().fail_first(2, 503).expect(3).respond(nonce("https://kanuu.io/manage/42")).await;
    let retrying = RetryPolicy::default().initial_backoff(Duration::from_millis(1));
    let client = api.client_builder().retry(retrying).build().unwrap();
    let answer = client.create_nonce(&CreateNonceRequest::new("42")).await.unwrap();
    assert_eq!(answer.url, "https://kanuu.io/manage/42");
    assert_eq!(mock.received().await.len(), 3, "two failures, then the answer");

    let api = MockApi::start().await;
    api.create_nonce().delay(Duration::from_secs(5)).respond(nonce("https://kanuu.io/late")).await;
    let client = api.client_builder().timeout(Duration::from_millis(200)).no_retries().build().unwrap();
    let late = client.create_nonce(&CreateNonceRequest::new("42")).await.unwrap_err();
    assert!(matches!(late, CreateNonceError::Other(kanuu::Error::Timeout { .. })), "{late:?}");
}

#[tokio::test]
async fn a_mock_answers_as_many_times_as_it_is_told_then_the_next_one_does() {
    let api = MockApi::start().await;
    api.create_nonce().times(1).respond(nonce("https://kanuu.io/first")).await;
    api.create_nonce().respond(nonce("https://kanuu.io/later")).await;
    let client = api.client();
    let first = client.create_nonce(&CreateNonceRequest::new("42")).await.unwrap();
    let second = client.create_nonce(&CreateNonceRequest::new("42")).await.unwrap();
    assert_eq!((first.url.as_str(), second.url.as_str()), ("https://kanuu.io/first", "https://kanuu.io/later"));
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn an_expected_call_that_never_comes_fails_the_test() {
    let api = MockApi::start().await;
    api.create_nonce().expect(1).respond(nonce("https://kanuu.io/never")).await;
    drop(api);
}

#[tokio::test]
async fn path_and_query_parameters_are_matched_decoded() {
    use path_parameters::mock::MockApi;
    let api = MockApi::start().await;
    // The document's server is `https://eu.library.example/v1`: the mock's client keeps `/v1`.
    let book = api.get_book().path_param("bookId", "isbn/978 0").respond("Dune".to_owned()).await;
    api.get_shelf_book().path_param("shelf", "sci-fi").path_param("position", 3).respond("Solaris".to_owned()).await;
    let client = api.client();
    assert_eq!(client.get_book("isbn/978 0").await.unwrap(), "Dune");
    assert_eq!(client.get_shelf_book("sci-fi", 3).await.unwrap(), "Solaris");
    assert!(client.get_shelf_book("sci-fi", 4).await.is_err(), "another position is not matched");
    let received = book.received().await;
    assert_eq!(received[0].request.url.path(), "/v1/books/isbn%2F978%200");
}

#[tokio::test]
async fn ranges_and_defaults_are_answered_with_their_own_status() {
    use error_responses::mock::MockApi;
    use error_responses::{GetBookError, Problem};
    let api = MockApi::start().await;
    let problem = Problem::new("Teapot");
    api.get_book().respond_error(GetBookError::ClientError { status: 418, body: problem.clone() }).await;
    let got = api.client().get_book("1").await.unwrap_err();
    assert!(matches!(got, GetBookError::ClientError { status: 418, ref body } if *body == problem), "{got:?}");
}

/// What a user's test can't do: answer an operation with another's type.
#[test]
fn a_mock_takes_only_its_own_operation_s_types() {
    let dir = scratch("mock-types");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"wrong-type\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nkanuu = {{ path = {:?}, features = [\"mock\"] }}\n\n[workspace]\n",
        root().join("generated/rust").display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let _ = std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"));
    let check = |body: &str| {
        std::fs::write(
            dir.join("src/lib.rs"),
            format!("pub async fn answer(api: &kanuu::mock::MockApi) {{\n    {body}\n}}\n"),
        )
        .unwrap();
        Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--offline"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", root().join("target/mock-types"))
            .output()
            .expect("cargo runs")
    };
    let right = check("api.create_nonce().respond(kanuu::Nonce::new(\"n\", \"u\")).await;");
    assert!(right.status.success(), "{}", String::from_utf8_lossy(&right.stderr));
    let wrong = check("api.create_nonce().respond(kanuu::ErrorMessage::new(\"no\")).await;");
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("E0308") && stderr.contains("expected `Nonce`"), "{stderr}");
    let wrong_error = check("api.create_nonce().respond_error(kanuu::Error::Config(\"x\".into())).await;");
    assert!(!wrong_error.status.success());
}
