//! Lists read to their end through `pages()` and `items()`, against a
//! loopback server that pages: one module per way a document declares
//! paging, each with the stop rules (a short, empty or repeated page, no
//! next page, an error on a later page).

use futures_util::{StreamExt, TryStreamExt};
use kanuu_tests::{RecordingServer, Reply};

/// A JSON page, with a `Link` header naming the next one when there is one.
fn page(body: &str, next: Option<&str>) -> Reply {
    let headers =
        next.map(|next| vec![("Link".to_owned(), format!("<{next}>; rel=\"next\", </first>; rel=\"first\""))]);
    Reply::Status {
        status: 200,
        content_type: "application/json",
        body: body.to_owned(),
        headers: headers.unwrap_or_default(),
    }
}

/// The request targets the server saw, in order.
fn targets(server: &RecordingServer) -> Vec<String> {
    server.requests().into_iter().map(|request| request.target).collect()
}

mod link_header {
    use super::*;
    use ::paging_link_header::{Client, Error, Pet};

    fn pets(ids: &[i64]) -> String {
        let pets: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":{id},"name":"pet {id}"}}"#)).collect();
        format!("[{}]", pets.join(","))
    }

    fn client(server: &RecordingServer) -> Client {
        Client::builder().base_url(server.url()).no_retries().build().expect("client")
    }

