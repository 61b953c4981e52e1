//! Security schemes, and which of them each operation accepts.

use openapiv3 as oa;

use super::Lowerer;
use super::text;
use crate::error::{Error, pointer_join};
use crate::ir::*;

impl Lowerer<'_> {
    pub(super) fn security_schemes(&mut self, components: &oa::Components) -> Result<Vec<SecurityScheme>, Error> {
        let mut schemes = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let pointer = pointer_join("/components/securitySchemes", key);
            let scheme: oa::SecurityScheme = self.resolve(scheme, &pointer)?;
            let (kind, description) = match scheme {
                oa::SecurityScheme::HTTP { scheme, description, .. } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (AuthKind::Bearer, description),
                    "basic" => (AuthKind::Basic, description),
                    other => {
                        self.warn(
                            &pointer,
                            format!("HTTP auth scheme `{other}` is not supported; operations are generated without it"),
                        );
                        continue;
                    }
                },
                oa::SecurityScheme::APIKey { location, name, description, .. } => {
                    if matches!(location, oa::APIKeyLocation::Cookie) && !super::operations::is_token(&name) {
                        self.warn(
                            &pointer,
                            format!(
                                "cookie `{}` can't be sent (its name is not an RFC 6265 token); operations are generated without this scheme",
                                name.escape_debug()
                            ),
                        );
                        continue;
                    }
                    let location = match location {
                        oa::APIKeyLocation::Header => ParamLocation::Header,
                        oa::APIKeyLocation::Query => ParamLocation::Query,
                        oa::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    (AuthKind::ApiKey { location, name }, description)
                }
                // A bearer token, which the client can get itself where a
                // flow gives a token URL.
                oa::SecurityScheme::OAuth2 { description, flows, .. } => {
                    let endpoint = |url: &str| TokenEndpoint { url: url.to_owned(), scopes: Vec::new() };
                    let refresh = (flows.authorization_code.as_ref())
                        .map(|flow| flow.refresh_url.as_deref().unwrap_or(&flow.token_url))
                        .or_else(|| {
                            let flow = flows.password.as_ref()?;
                            Some(flow.refresh_url.as_deref().unwrap_or(&flow.token_url))
                        });
                    let grants = OAuth2Grants {
                        client_credentials: flows.client_credentials.as_ref().map(|flow| endpoint(&flow.token_url)),
                        refresh_token: refresh.map(endpoint),
                    };
                    schemes.push(SecurityScheme {
                        key: key.clone(),
                        description: text(&description),
                        kind: AuthKind::Bearer,
                        oauth2: grants,
                    });
                    continue;
                }
                // A bearer token the caller obtains elsewhere.
                oa::SecurityScheme::OpenIDConnect { description, .. } => (AuthKind::Bearer, description),
            };
            schemes.push(SecurityScheme {
                key: key.clone(),
                description: text(&description),
                kind,
                oauth2: OAuth2Grants::default(),
            });
        }
        Ok(schemes)
    }

    /// The schemes (of `schemes`) an operation at `pointer` accepts, in the
    /// order its requirements name them.
    pub(super) fn accepted_schemes(
        &mut self,
        requirements: Option<&Vec<oa::SecurityRequirement>>,
        schemes: &[SecurityScheme],
        pointer: &str,
    ) -> Vec<SchemeIndex> {
        let mut security = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            for (scheme, scopes) in requirement {
                let required = self.required_scopes.entry(scheme.clone()).or_default();
                for scope in scopes {
                    if !required.contains(scope) {
                        required.push(scope.clone());
                    }
                }
                match schemes.iter().position(|s| &s.key == scheme).map(SchemeIndex) {
                    Some(index) if !security.contains(&index) => security.push(index),
                    Some(_) => {}
                    // Undefined or unsupported: the operation is generated without it.
                    None => self.warn(
                        &pointer_join(pointer, "security"),
                        format!("security scheme `{scheme}` is not defined or not supported; it is ignored"),
                    ),
                }
            }
        }
        security
    }

    /// Each token endpoint asks for the scopes the operations require of
    /// its scheme.
    pub(super) fn ask_for_required_scopes(&mut self, schemes: &mut [SecurityScheme]) {
        for scheme in schemes {
            let required = self.required_scopes.get(&scheme.key).cloned().unwrap_or_default();
            let grants = &mut scheme.oauth2;
            for endpoint in [&mut grants.client_credentials, &mut grants.refresh_token].into_iter().flatten() {
                endpoint.scopes.clone_from(&required);
            }
        }
    }
}
