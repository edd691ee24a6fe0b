//! What the actualités' pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

/// An actualité as a list or its page shows it.
pub struct ItemView {
    pub id: i64,
    pub title: String,
    pub channel: String,
    /// « le 3 décembre 2026 à 08h00 ».
    pub when: String,
    pub summary: String,
    /// « Parents de 6e A, Personnels ».
    pub audience: String,
    pub author: String,
    pub pinned: bool,
    pub headline: bool,
    pub important: bool,
    /// The viewer said he read it.
    pub read: bool,
    /// « En attente de validation », « Programmée », « Expirée », « Refusée »; empty when shown.
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "actu_list.html")]
pub struct ListPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    /// (id, name).
    pub channels: Vec<(i64, String)>,
    pub current: Option<i64>,
    pub items: Vec<ItemView>,
    pub waiting: Vec<ItemView>,
    pub mine: Vec<ItemView>,
    pub can_write: bool,
    pub can_manage: bool,
    pub nothing: &'static str,
}

#[derive(Template)]
#[template(path = "actu_item.html")]
pub struct ItemPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub item: ItemView,
    /// Safe HTML (see `text`).
    pub body: String,
    /// For a menu: (day, dishes).
    pub menu: Vec<(String, String)>,
    pub show_audience: bool,
    pub can_acknowledge: bool,
    pub readership: Option<String>,
    pub refusal: String,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// The form as typed (kept when refused).
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub id: i64,
    pub channel: i64,
    pub title: String,
    pub body: String,
    /// Audience keys checked.
    pub audiences: Vec<String>,
    pub from_day: String,
    pub from_time: String,
    pub until_day: String,
    pub until_time: String,
    pub pinned: bool,
    pub headline: bool,
    pub important: bool,
    /// An image of one's documents to add to the text.
    pub image: String,
    /// A menu's Monday and its days: (« Lundi », dishes).
    pub week: String,
    pub days: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "actu_write.html")]
pub struct WritePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub menu: bool,
    pub f: Typed,
    /// (id, name, publishes there).
    pub channels: Vec<(i64, String, bool)>,
    /// (key, label, checked).
    pub audiences: Vec<(String, String, bool)>,
    /// Images of one's documents: (path, chosen).
    pub images: Vec<(String, bool)>,
    pub publishes_all: bool,
}

pub struct ChannelView {
    pub id: i64,
    pub name: String,
    /// (login, name, « Publieur »).
    pub members: Vec<(String, String, &'static str)>,
}

#[derive(Template)]
#[template(path = "actu_channels.html")]
pub struct ChannelsPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub channels: Vec<ChannelView>,
}
