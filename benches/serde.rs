//! What the written-out serde impls of the generated structs cost at run
//! time, against serde's derive on the same struct: reading and writing a
//! list of 100 users shaped like GitHub's `simple-user` (20 properties,
//! 9 of them optional, one nullable), as its list endpoints return them.
//!
//!     cargo bench --bench serde
//!
//! `Written` is what kanuu-codegen emits (`rust/types.rs`), calling the
//! runtime's `object.rs`; `Derived` is what it emitted before. Timing
//! figures are for BENCHMARKS.md only; nothing here asserts on time.

#[path = "../generator/runtime/object.rs"]
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

/// The same struct as kanuu-codegen writes it now.
#[derive(Debug, Clone, PartialEq)]
struct Written {
    login: String,
    id: i64,
    node_id: String,
    avatar_url: String,
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
    r#type: String,
    site_admin: bool,
    name: Option<String>,
    email: Option<String>,
}

impl serde::Serialize for Written {
    fn serialize<S: serde::Serializer>(&self, output: S) -> Result<S::Ok, S::Error> {
        let mut object = object::Writer::new(output);
        object.field("login", &self.login);
        object.field("id", &self.id);
        object.field("node_id", &self.node_id);
        object.field("avatar_url", &self.avatar_url);
        object.optional("gravatar_id", &self.gravatar_id);
        object.field("url", &self.url);
        object.field("html_url", &self.html_url);
        object.field("followers_url", &self.followers_url);
        object.field("following_url", &self.following_url);
        object.field("gists_url", &self.gists_url);
        object.field("starred_url", &self.starred_url);
        object.field("subscriptions_url", &self.subscriptions_url);
        object.field("organizations_url", &self.organizations_url);
        object.field("repos_url", &self.repos_url);
        object.field("events_url", &self.events_url);
        object.field("received_events_url", &self.received_events_url);
        object.field("type", &self.r#type);
        object.field("site_admin", &self.site_admin);
        object.optional("name", &self.name);
        object.optional("email", &self.email);
        object.end()
    }
}

impl<'de> serde::Deserialize<'de> for Written {
    fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
        object::deserialize(input)
    }
}

impl object::Object for Written {
    const EXPECTING: &'static str = "a `Written` object";

    fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut login: Option<String> = None;
        let mut id: Option<i64> = None;
        let mut node_id: Option<String> = None;
        let mut avatar_url: Option<String> = None;
        let mut gravatar_id: Option<Option<String>> = None;
        let mut url: Option<String> = None;
        let mut html_url: Option<String> = None;
        let mut followers_url: Option<String> = None;
        let mut following_url: Option<String> = None;
        let mut gists_url: Option<String> = None;
        let mut starred_url: Option<String> = None;
        let mut subscriptions_url: Option<String> = None;
        let mut organizations_url: Option<String> = None;
        let mut repos_url: Option<String> = None;
        let mut events_url: Option<String> = None;
        let mut received_events_url: Option<String> = None;
        let mut r#type: Option<String> = None;
        let mut site_admin: Option<bool> = None;
        let mut name: Option<String> = None;
        let mut email: Option<String> = None;
        while let Some(key) = map.next_key::<object::Key>()? {
            match key.as_str() {
                "login" => object::value(&mut map, &mut login),
                "id" => object::value(&mut map, &mut id),
                "node_id" => object::value(&mut map, &mut node_id),
                "avatar_url" => object::value(&mut map, &mut avatar_url),
                "gravatar_id" => object::value(&mut map, &mut gravatar_id),
                "url" => object::value(&mut map, &mut url),
                "html_url" => object::value(&mut map, &mut html_url),
                "followers_url" => object::value(&mut map, &mut followers_url),
                "following_url" => object::value(&mut map, &mut following_url),
                "gists_url" => object::value(&mut map, &mut gists_url),
                "starred_url" => object::value(&mut map, &mut starred_url),
                "subscriptions_url" => object::value(&mut map, &mut subscriptions_url),
                "organizations_url" => object::value(&mut map, &mut organizations_url),
                "repos_url" => object::value(&mut map, &mut repos_url),
                "events_url" => object::value(&mut map, &mut events_url),
                "received_events_url" => object::value(&mut map, &mut received_events_url),
                "type" => object::value(&mut map, &mut r#type),
                "site_admin" => object::value(&mut map, &mut site_admin),
                "name" => object::optional(&mut map, &mut name),
                "email" => object::optional(&mut map, &mut email),
                _ => object::skip(&mut map),
            }?;
        }
        Ok(Self {
            login: object::required(login, "login")?,
            id: object::required(id, "id")?,
            node_id: object::required(node_id, "node_id")?,
            avatar_url: object::required(avatar_url, "avatar_url")?,
            gravatar_id,
            url: object::required(url, "url")?,
            html_url: object::required(html_url, "html_url")?,
            followers_url: object::required(followers_url, "followers_url")?,
            following_url: object::required(following_url, "following_url")?,
            gists_url: object::required(gists_url, "gists_url")?,
            starred_url: object::required(starred_url, "starred_url")?,
            subscriptions_url: object::required(subscriptions_url, "subscriptions_url")?,
            organizations_url: object::required(organizations_url, "organizations_url")?,
            repos_url: object::required(repos_url, "repos_url")?,
            events_url: object::required(events_url, "events_url")?,
            received_events_url: object::required(received_events_url, "received_events_url")?,
            r#type: object::required(r#type, "type")?,
            site_admin: object::required(site_admin, "site_admin")?,
            name,
            email,
        })
    }
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
