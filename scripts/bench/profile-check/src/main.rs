//! `profile-check CRATE PROFILE_STEM`: the self time of every rustc query
//! in a `-Z self-profile=… -Z self-profile-events=default,args` profile,
//! charged to the item of crate `CRATE` the query ran for (or, for queries
//! about no item, such as a trait obligation, to the item whose query
//! asked), grouped by the item's kind: `types: Deserialize::visit_map`,
//! `requests: send_with_response`… Prints the kinds by time, most first.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use analyzeme::ProfilingData;

/// The kind of item a query key names, e.g.
/// `github_client::types::_[159]::{{impl}}::deserialize::{{impl}}[2]::visit_map`
/// → `types: deserialize::visit_map`; `None` for keys that name no item of
/// the crate.
fn item_kind(crate_name: &str, key: &str) -> Option<String> {
    let path = key.strip_prefix(crate_name)?.strip_prefix("::")?;
    let segments: Vec<&str> = path.split("::").map(|segment| segment.split('[').next().unwrap_or(segment)).collect();
    let module = segments.first()?;
    // The functions checked: the named segments after the first impl
    // (`{{impl}}`) or anonymous block (`_`, serde's derives); before it
    // come modules, such as a tag's `types::issues`.
    let first_impl = segments.iter().position(|segment| segment.starts_with('{') || *segment == "_");
    let named: Vec<&str> = match first_impl {
        Some(start) => segments[start..]
            .iter()
            .copied()
            .filter(|segment| segment.starts_with(|c: char| c.is_ascii_lowercase()))
            .take(2)
            .collect(),
        None => segments.last().copied().into_iter().collect(),
    };
    let closure = if path.contains("{{closure}}") { " (closure)" } else { "" };
    Some(format!("{module}: {}{closure}", if named.is_empty() { "(item)".to_owned() } else { named.join("::") }))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(crate_name), Some(stem)) = (args.next(), args.next()) else {
        eprintln!("usage: profile-check CRATE_NAME PROFILE_STEM");
        std::process::exit(2);
    };
    let data = ProfilingData::new(Path::new(&stem)).unwrap_or_else(|error| {
        eprintln!("{stem}: {error}");
        std::process::exit(1);
    });
    let events: Vec<_> = data.iter_full().collect();
    // Walk backwards: an interval event is recorded when it ends, so a
    // parent comes before its children and a stack per thread finds it.
    let mut self_time: Vec<Duration> = vec![Duration::ZERO; events.len()];
    let mut owner: Vec<Option<String>> = vec![None; events.len()];
    let mut stacks: HashMap<u32, Vec<usize>> = HashMap::new();
    for (index, event) in events.iter().enumerate().rev() {
        let Some(duration) = event.duration() else { continue };
        let stack = stacks.entry(event.thread_id).or_default();
        while let Some(&top) = stack.last() {
            if events[top].contains(event) {
                break;
            }
            stack.pop();
        }
        let parent = stack.last().copied();
        if let Some(parent) = parent {
            self_time[parent] = self_time[parent].saturating_sub(duration);
        }
        self_time[index] += duration;
        let key = event.additional_data.first().map(|key| key.as_ref()).unwrap_or("");
        owner[index] = item_kind(&crate_name, key).or_else(|| parent.and_then(|parent| owner[parent].clone()));
        stack.push(index);
    }
    let mut by_kind: HashMap<String, Duration> = HashMap::new();
    let mut total = Duration::ZERO;
    for (index, event) in events.iter().enumerate() {
        if event.duration().is_none() {
            continue;
        }
        total += self_time[index];
        let kind = owner[index].clone().unwrap_or_else(|| format!("(crate-wide) {}", event.label));
        *by_kind.entry(kind).or_default() += self_time[index];
    }
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1));
    println!("{:>8}  {:>5}  item kind (all queries' self time)", "seconds", "share");
    for (kind, time) in kinds.iter().take(40) {
        let share = 100.0 * time.as_secs_f64() / total.as_secs_f64();
        println!("{:>8.2}  {share:>4.1}%  {kind}", time.as_secs_f64());
    }
    println!("{:>8.2}  100.0%  total", total.as_secs_f64());
}
