//! What the médiacentre holds, and who sees what: a resource is for the profiles, classes and
//! levels it names; a signet is its owner's, or its class's when shared.

use cartable_core::directory::Profile;
use cartable_core::directory::level::level_of;

use crate::messages;

/// Longest title of a resource or signet.
pub const MAX_TITLE: usize = 200;
/// Longest description of a resource.
pub const MAX_DESCRIPTION: usize = 1000;
/// Longest address (browsers accept more; no real resource needs it).
pub const MAX_URL: usize = 2000;
/// Signets a person may keep (personal and shared together).
pub const MAX_SIGNETS: usize = 200;

/// How a resource is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A public site.
    Link,
    /// A service that signs in through the ENT (CAS): no second password.
    Ent,
    /// A resource of the collectivité's bouquet (licences paid for the établissement).
    Bouquet,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Link, Kind::Ent, Kind::Bouquet];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Link => "lien",
            Kind::Ent => "ent",
            Kind::Bouquet => "bouquet",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Link => messages::KIND_LINK,
            Kind::Ent => messages::KIND_ENT,
            Kind::Bouquet => messages::KIND_BOUQUET,
        }
    }
}

/// A resource the établissement offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// Who publishes it (« Le Robert », « Lumni »).
    pub editor: String,
    pub url: String,
    pub kind: Kind,
    pub profiles: Vec<Profile>,
    pub classes: Vec<String>,
    pub levels: Vec<String>,
    pub created_by: String,
    pub updated: i64,
}

/// A link kept by a person, or shared by a teacher with a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signet {
    pub id: i64,
    pub owner: String,
    pub class: Option<String>,
    pub title: String,
    pub url: String,
    pub created: i64,
}

/// Who looks, as the médiacentre needs it.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub login: String,
    pub profile: Option<Profile>,
    /// Classes he is a pupil of.
    pub classes: Vec<String>,
    /// Classes he teaches.
    pub teaches: Vec<String>,
    /// Declares and edits the établissement's resources.
    pub manages: bool,
}

impl Viewer {
    /// His classes, as a pupil or as a teacher.
    fn all_classes(&self) -> impl Iterator<Item = &String> {
        self.classes.iter().chain(&self.teaches)
    }

    /// Whether `r` is for him: his profile, one of his classes, or one of their levels.
    pub fn sees(&self, r: &Resource) -> bool {
        self.profile.is_some_and(|p| r.profiles.contains(&p))
            || self
                .all_classes()
                .any(|c| r.classes.contains(c) || r.levels.iter().any(|l| *l == level_of(c)))
    }

    /// Whether the signet is his to read: his own, or shared with a class of his.
    pub fn reads(&self, s: &Signet) -> bool {
        s.owner == self.login
            || s.class
                .as_ref()
                .is_some_and(|c| self.all_classes().any(|k| k == c))
    }

    /// Whether he may share a link with `class`: a class he teaches.
    pub fn shares_with(&self, class: &str) -> bool {
        self.teaches.iter().any(|c| c == class)
    }
}

/// `url` as a resource's or signet's address: http or https, with a host, no spaces.
pub fn check_url(url: &str) -> Result<String, &'static str> {
    let url = url.trim();
    if url.is_empty() {
        return Err(messages::NEED_URL);
    }
    if url.len() > MAX_URL {
        return Err(messages::URL_TOO_LONG);
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(messages::URL_SCHEME)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(messages::URL_INVALID);
    }
    Ok(url.to_owned())
}

/// Lowercase without accents, for a search that finds « Éducation » from « education ».
pub fn folded(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            c => c,
        })
        .collect()
}

/// Whether `r` answers every word of the search `q` (in its title, editor or description).
pub fn matches(r: &Resource, q: &str) -> bool {
    let text = folded(&format!("{} {} {}", r.title, r.editor, r.description));
    folded(q).split_whitespace().all(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(profiles: &[Profile], classes: &[&str], levels: &[&str]) -> Resource {
        Resource {
            id: 1,
            title: "Dictionnaire Le Robert Junior".into(),
            description: "Définitions, conjugaisons, étymologie".into(),
            editor: "Le Robert".into(),
            url: "https://junior.lerobert.com".into(),
            kind: Kind::Bouquet,
            profiles: profiles.to_vec(),
            classes: classes.iter().map(|c| (*c).to_owned()).collect(),
            levels: levels.iter().map(|c| (*c).to_owned()).collect(),
            created_by: "doc".into(),
            updated: 0,
        }
    }

    fn pupil(class: &str) -> Viewer {
        Viewer {
            login: "e".into(),
            profile: Some(Profile::Eleve),
            classes: vec![class.into()],
            ..Viewer::default()
        }
    }

    #[test]
    fn a_resource_is_for_its_profiles_classes_and_levels() {
        let sixth = resource(&[], &[], &["6"]);
        assert!(pupil("6A").sees(&sixth));
        assert!(!pupil("5B").sees(&sixth));
        let teacher = Viewer {
            login: "t".into(),
            profile: Some(Profile::Enseignant),
            teaches: vec!["6B".into()],
            ..Viewer::default()
        };
        assert!(teacher.sees(&sixth));
        let class = resource(&[], &["5B"], &[]);
        assert!(pupil("5B").sees(&class) && !pupil("5A").sees(&class));
        let staff = resource(&[Profile::Enseignant], &[], &[]);
        assert!(teacher.sees(&staff) && !pupil("6A").sees(&staff));
        assert!(!pupil("6A").sees(&resource(&[], &[], &[])));
    }

    #[test]
    fn a_signet_shared_with_a_class_reaches_its_pupils_only() {
        let shared = Signet {
            id: 1,
            owner: "prof".into(),
            class: Some("6A".into()),
            title: "Lumni".into(),
            url: "https://www.lumni.fr".into(),
            created: 0,
        };
        assert!(pupil("6A").reads(&shared));
        assert!(!pupil("6B").reads(&shared));
        let own = Signet {
            class: None,
            owner: "e".into(),
            ..shared.clone()
        };
        assert!(pupil("6B").reads(&own));
        assert!(
            !Viewer {
                login: "x".into(),
                ..pupil("6B")
            }
            .reads(&own)
        );
    }

    #[test]
    fn only_web_addresses_are_kept() {
        assert_eq!(
            check_url(" https://fr.vikidia.org/wiki/Rome "),
            Ok("https://fr.vikidia.org/wiki/Rome".into())
        );
        assert!(check_url("http://cdi.college.fr/").is_ok());
        assert_eq!(check_url(""), Err(messages::NEED_URL));
        assert_eq!(check_url("javascript:alert(1)"), Err(messages::URL_SCHEME));
        assert_eq!(check_url("ftp://x"), Err(messages::URL_SCHEME));
        assert_eq!(check_url("https:///chemin"), Err(messages::URL_INVALID));
        assert_eq!(check_url("https://a b.fr"), Err(messages::URL_INVALID));
        let long = format!("https://x.fr/{}", "a".repeat(MAX_URL));
        assert_eq!(check_url(&long), Err(messages::URL_TOO_LONG));
    }

    #[test]
    fn search_ignores_case_and_accents() {
        let r = resource(&[], &[], &[]);
        assert!(matches(&r, "robert"));
        assert!(matches(&r, "ETYMOLOGIE dictionnaire"));
        assert!(!matches(&r, "atlas"));
        assert!(matches(&r, ""));
    }
}
