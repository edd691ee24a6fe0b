//! Rich text as people type it in the ENT (actualités, forums, blogs): what they type (`**gras**`, `*italique*`, lists with
//! `-` or `1.`, links `[texte](https://…)`, paragraphs) rendered to HTML by pulldown-cmark,
//! keeping only that subset: any HTML typed is shown as text, a link goes only to `http`,
//! `https`, `mailto` or a page of the ENT, headings become bold paragraphs, an image only
//! where its module serves it (`to_html_with_images`), everything else dropped to its text.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Longest text a module keeps (about ten pages): beyond, its form refuses it.
pub const MAX_BODY: usize = 20_000;

fn safe_link(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

/// The HTML of `source`, safe to put in a page as it is; no image.
pub fn to_html(source: &str) -> String {
    render(source, None)
}

/// The same, with the images whose address is a plain file name under `images_under` (a
/// module's own route, which checks who may see them): `![légende](/actualites/image/…)`.
pub fn to_html_with_images(source: &str, images_under: &str) -> String {
    render(source, Some(images_under))
}

fn safe_image(dest: &str, under: &str) -> bool {
    dest.strip_prefix(under).is_some_and(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
            && !name.starts_with('.')
    })
}

fn render(source: &str, images_under: Option<&str>) -> String {
    let mut out = String::new();
    // Links are kept or dropped as a whole: a dropped one's end is dropped too.
    let mut dropped_links: Vec<bool> = Vec::new();
    // Inside a kept image: its alt text is collected, not shown as text.
    let mut image: Option<(String, String)> = None;
    let events = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).filter_map(|e| match e {
        Event::Start(Tag::Image { dest_url, .. })
            if images_under.is_some_and(|u| safe_image(&dest_url, u)) =>
        {
            image = Some((dest_url.to_string(), String::new()));
            None
        }
        Event::Text(t) if image.is_some() => {
            if let Some((_, alt)) = image.as_mut() {
                alt.push_str(&t);
            }
            None
        }
        Event::End(TagEnd::Image) if image.is_some() => image.take().map(|(src, alt)| {
            let mut html = String::from("<img src=\"");
            pulldown_cmark_escape::escape_href(&mut html, &src).ok()?;
            html.push_str("\" alt=\"");
            pulldown_cmark_escape::escape_html(&mut html, &alt).ok()?;
            html.push_str("\" loading=\"lazy\">");
            Some(Event::Html(CowStr::from(html)))
        })?,
        Event::Start(Tag::Paragraph) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::Paragraph) => Some(Event::End(TagEnd::Paragraph)),
        // Headings: a bold paragraph (the page has its own headings).
        Event::Start(Tag::Heading { .. }) => Some(Event::Html(CowStr::Borrowed("<p><strong>"))),
        Event::End(TagEnd::Heading(_)) => Some(Event::Html(CowStr::Borrowed("</strong></p>"))),
        Event::Start(
            t @ (Tag::Strong | Tag::Emphasis | Tag::Strikethrough | Tag::List(_) | Tag::Item),
        ) => Some(Event::Start(t)),
        Event::End(
            t @ (TagEnd::Strong
            | TagEnd::Emphasis
            | TagEnd::Strikethrough
            | TagEnd::List(_)
            | TagEnd::Item),
        ) => Some(Event::End(t)),
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            let ok = safe_link(&dest_url);
            dropped_links.push(!ok);
            ok.then_some(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id: CowStr::Borrowed(""),
            }))
        }
        Event::End(TagEnd::Link) => match dropped_links.pop() {
            Some(false) => Some(Event::End(TagEnd::Link)),
            _ => None,
        },
        Event::Text(t) => Some(Event::Text(t)),
        Event::Code(t) => Some(Event::Text(t)),
        Event::SoftBreak => Some(Event::SoftBreak),
        Event::HardBreak => Some(Event::HardBreak),
        // Typed HTML is shown as the characters typed.
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        // Images, code blocks, rules, tables…: their text only.
        _ => None,
    });
    html::push_html(&mut out, events);
    out
}

/// The first words of a text, without its markup, for a list or a notification.
pub fn summary(source: &str, chars: usize) -> String {
    let mut plain = String::new();
    for e in Parser::new(source) {
        match e {
            Event::Text(t) | Event::Code(t) => plain.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                plain.push(' ')
            }
            _ => {}
        }
        if plain.chars().count() > chars {
            break;
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() > chars {
        let cut: String = plain.chars().take(chars).collect();
        format!("{}…", cut.trim_end())
    } else {
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_and_nothing_else() {
        let h = to_html(
            "**Sortie** au *musée* :\n\n- lundi\n- mardi\n\n[programme](https://exemple.fr/p)",
        );
        assert!(h.contains("<strong>Sortie</strong>"), "{h}");
        assert!(h.contains("<em>musée</em>"), "{h}");
        assert!(h.contains("<li>lundi</li>"), "{h}");
        assert!(
            h.contains("<a href=\"https://exemple.fr/p\">programme</a>"),
            "{h}"
        );
    }

    #[test]
    fn what_could_harm_is_shown_as_text_or_dropped() {
        let h = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](https://e/i.png) [y](//evil.example/)",
        );
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(!h.contains("href=\"javascript"), "{h}");
        assert!(!h.contains("href=\"//"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        // The link's text stays.
        assert!(h.contains('x') && h.contains('y'), "{h}");
        let h = to_html("# Titre\n\ntexte");
        assert!(h.contains("<p><strong>Titre</strong></p>"), "{h}");
        assert!(to_html("[ENT](/agenda)").contains("href=\"/agenda\""));
    }

    #[test]
    fn images_only_where_a_module_serves_them() {
        let src = "![Le potager](/actualites/image/ab12.png) ![x](https://ailleurs/x.png) ![y](/actualites/image/../secret)";
        let h = to_html_with_images(src, "/actualites/image/");
        assert!(
            h.contains("<img src=\"/actualites/image/ab12.png\" alt=\"Le potager\""),
            "{h}"
        );
        assert_eq!(h.matches("<img").count(), 1, "{h}");
        assert!(!to_html(src).contains("<img"));
        let h = to_html_with_images(
            "![\"><script>](/actualites/image/a.png)",
            "/actualites/image/",
        );
        assert!(!h.contains("<script"), "{h}");
    }

    #[test]
    fn a_summary_is_plain_and_short() {
        assert_eq!(
            summary("**Bonjour** à *tous*\n\n- un", 100),
            "Bonjour à tous un"
        );
        assert_eq!(summary("abcdef ghij", 6), "abcdef…");
    }
}
