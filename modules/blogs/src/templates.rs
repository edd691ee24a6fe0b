//! What the blogs' pages need; the text is in `templates/`.

use askama::Template;
use cartable_web::templates::Chrome;

#[derive(Template)]
#[template(path = "blogs_home.html")]
pub struct HomePage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    /// (id, title, « 6e A », waiting for me).
    pub blogs: Vec<(i64, String, String, usize)>,
    /// Where one may open a blog: (key, label, chosen).
    pub places: Vec<(String, String, bool)>,
    pub title: String,
    pub pupils_write: bool,
    pub comments: bool,
    pub nothing: &'static str,
}

pub struct PostView {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub when: String,
    pub html: String,
    pub waiting: bool,
    /// « 3 commentaires ».
    pub comments: String,
}

#[derive(Template)]
#[template(path = "blogs_blog.html")]
pub struct BlogPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub id: i64,
    pub title: String,
    pub place: String,
    pub posts: Vec<PostView>,
    pub waiting: Vec<PostView>,
    pub can_write: bool,
    pub moderator: bool,
    pub typed_title: String,
    pub typed_body: String,
    pub nothing: &'static str,
}

pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub when: String,
    pub html: String,
    pub waiting: bool,
}

#[derive(Template)]
#[template(path = "blogs_post.html")]
pub struct PostPage<'a> {
    pub chrome: &'a Chrome,
    pub ok: Option<String>,
    pub err: Option<String>,
    pub csrf: String,
    pub id: i64,
    pub blog_id: i64,
    pub blog_title: String,
    pub title: String,
    pub author: String,
    pub when: String,
    pub html: String,
    pub waiting: bool,
    pub moderator: bool,
    pub comments: Vec<CommentView>,
    pub can_comment: bool,
    pub typed: String,
    pub no_comment: &'static str,
}
