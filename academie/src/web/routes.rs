//! Every route of the hub with who may use it, and the one place that decides.

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};

use super::session::{self, Staff};
use super::{Hub, PeerUai, api, pages};
use crate::text;

/// Who a route is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone (the stylesheet, the sign-in form, the health check).
    Public,
    /// An établissement presenting its certificate.
    Etablissement,
    /// The académie's staff, signed in; a POST also carries the session's form token.
    Personnel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Stylesheet,
    Health,
    SignInForm,
    SignIn,
    SignOut,
    Overview,
    Etablissement,
    Usages,
    UsagesCsv,
    Message,
    FluxList,
    FluxFile,
}

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub page: Page,
    pub rule: Rule,
}

const fn r(method: Method, path: &'static str, page: Page, rule: Rule) -> Route {
    Route {
        method,
        path,
        page,
        rule,
    }
}

/// The whole surface of the hub.
pub const ROUTES: &[Route] = &[
    r(
        Method::GET,
        "/static/cartable.css",
        Page::Stylesheet,
        Rule::Public,
    ),
    r(Method::GET, "/sante", Page::Health, Rule::Public),
    r(Method::GET, "/connexion", Page::SignInForm, Rule::Public),
    r(Method::POST, "/connexion", Page::SignIn, Rule::Public),
    r(Method::POST, "/deconnexion", Page::SignOut, Rule::Personnel),
    r(Method::GET, "/", Page::Overview, Rule::Personnel),
    r(
        Method::GET,
        "/etablissements/{uai}",
        Page::Etablissement,
        Rule::Personnel,
    ),
    r(Method::GET, "/usages", Page::Usages, Rule::Personnel),
    r(Method::GET, "/usages.csv", Page::UsagesCsv, Rule::Personnel),
    r(
        Method::POST,
        "/api/messages",
        Page::Message,
        Rule::Etablissement,
    ),
    r(
        Method::GET,
        "/api/flux",
        Page::FluxList,
        Rule::Etablissement,
    ),
    r(
        Method::GET,
        "/api/flux/{nom}",
        Page::FluxFile,
        Rule::Etablissement,
    ),
];

/// Who is asking, once authorized.
pub enum Who {
    Anyone,
    Etablissement(String),
    Personnel(Staff),
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    for route in ROUTES {
        let (page, rule) = (route.page, route.rule);
        cfg.route(
            route.path,
            web::method(route.method.clone()).to(
                move |req: HttpRequest, body: web::Bytes, hub: web::Data<Hub>| async move {
                    match authorize(rule, &req, &body, &hub).await {
                        Ok(who) => dispatch(page, who, req, body, hub).await,
                        Err(refused) => refused,
                    }
                },
            ),
        );
    }
    cfg.default_service(web::to(|| async { pages::not_found() }));
}

/// The one check: a route's rule against the request.
pub async fn authorize(
    rule: Rule,
    req: &HttpRequest,
    body: &[u8],
    hub: &Hub,
) -> Result<Who, HttpResponse> {
    match rule {
        Rule::Public => Ok(Who::Anyone),
        Rule::Etablissement => match req.conn_data::<PeerUai>().and_then(|p| p.0.clone()) {
            Some(Ok(uai)) => Ok(Who::Etablissement(uai)),
            Some(Err(())) => Err(api::refuse(
                actix_web::http::StatusCode::FORBIDDEN,
                text::CERTIFICATE_WITHOUT_UAI,
            )),
            None => Err(api::refuse(
                actix_web::http::StatusCode::UNAUTHORIZED,
                text::NO_CERTIFICATE,
            )),
        },
        Rule::Personnel => {
            let staff = session::current(req, hub).await.map_err(pages::failure)?;
            let Some(staff) = staff else {
                return Err(if req.method() == Method::GET {
                    pages::to_sign_in(req)
                } else {
                    pages::forbidden(text::CSRF)
                });
            };
            if req.method() == Method::POST && !session::form_token_matches(&staff, body) {
                return Err(pages::forbidden(text::CSRF));
            }
            Ok(Who::Personnel(staff))
        }
    }
}

async fn dispatch(
    page: Page,
    who: Who,
    req: HttpRequest,
    body: web::Bytes,
    hub: web::Data<Hub>,
) -> HttpResponse {
    // What the rule let through is who the page is for: no second look at the request.
    let result = match (page, who) {
        (Page::Stylesheet, _) => Ok(pages::stylesheet()),
        (Page::Health, _) => pages::health(&hub).await,
        (Page::SignInForm, _) => Ok(session::form(&req, &hub, None, "")),
        (Page::SignIn, _) => session::sign_in(&req, &body, &hub).await,
        (Page::SignOut, Who::Personnel(s)) => session::sign_out(&req, &hub, &s).await,
        (Page::Overview, Who::Personnel(s)) => pages::overview(&hub, &s).await,
        (Page::Etablissement, Who::Personnel(s)) => {
            let uai = req.match_info().get("uai").unwrap_or_default().to_owned();
            pages::etablissement(&hub, &s, &uai).await
        }
        (Page::Usages, Who::Personnel(s)) => pages::usages(&req, &hub, &s).await,
        (Page::UsagesCsv, Who::Personnel(_)) => pages::usages_csv(&req, &hub).await,
        (Page::Message, Who::Etablissement(uai)) => {
            return api::message(&req, &body, &hub, &uai).await;
        }
        (Page::FluxList, Who::Etablissement(uai)) => return api::flux_list(&hub, &uai).await,
        (Page::FluxFile, Who::Etablissement(uai)) => {
            let name = req.match_info().get("nom").unwrap_or_default().to_owned();
            return api::flux_file(&req, &hub, &uai, &name).await;
        }
        _ => Ok(pages::not_found()),
    };
    result.unwrap_or_else(pages::failure)
}
