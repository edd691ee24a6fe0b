//! `InModule`: what a module's handler takes instead of `SignedIn`. It signs the person in,
//! answers "not found" when the module is not open to their profile (so a module switched
//! off in the console disappears, pages and links alike), and counts the visit for the
//! académie's indicators under the module's service name.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use cartable_core::academie::audience::Visit;

use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::AppState;

/// The module a scope belongs to (set by the host when it mounts the module).
#[derive(Debug, Clone, Copy)]
pub struct ModuleId(pub &'static str);

pub struct InModule {
    pub me: SignedIn,
    pub module: &'static str,
}

impl FromRequest for InModule {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed = SignedIn::from_request(req, payload);
        let id = req.app_data::<ModuleId>().copied();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let page_view = req.method() == actix_web::http::Method::GET;
        let device = crate::pages::device_of(req);
        Box::pin(async move {
            let me = signed.await?;
            let (Some(ModuleId(id)), Some(state)) = (id, state) else {
                return Err(WebError::NotFound);
            };
            let module = state.modules.get(id).ok_or(WebError::NotFound)?;
            if !state.modules.open_to(id, me.person.profile) {
                return Err(WebError::NotFound);
            }
            if page_view {
                state.audience.count(Visit {
                    at: state.clock.now(),
                    service: module.audience_service(),
                    profile: me.person.profile,
                    login: me.person.login.as_str(),
                    device,
                });
            }
            Ok(Self { me, module: id })
        })
    }
}
