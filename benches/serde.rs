//! What the written-out serde impls of the generated structs cost at run
//! time, against serde's derive on the same struct: reading and writing a
//! list of 100 users shaped like GitHub's `simple-user` (20 properties,
//! 9 of them optional, one nullable), as its list endpoints return them.
//!
//!     cargo bench --bench serde
//!
//! `Written` is what kanuu-codegen emits (`rust/types.rs`): the runtime's
//! `json_object!` (`object.rs`); `Derived` is what it emitted before. Timing
//! figures are for BENCHMARKS.md only; nothing here asserts on time.

#[path = "../generator/runtime/object.rs"]
#[rustfmt::skip]
#[macro_use]
mod object;

use std::hint::black_box;

use criterion::Criterion;

/// The struct as kanuu-codegen wrote it before: serde's derive.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Derived {
    login: String,
    id: i64,
    node_id: String,
    avatar_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "nullable")]
    gravatar_id: Option<Option<String>>,
    url: String,
    html_url: String,
    followers_url: String,
    following_url: String,
    gists_url: String,
    starred_url: String,
    subscriptions_url: String,
    organizations_url: String,
    repos_url: String,
    events_url: String,
    received_events_url: String,
    #[serde(rename = "type")]
    r#type: String,
    site_admin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

/// What the derived structs' optional nullable fields read through: `null` is `Some(None)`.
fn nullable<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    input: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(input).map(Some)
}

json_object! {
    /// The same struct as kanuu-codegen declares it now.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Written {
        #[json("login", required)]
        pub login: String,
        #[json("id", required)]
        pub id: i64,
        #[json("node_id", required)]
        pub node_id: String,
        #[json("avatar_url", required)]
        pub avatar_url: String,
        #[json("gravatar_id", optional_nullable)]
        pub gravatar_id: Option<Option<String>>,
        #[json("url", required)]
        pub url: String,
        #[json("html_url", required)]
        pub html_url: String,
        #[json("followers_url", required)]
        pub followers_url: String,
        #[json("following_url", required)]
        pub following_url: String,
        #[json("gists_url", required)]
        pub gists_url: String,
        #[json("starred_url", required)]
        pub starred_url: String,
        #[json("subscriptions_url", required)]
        pub subscriptions_url: String,
        #[json("organizations_url", required)]
        pub organizations_url: String,
        #[json("repos_url", required)]
        pub repos_url: String,
        #[json("events_url", required)]
        pub events_url: String,
        #[json("received_events_url", required)]
        pub received_events_url: String,
        #[json("type", required)]
        pub r#type: String,
        #[json("site_admin", required)]
        pub site_admin: bool,
        #[json("name", optional)]
        pub name: Option<String>,
        #[json("email", optional)]
        pub email: Option<String>,
    }

    pub fn new(
        login: impl Into<String>,
        id: i64,
        node_id: impl Into<String>,
        avatar_url: impl Into<String>,
        url: impl Into<String>,
        html_url: impl Into<String>,
        followers_url: impl Into<String>,
        following_url: impl Into<String>,
        gists_url: impl Into<String>,
        starred_url: impl Into<String>,
        subscriptions_url: impl Into<String>,
        organizations_url: impl Into<String>,
        repos_url: impl Into<String>,
        events_url: impl Into<String>,
        received_events_url: impl Into<String>,
        r#type: impl Into<String>,
        site_admin: bool,
    ) -> Self;
}

/// 100 users as GitHub's list endpoints send them (with properties the
/// structs don't name, as real answers have).
fn users() -> Vec<u8> {
    let users: Vec<serde_json::Value> = (0..100)
        .map(|n| {
            let login = format!("user{n}");
            let api = format!("https://api.github.com/users/{login}");
            serde_json::json!({
                "login": login, "id": 1000 + n, "node_id": format!("MDQ6VXNlcj{n}"),
                "avatar_url": format!("https://avatars.githubusercontent.com/u/{n}?v=4"),
                "gravatar_id": if n % 2 == 0 { serde_json::Value::Null } else { "".into() },
                "url": api, "html_url": format!("https://github.com/{login}"),
                "followers_url": format!("{api}/followers"), "following_url": format!("{api}/following{{/other_user}}"),
                "gists_url": format!("{api}/gists{{/gist_id}}"), "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
                "subscriptions_url": format!("{api}/subscriptions"), "organizations_url": format!("{api}/orgs"),
                "repos_url": format!("{api}/repos"), "events_url": format!("{api}/events{{/privacy}}"),
                "received_events_url": format!("{api}/received_events"), "type": "User",
                "user_view_type": "public", "site_admin": false,
                "name": if n % 3 == 0 { serde_json::Value::Null } else { format!("User {n}").into() },
            })
        })
        .collect();
    serde_json::to_vec(&users).expect("json")
}

fn main() {
    let json = users();
    let derived: Vec<Derived> = serde_json::from_slice(&json).expect("derived reads it");
    let written: Vec<Written> = serde_json::from_slice(&json).expect("written-out reads it");
    // The same values, and the same JSON back.
    assert_eq!(serde_json::to_value(&derived).expect("write"), serde_json::to_value(&written).expect("write"));
    assert_eq!(derived[0].gravatar_id, Some(None));
    assert_eq!(written[0].gravatar_id, Some(None));

    let mut criterion = Criterion::default().configure_from_args();
    let mut read = criterion.benchmark_group("read 100 users");
    read.bench_function("derived", |b| b.iter(|| serde_json::from_slice::<Vec<Derived>>(black_box(&json))));
    read.bench_function("written out", |b| b.iter(|| serde_json::from_slice::<Vec<Written>>(black_box(&json))));
    read.finish();
    let mut write = criterion.benchmark_group("write 100 users");
    write.bench_function("derived", |b| b.iter(|| serde_json::to_vec(black_box(&derived))));
    write.bench_function("written out", |b| b.iter(|| serde_json::to_vec(black_box(&written))));
    write.finish();
    criterion.final_summary();
}
