//! How a list operation pages, from what the document declares: one of
//! the vendors' extensions (`x-speakeasy-pagination`, `x-fern-pagination`,
//! `x-ms-pageable`, `x-dropshot-pagination`), else a `Link` header on its
//! success response. Pagination is read, never guessed from parameter
//! names alone: a declaration that can't be honoured is a warning with its
//! pointer, and the operation stays a plain one.

use serde_json::Value;

use super::Lowerer;
use crate::error::pointer_join;
use crate::ir::*;

/// Query parameters that cap a page's length, in the order they are looked for.
const LIMIT_PARAMETERS: &[&str] = &["per_page", "page_size", "pageSize", "limit", "size", "count"];

/// Query parameters that say which page, one of which a list paged by its
/// `Link` header has (a single resource may send `Link` too).
const PAGE_PARAMETERS: &[&str] =
    &["page", "per_page", "page_size", "pageSize", "limit", "cursor", "before", "after", "since", "offset"];

impl Lowerer<'_> {
    /// How `operation` pages, if it does.
    pub(super) fn paging(&mut self, op: &openapiv3::Operation, operation: &Operation) -> Option<Paging> {
        let declarations = ["x-speakeasy-pagination", "x-fern-pagination", "x-ms-pageable", "x-dropshot-pagination"];
        let Some((key, value)) = declarations.iter().find_map(|key| op.extensions.get(*key).map(|v| (*key, v))) else {
            return self.link_header_paging(operation);
        };
        let read = match key {
            "x-speakeasy-pagination" => self.speakeasy(value, operation),
            "x-fern-pagination" => self.fern(value, operation),
            "x-ms-pageable" => self.ms_pageable(value, operation),
            _ => self.dropshot(operation),
        };
        match read {
            Ok(paging) => paging,
            Err(reason) => {
                self.warn(&pointer_join(&operation.pointer, key), format!("{reason}; the operation reads one page"));
                None
            }
        }
    }

    /// GitHub's shape: a `Link` header documented on the success response,
    /// a body that is an array (or an object with one array property), and
    /// a parameter that says which page.
    fn link_header_paging(&mut self, operation: &Operation) -> Option<Paging> {
        let success = operation.responses.iter().find(|response| response.status.is_success())?;
        if !success.headers.iter().any(|header| header == "link") {
            return None;
        }
        let has_page_parameter = operation
            .parameters
            .iter()
            .any(|p| p.location == ParamLocation::Query && PAGE_PARAMETERS.contains(&p.name.as_str()));
        let body = self.success_body(operation).ok()?;
        let items = match self.non_null(body) {
            TypeRef::Array(_) => Vec::new(),
            _ => vec![self.only_array_property(body)?],
        };
        if !has_page_parameter {
            return None;
        }
        let item = self.items_type(body, &items).ok()?;
        let declared_by = "the `Link` header its success response documents".to_owned();
        Some(Paging { declared_by, next: NextPage::LinkHeader, items, item, limit: self.limit(operation, None) })
    }

    /// `x-speakeasy-pagination`: `type` (`offsetLimit`, `cursor` or `url`),
    /// `inputs` (parameters by role) and `outputs` (JSONPaths into the body).
    fn speakeasy(&mut self, value: &Value, operation: &Operation) -> Result<Option<Paging>, String> {
        let kind = value.get("type").and_then(Value::as_str).ok_or("it has no `type`")?;
        let mut inputs = Vec::new();
        for input in value.get("inputs").and_then(Value::as_array).into_iter().flatten() {
            let name = input.get("name").and_then(Value::as_str).ok_or("an input has no `name`")?;
            let role = input.get("type").and_then(Value::as_str).ok_or("an input has no `type`")?;
            if input.get("in").and_then(Value::as_str) == Some("requestBody") {
                return Err(format!("the input `{name}` is in the request body, which this client doesn't page by"));
            }
            self.query_parameter(operation, name)?;
            inputs.push((role, name));
        }
        let input = |role: &str| inputs.iter().find(|(r, _)| *r == role).map(|(_, name)| name.to_string());
        let outputs = value.get("outputs");
        let output = |name: &str| outputs.and_then(|o| o.get(name)).and_then(Value::as_str);
        let body = self.success_body(operation)?.clone();
        let items = match output("results") {
            Some(results) => properties(&json_path(results, "$")?)?,
            None => self.default_items(&body)?,
        };
        let item = self.items_type(&body, &items)?;
        let next = match kind {
            "offsetLimit" => match (input("offset"), input("page")) {
                (Some(param), _) => NextPage::Offset { param },
                (None, Some(param)) => NextPage::PageNumber { first: self.first_page(operation, &param), param },
                (None, None) => return Err("`offsetLimit` needs an `offset` or `page` input".into()),
            },
            "cursor" => {
                let param = input("cursor").ok_or("`cursor` needs a `cursor` input")?;
                let from = json_path(output("nextCursor").ok_or("`cursor` needs the output `nextCursor`")?, "$")?;
                self.cursor_type(&body, &from)?;
                NextPage::Cursor { param, from, alone: false }
            }
            "url" => {
                let from = json_path(output("nextUrl").ok_or("`url` needs the output `nextUrl`")?, "$")?;
                self.cursor_type(&body, &from)?;
                NextPage::Url(from)
            }
            other => return Err(format!("its `type` is `{other}`, not `offsetLimit`, `cursor` or `url`")),
        };
        let limit = match input("limit") {
            Some(name) => self.limit(operation, Some(&name)),
            None => None,
        };
        Ok(Some(Paging { declared_by: "`x-speakeasy-pagination`".into(), next, items, item, limit }))
    }

    /// `x-fern-pagination`: `cursor`/`next_cursor`, `next_uri`, `next_path`
    /// or `offset` (with `step`), and `results`; `true` takes the
    /// document's own.
    fn fern(&mut self, value: &Value, operation: &Operation) -> Result<Option<Paging>, String> {
        let value = match value {
            Value::Bool(false) => return Ok(None),
            Value::Bool(true) => {
                self.raw.get("x-fern-pagination").cloned().ok_or("it is `true`, but the document declares none")?
            }
            other => other.clone(),
        };
        let field = |name: &str| value.get(name).and_then(Value::as_str);
        let request = |name: &str| -> Result<Option<String>, String> {
            field(name)
                .map(|path| {
                    path.strip_prefix("$request.").map(str::to_owned).ok_or(format!("`{name}` is not `$request.…`"))
                })
                .transpose()
        };
        let body = self.success_body(operation)?.clone();
        let items = match field("results") {
            Some(results) => properties(&json_path(results, "$response")?)?,
            None => return Err("it has no `results`".into()),
        };
        let item = self.items_type(&body, &items)?;
        let mut limit = None;
        let next = if let Some(param) = request("cursor")? {
            let from = json_path(field("next_cursor").ok_or("`cursor` needs `next_cursor`")?, "$response")?;
            self.query_parameter(operation, &param)?;
            self.cursor_type(&body, &from)?;
            NextPage::Cursor { param, from, alone: false }
        } else if let Some(path) = field("next_uri").or(field("next_path")) {
            let from = json_path(path, "$response")?;
            self.cursor_type(&body, &from)?;
            NextPage::Url(from)
        } else if let Some(param) = request("offset")? {
            self.query_parameter(operation, &param)?;
            match request("step")? {
                // The offset moves by the page size.
                Some(step) => {
                    limit = self.limit(operation, Some(&step));
                    NextPage::Offset { param }
                }
                None => NextPage::PageNumber { first: self.first_page(operation, &param), param },
            }
        } else {
            return Err("it has none of `cursor`, `next_uri`, `next_path` or `offset`".into());
        };
        if value.get("has-next-page").is_some() {
            self.warn(
                &pointer_join(&operation.pointer, "x-fern-pagination"),
                "`has-next-page` is not read; the list ends on an empty or short page, or without a next one",
            );
        }
        Ok(Some(Paging { declared_by: "`x-fern-pagination`".into(), next, items, item, limit }))
    }

    /// `x-ms-pageable` (AutoRest): the next page's URL in `nextLinkName`,
    /// the items in `itemName` (`value`); no `nextLinkName` is one page.
    fn ms_pageable(&mut self, value: &Value, operation: &Operation) -> Result<Option<Paging>, String> {
        let Some(next_link) = value.get("nextLinkName").and_then(Value::as_str) else {
            // `null` (or what a converter made of it) declares one page.
            return Ok(None);
        };
        let item_name = value.get("itemName").and_then(Value::as_str).unwrap_or("value");
        let body = self.success_body(operation)?.clone();
        let items = vec![item_name.to_owned()];
        let item = self.items_type(&body, &items)?;
        let from = vec![PathStep::Property(next_link.to_owned())];
        self.cursor_type(&body, &from)?;
        Ok(Some(Paging { declared_by: "`x-ms-pageable`".into(), next: NextPage::Url(from), items, item, limit: None }))
    }

    /// `x-dropshot-pagination`: `page_token` and `limit` parameters, and a
    /// body of `items` and `next_page`; a later page is asked for by its
    /// token and limit alone.
    fn dropshot(&mut self, operation: &Operation) -> Result<Option<Paging>, String> {
        self.query_parameter(operation, "page_token")?;
        let body = self.success_body(operation)?.clone();
        let items = vec!["items".to_owned()];
        let item = self.items_type(&body, &items)?;
        let from = vec![PathStep::Property("next_page".to_owned())];
        self.cursor_type(&body, &from)?;
        let next = NextPage::Cursor { param: "page_token".into(), from, alone: true };
        let limit = self.limit(operation, Some("limit"));
        Ok(Some(Paging { declared_by: "`x-dropshot-pagination`".into(), next, items, item, limit }))
    }

    /// The type of the operation's JSON success body, which every success
    /// status must return: a page is one type.
    fn success_body<'o>(&self, operation: &'o Operation) -> Result<&'o TypeRef, String> {
        let mut bodies = operation
            .responses
            .iter()
            .filter(|response| response.status.is_success())
            .map(|response| response.body.as_ref().filter(|body| body.encoding == BodyEncoding::Json));
        let first = bodies.next().flatten().ok_or("the operation has no JSON success body")?;
        if bodies.any(|other| other.is_none_or(|other| other.ty != first.ty)) {
            return Err("its success statuses don't all return the same JSON body".into());
        }
        Ok(&first.ty)
    }

    fn query_parameter<'o>(&self, operation: &'o Operation, name: &str) -> Result<&'o Parameter, String> {
        match operation.parameters.iter().find(|p| p.name == name) {
            Some(parameter) if parameter.location == ParamLocation::Query => Ok(parameter),
            Some(_) => Err(format!("the parameter `{name}` is not in the query, which this client pages by")),
            None => Err(format!("the operation has no parameter `{name}`")),
        }
    }

    /// The limit parameter (`name`, else the first of the usual names the
    /// operation has in its query) and its default.
    fn limit(&self, operation: &Operation, name: Option<&str>) -> Option<(String, Option<u64>)> {
        let candidates: Vec<&str> = name.map_or(LIMIT_PARAMETERS.to_vec(), |name| vec![name]);
        let parameter = candidates.iter().find_map(|name| self.query_parameter(operation, name).ok())?;
        Some((parameter.name.clone(), parameter.default.as_ref().and_then(Value::as_u64)))
    }

    /// The number of the first page: the page parameter's default, else 1.
    fn first_page(&self, operation: &Operation, param: &str) -> i64 {
        let parameter = self.query_parameter(operation, param).ok();
        parameter.and_then(|p| p.default.as_ref()).and_then(Value::as_i64).unwrap_or(1)
    }

    /// Where the items are when nothing says: the body, if it is an array,
    /// else its one array property.
    fn default_items(&self, body: &TypeRef) -> Result<Vec<String>, String> {
        match self.non_null(body) {
            TypeRef::Array(_) => Ok(Vec::new()),
            _ => self
                .only_array_property(body)
                .map(|name| vec![name])
                .ok_or_else(|| "it doesn't say where the items are, and the body has no one array property".to_owned()),
        }
    }

    /// The one property of an object type that holds an array.
    fn only_array_property(&self, ty: &TypeRef) -> Option<String> {
        let object = self.object_of(ty)?;
        let mut arrays = object.fields.iter().filter(|field| matches!(self.non_null(&field.ty), TypeRef::Array(_)));
        let only = arrays.next()?;
        arrays.next().is_none().then(|| only.name.clone())
    }

    /// The type of the items at `items` in `body`: the path must end in an array.
    fn items_type(&self, body: &TypeRef, items: &[String]) -> Result<TypeRef, String> {
        let mut ty = body;
        for name in items {
            let object = self.object_of(ty).ok_or_else(|| format!("the body has no object holding `{name}`"))?;
            let field = object.fields.iter().find(|field| field.name == *name);
            ty = &field.ok_or_else(|| format!("the body has no property `{name}`"))?.ty;
        }
        match self.non_null(ty) {
            TypeRef::Array(item) => Ok((**item).clone()),
            _ => Err(format!("the items, at `{}`, are not an array", items.join("."))),
        }
    }

    /// Checks that `path` reaches a string or number in `body`: a cursor or URL.
    fn cursor_type(&self, body: &TypeRef, path: &[PathStep]) -> Result<(), String> {
        let mut ty = body;
        for step in path {
            ty = match step {
                PathStep::Property(name) => {
                    let object =
                        self.object_of(ty).ok_or_else(|| format!("the body has no object holding `{name}`"))?;
                    let field = object.fields.iter().find(|field| field.name == *name);
                    &field.ok_or_else(|| format!("the body has no property `{name}`"))?.ty
                }
                PathStep::Last => match self.non_null(ty) {
                    TypeRef::Array(item) => item,
                    _ => return Err("`[-1]` follows something that is not an array".into()),
                },
            };
        }
        match self.non_null(ty) {
            TypeRef::String(_) | TypeRef::Integer(_) | TypeRef::Number(_) => Ok(()),
            _ => Err("the next page's cursor or URL is not a string or a number".into()),
        }
    }

    /// The object type `ty` names, through aliases.
    fn object_of(&self, ty: &TypeRef) -> Option<&ObjectType> {
        let TypeRef::Named(index) = ty.resolved(&self.types) else { return None };
        match &self.types.get(index.0)?.kind {
            TypeKind::Object(object) => Some(object),
            _ => None,
        }
    }

    /// `ty` without `null`, and through aliases to an array.
    fn non_null<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        ty.resolved(&self.types)
    }
}

