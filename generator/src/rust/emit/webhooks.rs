//! `webhooks.rs`: the requests the API sends (its webhooks and callbacks)
//! as one enum, `Webhook`, read from a delivery's headers and body; with
//! the runtime's `WebhookError` and, when the document says how deliveries
//! are signed, its `Verifier`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::tokens::type_tokens;
use crate::rust::names;
use crate::rust::plan::{Plan, WebhookPlan};
use crate::rust::runtime::Receiving;

pub fn webhooks_rs(plan: &Plan) -> TokenStream {
    let Some(receiving) = plan.receives_webhooks() else { return TokenStream::new() };
    let api = docs::from_document(&plan.api.title);
    let verifier = match receiving {
        Receiving::Signed => "Check a delivery's signature and read it with [`Verifier::read`]; ",
        Receiving::Unsigned => "Read a delivery with [`Webhook::from_request`]; ",
    };
    let module_docs = docs::inner(&format!(
        "The requests the {api} API sends you: its webhooks and the callbacks of its \
         operations, each a variant of [`Webhook`] holding its payload.\n\n\
         {verifier}the headers and body are those of the request your server received.\n\n\
         Only with the `webhooks` feature."
    ));
    let signed = receiving == Receiving::Signed;
    let standard = signed.then(|| {
        quote!(
            mod standard;
        )
    });
    let verifier_export = signed.then(|| {
        quote!(
            pub use standard::Verifier;
        )
    });
    let variants = plan.webhooks.iter().map(|webhook| {
        let variant = names::ident(&webhook.variant);
        let doc = variant_docs(plan, webhook);
        let deprecated = webhook.webhook.deprecated.then(|| quote!(#[deprecated]));
        match webhook.payload {
            Some(ty) => {
                let ty = type_tokens(plan, ty);
                quote!(#doc #deprecated #variant(#ty))
            }
            None => quote!(#doc #deprecated #variant),
        }
    });
    // The most particular first: a webhook told apart by more headers and
    // fields is tried before one that another's delivery might also fit.
    let mut order: Vec<(usize, &WebhookPlan)> = plan
        .webhooks
        .iter()
        .map(|webhook| {
            let fields = webhook.payload.map(|ty| plan.api.fixed_fields(ty).len()).unwrap_or(0);
            (webhook.webhook.event_headers.len() + fields, webhook)
        })
        .collect();
    order.sort_by_key(|(particular, _)| std::cmp::Reverse(*particular));
    let tries = order.into_iter().map(|(_, webhook)| {
        let variant = names::ident(&webhook.variant);
        let headers = webhook.webhook.event_headers.iter().map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            quote!((#name, #value))
        });
        let fields = webhook.payload.map(|ty| plan.api.fixed_fields(ty)).unwrap_or_default();
        let field_pairs = fields.iter().map(|(name, value)| quote!((#name, #value)));
        let read = match webhook.payload {
            Some(_) => quote! {
                if let Some(payload) = delivery.payload() {
                    return Ok(Webhook::#variant(payload));
                }
            },
            None => quote! {
                if delivery.is_empty() {
                    return Ok(Webhook::#variant);
                }
            },
        };
        match webhook.webhook.event_headers.is_empty() && fields.is_empty() {
            true => read,
            false => quote! {
                if delivery.is(&[#(#headers),*], &[#(#field_pairs),*]) {
                    #read
                }
            },
        }
    });
    let from_request_doc = docs::inner_text_as_outer(
        " Reads a delivery (the headers and body of a request the API sent) into\n \
         the webhook it is: the one whose event headers and fixed payload fields\n \
         it has and whose payload its body is, the most particular first.\n\n \
         This doesn't check who sent it; see the module's docs.",
    );
    quote! {
        #module_docs

        mod delivery;
        #standard

        use reqwest::header::HeaderMap;

        use delivery::Delivery;
        pub use delivery::WebhookError;
        #verifier_export

        /// A request the API sends you, with its payload.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Webhook {
            #(#variants,)*
        }

        impl Webhook {
            #from_request_doc
            pub fn from_request(headers: &HeaderMap, body: &[u8]) -> Result<Webhook, WebhookError> {
                let delivery = Delivery::new(headers, body)?;
                #(#tries)*
                Err(WebhookError::Unknown)
            }
        }
    }
}

/// A variant's docs: the webhook's summary and description (the
/// document's words), then where it comes from.
fn variant_docs(plan: &Plan, webhook: &WebhookPlan) -> TokenStream {
    let declared = &webhook.webhook;
    let origin = match &declared.callback {
        Some(callback) => {
            let method = plan.operations.iter().find(|op| op.op.name == callback.operation);
            let operation = method.map_or(callback.operation.clone(), |op| format!("Client::{}", op.method));
            format!(" A callback of `{operation}`: `{} {}`.", declared.method.as_str(), callback.expression)
        }
        None => format!(" The `{}` webhook.", declared.key),
    };
    let words = docs::paragraphs([declared.summary.as_deref(), declared.description.as_deref()]);
    let origin = docs::inner_text_as_outer(&origin.replace('\n', " "));
    match words.is_empty() {
        true => origin,
        false => {
            let words = docs::outer(&words);
            quote!(#words #[doc = ""] #origin)
        }
    }
}
