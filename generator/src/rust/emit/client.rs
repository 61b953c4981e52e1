//! `client.rs`: the `Client`, its builder, and what every request shares.

use proc_macro2::TokenStream;
use quote::quote;

use super::auth::AuthCode;
use crate::ir::AuthKind;
use crate::rust::plan::Plan;

pub fn client_rs(plan: &Plan) -> TokenStream {
    // The title is the document's words, tidied for rustdoc like its descriptions.
    let api = &super::docs::from_document(&plan.api.title);
    let crate_path = plan.crate_path();
    let auth = super::auth::auth_code(plan);
    let key_doc = if plan.single_key().is_some() { " with your API key" } else { "" };
    let AuthCode {
        constructor_params: key_param,
        constructor_args: key_arg,
        builder_fields,
        builder_inits,
        builder_setters,
        build: credentials_build,
        items: credential_items,
        authorize,
        client_field,
        client_init,
    } = auth;

    let (default_base_url, base_url_const, base_url_doc) = match &plan.default_base_url {
        Some(url) => {
            let doc = format!(" Where the {api} API is served: `{url}`.");
            (
                quote!(Some(Client::DEFAULT_BASE_URL)),
                quote! {
                    #[doc = #doc]
                    pub const DEFAULT_BASE_URL: &'static str = #url;
                },
                format!(" Creates a client for [`Client::DEFAULT_BASE_URL`]{key_doc}."),
            )
        }
        None => (
            quote!(None),
            quote!(),
            format!(
                " Creates a client{key_doc}; the document names no absolute server, so set one with [`ClientBuilder::base_url`] or this fails."
            ),
        ),
    };
    let new_errors = " # Errors\n\n Fails when the HTTP client can't be built (for example, no TLS backend) or the API key can't be sent in a header.";
    let example = format!(
        " ```\n let client = {crate_path}::Client::builder({})\n     .base_url(\"http://127.0.0.1:8080\")\n     .timeout(std::time::Duration::from_secs(5))\n     .build()?;\n # Ok::<(), {crate_path}::Error>(())\n ```",
        if plan.single_key().is_some() { "\"<YOUR_API_KEY>\"" } else { "" }
    );
    let builder_doc = super::docs::inner_text_as_outer(&format!(
        " Configures a [`Client`]: base URL, timeouts, user agent, or your own `reqwest::Client`.\n\n{example}"
    ));
    let base_url_doc = super::docs::inner_text_as_outer(&format!("{base_url_doc}\n\n{new_errors}"));
    // What every client has is the runtime's (`connection.rs`): the
    // settings, the connection, sending, and the builder's setters.
    let secret = plan.schemes.iter().any(|s| s.scheme.kind != AuthKind::Basic).then(|| quote!(, secret));

    quote! {
        //! The client: where the API is served, and the credentials it takes.

        use crate::connection::{Connection, Settings #secret};
        use crate::Error;

        #builder_doc
        #[must_use]
        pub struct ClientBuilder {
            pub(crate) settings: Settings,
            #builder_fields
        }

        /// A client for the API. Cheap to clone: clones share one connection pool.
        #[derive(Clone)]
        pub struct Client {
            pub(crate) connection: Connection,
            #client_field
        }

        impl Client {
            #base_url_const

            #base_url_doc
            pub fn new(#key_param) -> Result<Self, Error> {
                Self::builder(#key_arg).build()
            }

            /// Starts configuring a client.
            pub fn builder(#key_param) -> ClientBuilder {
                ClientBuilder {
                    settings: Settings::new(#default_base_url),
                    #builder_inits
                }
            }

            #authorize
        }

        impl ClientBuilder {
            #builder_setters

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// [`Error::Config`] when the base URL is missing or invalid, the API key or user agent
            /// can't be sent in a header, a root certificate is not PEM, or the HTTP client can't
            /// be built.
            pub fn build(self) -> Result<Client, Error> {
                let connection = self.settings.connect()?;
                #credentials_build
                Ok(Client { connection, #client_init })
            }
        }

        #credential_items
    }
}
