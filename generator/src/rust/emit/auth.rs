//! Credentials: how the builder takes them, how the client keeps them, and
//! how a request carries them.
//!
//! An API with one key-like scheme (Kanuu's bearer key) takes the key in
//! `Client::new(api_key)`. Otherwise each scheme gets a builder method named
//! after it, and each request uses the first scheme its operation accepts
//! that the caller configured.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{AuthKind, ParamLocation, SchemeIndex};
use crate::rust::names;
use crate::rust::plan::{Plan, SchemePlan};

/// The pieces of `client.rs` that depend on the security schemes.
pub struct AuthCode {
    /// `builder(…)`/`new(…)` parameters and the builder's field inits.
    pub constructor_params: TokenStream,
    pub constructor_args: TokenStream,
    pub builder_fields: TokenStream,
    pub builder_inits: TokenStream,
    pub builder_setters: TokenStream,
    /// Turns the builder's secrets into `credentials` (may fail with `Error::Config`).
    pub build: TokenStream,
    /// Items outside `impl Client`: the `Credentials` struct and `Scheme` enum.
    pub items: TokenStream,
    /// `authorize`, inside `impl Client`.
    pub authorize: TokenStream,
    /// The `credentials` field of `Client` and its initializer, if any.
    pub client_field: TokenStream,
    pub client_init: TokenStream,
}