    #[tokio::test]
    async fn items_follow_the_next_link_with_the_callers_parameters_to_a_short_page() {
        let replies = vec![
            page(&pets(&[1, 2]), Some("/pets?species=cat&per_page=2&page=2")),
            page(&pets(&[3, 4]), Some("/pets?species=cat&per_page=2&page=3")),
            page(&pets(&[5]), Some("/pets?species=cat&per_page=2&page=4")),
        ];
        let server = RecordingServer::start(replies).expect("server");
        let client = client(&server);
        let items = client.list_pets().species("cat").per_page(2).items();
        let pets: Vec<Pet> = items.try_collect().await.expect("every page");
        assert_eq!(pets.iter().map(|pet| pet.id).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        // The third page is shorter than the 2 asked for: its next link is not followed.
        let expected = [
            "/pets?species=cat&per_page=2",
            "/pets?species=cat&per_page=2&page=2",
            "/pets?species=cat&per_page=2&page=3",
        ];
        assert_eq!(targets(&server), expected);
    }

    #[tokio::test]
    async fn the_next_link_is_found_among_others_whatever_their_order_and_quoting() {
        let link = r#"</pets?page=1>; rel="first"; title="a, b", </pets?page=2>; REL="prev next""#;
        let headers = vec![("Link".to_owned(), link.to_owned())];
        let first = Reply::Status { status: 200, content_type: "application/json", body: pets(&[1, 2]), headers };
        let server = RecordingServer::start(vec![first, page(&pets(&[3]), None)]).expect("server");
        let pets: Vec<Pet> = client(&server).list_pets().per_page(2).items().try_collect().await.expect("items");
        assert_eq!(pets.len(), 3);
        assert_eq!(targets(&server), ["/pets?per_page=2", "/pets?page=2"]);
    }

    #[tokio::test]
    async fn pages_keep_their_status_and_headers_and_end_without_a_next_link() {
        let replies = vec![page(&pets(&[1, 2]), Some("/pets?page=2")), page(&pets(&[3, 4]), None)];
        let server = RecordingServer::start(replies).expect("server");
        let pages: Vec<_> = client(&server).list_pets().per_page(2).pages().try_collect().await.expect("pages");
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].status, 200);
        assert!(pages[0].header("link").is_some_and(|link| link.contains("page=2")));
        assert_eq!(pages[1].value.len(), 2);
        assert_eq!(server.requests().len(), 2);
    }

    #[tokio::test]
    async fn a_next_link_that_repeats_ends_the_list() {
        // A server bug: every page names page 2 as the next.
        let server = RecordingServer::start(vec![page(&pets(&[1, 2]), Some("/pets?page=2"))]).expect("server");
        let pets: Vec<Pet> = client(&server).list_pets().per_page(2).items().try_collect().await.expect("items");
        assert_eq!(pets.len(), 4, "page 1, and page 2 once");
        assert_eq!(server.requests().len(), 2);
    }

    #[tokio::test]
    async fn an_error_on_the_third_page_ends_the_stream_with_it_after_the_items_before() {
        let replies = vec![
            page(&pets(&[1, 2]), Some("/pets?page=2")),
            page(&pets(&[3, 4]), Some("/pets?page=3")),
            Reply::json(404, r#"{"message":"gone"}"#),
        ];
        let server = RecordingServer::start(replies).expect("server");
        let results: Vec<Result<Pet, Error>> = client(&server).list_pets().per_page(2).items().collect().await;
        assert_eq!(results.len(), 5, "{results:?}");
        assert!(results[..4].iter().all(Result::is_ok));
        assert!(matches!(results[4], Err(Error::UnexpectedStatus { status: 404, .. })), "{:?}", results[4]);
        assert_eq!(server.requests().len(), 3);
    }

    #[tokio::test]
    async fn each_page_is_retried_by_the_clients_policy() {
        let replies = vec![page(&pets(&[1, 2]), Some("/pets?page=2")), Reply::json(503, "{}"), page(&pets(&[3]), None)];
        let server = RecordingServer::start(replies).expect("server");
        let retry = ::paging_link_header::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(1));
        let client = Client::builder().base_url(server.url()).retry(retry).build().expect("client");
        let pets: Vec<Pet> = client.list_pets().per_page(2).items().try_collect().await.expect("items");
        assert_eq!(pets.len(), 3);
        assert_eq!(targets(&server)[1..], ["/pets?page=2", "/pets?page=2"]);
    }

    #[tokio::test]
    async fn a_page_shorter_than_the_documented_default_size_is_the_last() {
        // `per_page` defaults to 30: a page of 2 is the last, whatever its link says.
        let server = RecordingServer::start(vec![page(&pets(&[1, 2]), Some("/pets?page=2"))]).expect("server");
        let pets: Vec<Pet> = client(&server).list_pets().items().try_collect().await.expect("items");
        assert_eq!(pets.len(), 2);
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn an_empty_page_ends_the_list() {
        let replies = vec![page(&pets(&[1, 2]), Some("/pets?page=2")), page("[]", Some("/pets?page=3"))];
        let server = RecordingServer::start(replies).expect("server");
        let pets: Vec<Pet> = client(&server).list_pets().per_page(2).items().try_collect().await.expect("items");
        assert_eq!(pets.len(), 2);
        assert_eq!(server.requests().len(), 2);
    }

    #[tokio::test]
    async fn a_next_link_at_another_origin_is_not_sent_the_credentials() {
        let server = RecordingServer::start(vec![page(&pets(&[1, 2]), Some("https://elsewhere.example/pets?page=2"))])
            .expect("server");
        let results: Vec<Result<Pet, Error>> = client(&server).list_pets().per_page(2).items().collect().await;
        assert_eq!(results.len(), 3);
        assert!(matches!(&results[2], Err(Error::NextPage { url, .. }) if url.starts_with("https://elsewhere")));
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn a_wrapper_objects_one_array_holds_the_items() {
        let body = |ids: &[i64]| format!(r#"{{"total_count":3,"pets":{}}}"#, pets(ids));
        let replies = vec![page(&body(&[1, 2]), Some("/owners/ann/pets?page=2")), page(&body(&[3]), None)];
        let server = RecordingServer::start(replies).expect("server");
        let pets: Vec<Pet> = client(&server).list_owner_pets("ann").items().try_collect().await.expect("items");
        assert_eq!(pets.iter().map(|pet| pet.id).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[tokio::test]
    async fn nothing_is_sent_until_the_stream_is_polled() {
        let server = RecordingServer::start(vec![page("[]", None)]).expect("server");
        let client = client(&server);
        let mut items = client.list_pets().items();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(server.requests().is_empty());
        assert!(items.next().await.is_none());
        assert_eq!(server.requests().len(), 1);
    }
}

/// A client of `$crate` for the server, without retries.
macro_rules! client_of {
    ($crate_name:ident, $server:expr) => {
        ::$crate_name::Client::builder().base_url($server.url()).no_retries().build().expect("client")
    };
}

mod speakeasy {
    use super::*;

    #[tokio::test]
    async fn an_offset_moves_by_the_items_read_to_a_page_shorter_than_the_limit() {
        let orders = |ids: &[i64]| {
            let orders: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":{id}}}"#)).collect();
            format!(r#"{{"data":[{}]}}"#, orders.join(","))
        };
        let replies = vec![page(&orders(&[1, 2, 3]), None), page(&orders(&[4, 5, 6]), None), page(&orders(&[7]), None)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_speakeasy, server);
        let orders: Vec<_> = client.list_orders().status("open").items().try_collect().await.expect("items");
        assert_eq!(orders.iter().map(|order| order.id).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
        // `limit` defaults to 3: the page of 1 is the last.
        assert_eq!(
            targets(&server),
            ["/orders?status=open", "/orders?status=open&offset=3", "/orders?status=open&offset=6"]
        );
    }

    #[tokio::test]
    async fn a_page_number_counts_up_to_an_empty_page() {
        let products = |skus: &[&str]| {
            let products: Vec<String> = skus.iter().map(|sku| format!(r#"{{"sku":"{sku}"}}"#)).collect();
            format!("[{}]", products.join(","))
        };
        let replies = vec![page(&products(&["a", "b"]), None), page(&products(&["c"]), None), page("[]", None)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_speakeasy, server);
        let products: Vec<_> = client.list_products().items().try_collect().await.expect("items");
        assert_eq!(products.len(), 3);
        assert_eq!(targets(&server), ["/products", "/products?page=2", "/products?page=3"]);
    }

    #[tokio::test]
    async fn a_cursor_from_the_last_item_is_sent_back_until_a_page_repeats() {
        let events = |ids: &[i64]| {
            let events: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":{id},"kind":"k"}}"#)).collect();
            format!(r#"{{"events":[{}]}}"#, events.join(","))
        };
        // The server ignores the cursor after the second page: it sends the same page again.
        let replies = vec![page(&events(&[1, 2]), None), page(&events(&[3, 4]), None)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_speakeasy, server);
        let events: Vec<_> = client.list_events().items().try_collect().await.expect("items");
        assert_eq!(events.iter().map(|event| event.id).collect::<Vec<_>>(), [1, 2, 3, 4, 3, 4]);
        assert_eq!(targets(&server), ["/events", "/events?after=2", "/events?after=4"]);
    }

    #[tokio::test]
    async fn a_next_url_in_the_body_is_followed_until_it_is_null() {
        let replies = vec![
            page(r#"{"lines":["a","b"],"next":"/logs?cursor=2"}"#, None),
            page(r#"{"lines":["c"],"next":null}"#, None),
        ];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_speakeasy, server);
        let lines: Vec<String> = client.list_logs().items().try_collect().await.expect("items");
        assert_eq!(lines, ["a", "b", "c"]);
        assert_eq!(targets(&server), ["/logs", "/logs?cursor=2"]);
    }
}

mod fern {
    use super::*;

    #[tokio::test]
    async fn a_nested_next_cursor_is_sent_as_the_cursor_parameter() {
        let replies = vec![
            page(r#"{"data":[{"id":"a"}],"meta":{"next_cursor":"c2"}}"#, None),
            page(r#"{"data":[{"id":"b"}],"meta":{"next_cursor":null}}"#, None),
        ];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_fern, server);
        let contacts: Vec<_> = client.list_contacts().items().try_collect().await.expect("items");
        assert_eq!(contacts.iter().map(|contact| contact.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(targets(&server), ["/contacts", "/contacts?starting_after=c2"]);
    }

    #[tokio::test]
    async fn true_takes_the_documents_declaration() {
        let replies = vec![page(r#"{"data":[{"id":"a"}],"next_cursor":"n"}"#, None), page(r#"{"data":[]}"#, None)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_fern, server);
        let companies: Vec<_> = client.list_companies().items().try_collect().await.expect("items");
        assert_eq!(companies.len(), 1);
        assert_eq!(targets(&server), ["/companies", "/companies?starting_after=n"]);
    }

    #[tokio::test]
    async fn an_offset_with_a_step_moves_by_the_page_size() {
        let replies = vec![page(r#"{"tasks":["a","b"]}"#, None), page(r#"{"tasks":["c"]}"#, None)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_fern, server);
        let tasks: Vec<String> = client.list_tasks().items().try_collect().await.expect("items");
        assert_eq!(tasks, ["a", "b", "c"]);
        assert_eq!(targets(&server), ["/tasks", "/tasks?offset=2"]);
    }

    #[tokio::test]
    async fn an_offset_without_a_step_counts_pages_from_the_documented_first() {
        let replies =
            vec![page(r#"{"deals":["a"]}"#, None), page(r#"{"deals":["b"]}"#, None), page(r#"{"deals":[]}"#, None)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_fern, server);
        let deals: Vec<String> = client.list_deals().items().try_collect().await.expect("items");
        assert_eq!(deals, ["a", "b"]);
        // `page` defaults to 0, so the second page is 1.
        assert_eq!(targets(&server), ["/deals", "/deals?page=1", "/deals?page=2"]);
    }

    #[tokio::test]
    async fn a_next_uri_is_followed() {
        let replies =
            vec![page(r#"{"notes":["a"],"links":{"next":"/notes?p=2"}}"#, None), page(r#"{"notes":["b"]}"#, None)];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_fern, server);
        let notes: Vec<String> = client.list_notes().items().try_collect().await.expect("items");
        assert_eq!(notes, ["a", "b"]);
        assert_eq!(targets(&server), ["/notes", "/notes?p=2"]);
    }
}

mod ms_pageable {
    use super::*;

    #[tokio::test]
    async fn the_next_link_is_fetched_as_it_is_named() {
        let replies = vec![
            page(r#"{"value":[{"name":"a"}],"nextLink":"/vaults?api-version=2024-01-01&$skiptoken=x"}"#, None),
            page(r#"{"value":[{"name":"b"}]}"#, None),
        ];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_ms_pageable, server);
        let vaults: Vec<_> = client.vaults_list("2024-01-01").items().try_collect().await.expect("items");
        assert_eq!(vaults.iter().map(|vault| vault.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(targets(&server), ["/vaults?api-version=2024-01-01", "/vaults?api-version=2024-01-01&$skiptoken=x"]);
    }

    #[tokio::test]
    async fn the_page_after_a_post_is_a_get_without_a_body() {
        let replies = vec![
            page(r#"{"users":["a"],"@odata.nextLink":"/users/query?$skip=1"}"#, None),
            page(r#"{"users":["b"],"@odata.nextLink":null}"#, None),
        ];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_ms_pageable, server);
        let mut body = ::paging_ms_pageable::UsersQueryBody::new();
        body.filter = Some("active".into());
        let users: Vec<String> = client.users_query(&body).items().try_collect().await.expect("items");
        assert_eq!(users, ["a", "b"]);
        let requests = server.requests();
        assert_eq!((requests[0].method.as_str(), requests[1].method.as_str()), ("POST", "GET"));
        assert_eq!(requests[0].json(), serde_json::json!({"filter": "active"}));
        assert!(requests[1].body.is_empty() && requests[1].header("content-type").is_none());
    }
}

mod dropshot {
    use super::*;

    #[tokio::test]
    async fn a_later_page_is_asked_for_by_its_token_and_limit_alone() {
        let replies = vec![
            page(r#"{"items":[{"name":"a"},{"name":"b"}],"next_page":"t1"}"#, None),
            page(r#"{"items":[{"name":"c"}],"next_page":null}"#, None),
        ];
        let server = RecordingServer::start(replies).expect("server");
        let client = client_of!(paging_dropshot, server);
        let instances: Vec<_> =
            client.instance_list().project("p").sort_by("name").limit(2).items().try_collect().await.expect("items");
        assert_eq!(instances.len(), 3);
        assert_eq!(targets(&server), ["/instances?project=p&sort_by=name&limit=2", "/instances?limit=2&page_token=t1"]);
    }
}