/// A JSONPath as the extensions write them, after `root` (`$`,
/// `$response`): `.name` steps, `[-1]` for an array's last item.
fn json_path(path: &str, root: &str) -> Result<Vec<PathStep>, String> {
    let rest = path.trim().strip_prefix(root).ok_or(format!("`{path}` does not start with `{root}`"))?;
    let mut steps = Vec::new();
    for part in rest.split('.').skip(usize::from(rest.starts_with('.'))) {
        let (name, mut index) = part.split_once('[').map_or((part, ""), |(name, index)| (name, index));
        if !name.is_empty() {
            steps.push(PathStep::Property(name.to_owned()));
        }
        while !index.is_empty() {
            let (inside, after) = index.split_once(']').ok_or(format!("`{path}` has an unclosed `[`"))?;
            if inside.trim() != "-1" {
                return Err(format!("`{path}`: only `[-1]` (the last item) is read in a path"));
            }
            steps.push(PathStep::Last);
            index = after.strip_prefix('[').unwrap_or(after);
        }
    }
    Ok(steps)
}

/// The properties of a path that only names properties (where items are).
fn properties(steps: &[PathStep]) -> Result<Vec<String>, String> {
    steps
        .iter()
        .map(|step| match step {
            PathStep::Property(name) => Ok(name.clone()),
            PathStep::Last => Err("the items' path has `[-1]`".to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_name_properties_and_the_last_item() {
        let property = |name: &str| PathStep::Property(name.to_owned());
        assert_eq!(json_path("$", "$"), Ok(vec![]));
        assert_eq!(json_path("$.data.items", "$"), Ok(vec![property("data"), property("items")]));
        assert_eq!(
            json_path("$.data.resultArray[-1].created_at", "$"),
            Ok(vec![property("data"), property("resultArray"), PathStep::Last, property("created_at")])
        );
        assert_eq!(json_path("$response.next", "$response"), Ok(vec![property("next")]));
        assert!(json_path("$.items[0]", "$").is_err());
        assert!(json_path("$request.cursor", "$response").is_err());
    }
}