pub fn auth_code(plan: &Plan) -> AuthCode {
    let single = plan.single_key();
    let schemes = &plan.schemes;
    if schemes.is_empty() {
        return AuthCode {
            constructor_params: quote!(),
            constructor_args: quote!(),
            builder_fields: quote!(),
            builder_inits: quote!(),
            builder_setters: quote!(),
            build: quote!(),
            items: quote!(),
            authorize: quote!(),
            client_field: quote!(),
            client_init: quote!(),
        };
    }

    let mut builder_fields = Vec::new();
    let mut builder_inits = Vec::new();
    let mut setters = Vec::new();
    let mut builds = Vec::new();
    let mut credential_fields = Vec::new();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut token_sources = Vec::new();
    let mut setters_of_grants = Vec::new();
    for scheme in schemes {
        let field = names::ident(&scheme.field);
        let variant = names::ident(&scheme.variant);
        let description = scheme.scheme.description.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let what = match &scheme.scheme.kind {
            AuthKind::Bearer => "a bearer token".to_owned(),
            AuthKind::Basic => "a user name and password (HTTP basic)".to_owned(),
            AuthKind::ApiKey { location, name } => format!("an API key sent as the `{name}` {}", location.as_str()),
        };
        let doc = super::docs::outer(&super::docs::paragraphs([
            Some(format!("Authenticates with {what} (`{}`).", scheme.scheme.key).as_str()),
            description,
        ]));
        variants.push(quote!(#doc #variant,));
        let is_single = single.is_some_and(|s| std::ptr::eq(s, scheme));
        match &scheme.scheme.kind {
            AuthKind::Basic => {
                builder_fields.push(quote!(#field: Option<(String, String)>,));
                builder_inits.push(quote!(#field: None,));
                setters.push(quote! {
                    #doc
                    pub fn #field(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                        self.#field = Some((username.into(), password.into()));
                        self
                    }
                });
                credential_fields.push(quote!(#field: Option<(String, String)>,));
                builds.push(quote!(#field: self.#field,));
                arms.push(quote! {
                    Scheme::#variant => {
                        if let Some((username, password)) = &self.credentials.#field {
                            return request.basic_auth(username, Some(password));
                        }
                    }
                });
            }
            kind => {
                builder_fields.push(quote!(#field: Option<String>,));
                if is_single {
                    builder_inits.push(quote!(#field: Some(api_key.into()),));
                } else {
                    builder_inits.push(quote!(#field: None,));
                    setters.push(quote! {
                        #doc
                        pub fn #field(mut self, key: impl Into<String>) -> Self {
                            self.#field = Some(key.into());
                            self
                        }
                    });
                }
                let (value, apply) = match kind {
                    AuthKind::Bearer => (
                        quote!(format!("Bearer {key}")),
                        quote!(request.header(reqwest::header::AUTHORIZATION, value.clone())),
                    ),
                    AuthKind::ApiKey { location: ParamLocation::Query, name } => {
                        (quote!(key), quote!(request.query(&[(#name, value.to_str().unwrap_or_default())])))
                    }
                    AuthKind::ApiKey { location: ParamLocation::Cookie, name } => {
                        let format = format!("{name}={{key}}");
                        (quote!(format!(#format)), quote!(request.header(reqwest::header::COOKIE, value.clone())))
                    }
                    AuthKind::ApiKey { name, .. } => (quote!(key), quote!(request.header(#name, value.clone()))),
                    AuthKind::Basic => (quote!(key), quote!(request)),
                };
                credential_fields.push(quote!(#field: Option<reqwest::header::HeaderValue>,));
                let convert = if value.to_string() == "key" { quote!(secret) } else { quote!(|key| secret(#value)) };
                builds.push(quote!(#field: self.#field.map(#convert).transpose()?,));
                // Tokens the client gets itself go first: a request carries
                // their placeholder until it is sent (`src/oauth2.rs`).
                let own_tokens = scheme.tokens.as_ref().map(|tokens| {
                    let tokens = names::ident(tokens);
                    let (fields, setters) = token_grants(scheme, &tokens);
                    builder_fields.push(fields);
                    builder_inits.push(quote!(#tokens: None,));
                    setters_of_grants.push(setters);
                    credential_fields.push(quote!(#tokens: Option<std::sync::Arc<crate::oauth2::TokenSource>>,));
                    builds.push(quote!(#tokens: self.#tokens.map(std::sync::Arc::new),));
                    token_sources.push(quote!(credentials.#tokens.clone()));
                    quote! {
                        if let Some(tokens) = &self.credentials.#tokens {
                            return request.header(reqwest::header::AUTHORIZATION, tokens.placeholder());
                        }
                    }
                });
                arms.push(quote! {
                    Scheme::#variant => {
                        #own_tokens
                        if let Some(value) = &self.credentials.#field {
                            return #apply;
                        }
                    }
                });
            }
        }
    }

    let connect_tokens = (!token_sources.is_empty()).then(
        || quote!(let connection = connection.with_tokens(crate::oauth2::TokenSources::of([#(#token_sources),*]));),
    );
    let (constructor_params, constructor_args) = match single {
        Some(_) => (quote!(api_key: impl Into<String>), quote!(api_key)),
        None => (quote!(), quote!()),
    };
    AuthCode {
        constructor_params,
        constructor_args,
        builder_fields: quote!(#(#builder_fields)*),
        builder_inits: quote!(#(#builder_inits)*),
        builder_setters: quote!(#(#setters)* #(#setters_of_grants)*),
        build: quote! {
            let credentials = Credentials { #(#builds)* };
            #connect_tokens
        },
        client_field: quote!(credentials: Credentials,),
        client_init: quote!(credentials,),
        items: quote! {
            /// The credentials the caller configured, ready to send.
            #[derive(Clone)]
            struct Credentials {
                #(#credential_fields)*
            }

            /// The security schemes of the API.
            #[derive(Debug, Clone, Copy)]
            pub(crate) enum Scheme {
                #(#variants)*
            }

        },
        authorize: quote! {
            /// Adds the first configured credential among the schemes an operation accepts.
            pub(crate) fn authorize(&self, request: reqwest::RequestBuilder, accepted: &[Scheme]) -> reqwest::RequestBuilder {
                for scheme in accepted {
                    match scheme {
                        #(#arms)*
                    }
                }
                request
            }
        },
    }
}

/// The builder's field for a scheme's token source, and its setters: one
/// per OAuth2 grant the document gives a token URL for.
fn token_grants(scheme: &SchemePlan, tokens: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let grants = &scheme.scheme.oauth2;
    let scopes_text = |scopes: &[String]| match scopes {
        [] => String::new(),
        scopes => {
            let list: Vec<String> = scopes.iter().map(|scope| format!("`{scope}`")).collect();
            format!(", for the scopes {}", list.join(", "))
        }
    };
    let renewal = "Each token is fetched when a request first needs one, kept, and renewed shortly before it \
                   expires and once when an answer is `401`; requests waiting for one share a single renewal. \
                   The secrets are never in `Debug` output or errors.";
    let mut setters = Vec::new();
    if let (Some(method), Some(endpoint)) = (&scheme.client_credentials, &grants.client_credentials) {
        let method = names::ident(method);
        let url = &endpoint.url;
        let scopes = &endpoint.scopes;
        let doc = super::docs::outer(&format!(
            "Gets its own access tokens for `{}` with the OAuth2 client credentials grant, from `{url}`{}.\n\n{renewal}",
            scheme.scheme.key,
            scopes_text(scopes)
        ));
        setters.push(quote! {
            #doc
            pub fn #method(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                self.#tokens = Some(crate::oauth2::TokenSource::client_credentials(
                    #url,
                    &[#(#scopes),*],
                    client_id.into(),
                    client_secret.into(),
                ));
                self
            }
        });
    }
    if let (Some(method), Some(endpoint)) = (&scheme.refresh_token, &grants.refresh_token) {
        let method = names::ident(method);
        let url = &endpoint.url;
        let scopes = &endpoint.scopes;
        let doc = super::docs::outer(&format!(
            "Keeps its access tokens for `{}` fresh by exchanging `refresh_token` at `{url}` (the OAuth2 \
             refresh token grant){}: the refresh token a person's authorization gave you. A public client \
             passes `None` as its secret. A new refresh token the server sends replaces the old one.\n\n{renewal}",
            scheme.scheme.key,
            scopes_text(scopes)
        ));
        setters.push(quote! {
            #doc
            pub fn #method(
                mut self,
                client_id: impl Into<String>,
                client_secret: Option<String>,
                refresh_token: impl Into<String>,
            ) -> Self {
                self.#tokens = Some(crate::oauth2::TokenSource::refresh_token(
                    #url,
                    &[#(#scopes),*],
                    client_id.into(),
                    client_secret,
                    refresh_token.into(),
                ));
                self
            }
        });
    }
    (quote!(#tokens: Option<crate::oauth2::TokenSource>,), quote!(#(#setters)*))
}

/// `Scheme::ApiKey` for each scheme an operation accepts, for `authorize`.
pub fn accepted(plan: &Plan, security: &[SchemeIndex]) -> Vec<TokenStream> {
    security
        .iter()
        .filter_map(|index| plan.schemes.iter().find(|s| s.index == *index))
        .map(|scheme: &SchemePlan| {
            let variant = names::ident(&scheme.variant);
            quote!(crate::client::Scheme::#variant)
        })
        .collect()
}
