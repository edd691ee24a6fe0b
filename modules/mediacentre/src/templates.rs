//! What the médiacentre's pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

pub struct ResourceView {
    pub id: i64,
    pub title: String,
    pub editor: String,
    pub description: String,
    pub kind: &'static str,
    pub favorite: bool,
}

pub struct SignetView {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// The class it is shared with (« 6e A »).
    pub class: Option<String>,
    /// Who shared it.
    pub by: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "mediacentre_home.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub q: String,
    pub favorites: Vec<ResourceView>,
    pub resources: Vec<ResourceView>,
    pub nothing: &'static str,
    /// Links shared with one's class by its teachers.
    pub shared: Vec<SignetView>,
    /// One's own signets (a teacher's shared ones among them).
    pub signets: Vec<SignetView>,
    /// The classes a teacher may share with: (code, label, chosen).
    pub class_choices: Vec<(String, String, bool)>,
    pub is_pupil: bool,
    pub manages: bool,
    pub typed_title: String,
    pub typed_url: String,
    pub no_favorite: &'static str,
    pub no_signet: &'static str,
    pub no_class_signet: &'static str,
}

pub struct ResourceRow {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub audience: String,
}

/// A box to tick or an option to choose.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "mediacentre_manage.html")]
pub struct ManagePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub rows: Vec<ResourceRow>,
    /// The resource in the form, if one is edited.
    pub editing: Option<i64>,
    pub title: String,
    pub editor: String,
    pub description: String,
    pub url: String,
    pub kinds: Vec<Choice>,
    pub profiles: Vec<Choice>,
    pub classes: Vec<Choice>,
    pub levels: Vec<Choice>,
    /// Some class is ticked: the classes' list shows open.
    pub classes_chosen: bool,
    pub nothing: &'static str,
}
