//! A forum is a class's or a group's; its members write in it, its moderators keep it.

use cartable_core::directory::Profile;

/// Which forum: a class's or a group's, by code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Forum {
    Class(String),
    Group(String),
}

impl Forum {
    /// As the store keeps it: `classe:6A`, `groupe:latin-4`.
    pub fn key(&self) -> String {
        match self {
            Forum::Class(c) => format!("classe:{c}"),
            Forum::Group(g) => format!("groupe:{g}"),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        match key.split_once(':')? {
            (_, "") => None,
            ("classe", c) => Some(Forum::Class(c.to_owned())),
            ("groupe", g) => Some(Forum::Group(g.to_owned())),
            _ => None,
        }
    }

    /// Its address: `/forums/forum/classe/6A`.
    pub fn path(&self) -> String {
        match self {
            Forum::Class(c) => format!("/forums/forum/classe/{c}"),
            Forum::Group(g) => format!("/forums/forum/groupe/{g}"),
        }
    }

    pub fn from_path(kind: &str, code: &str) -> Option<Self> {
        Self::parse(&format!("{kind}:{code}"))
    }
}

/// What a person is to the forums.
#[derive(Debug, Clone, Default)]
pub struct Member {
    pub login: String,
    pub profile: Option<Profile>,
    /// Classes he is a pupil of.
    pub classes: Vec<String>,
    /// Classes he teaches.
    pub teaches: Vec<String>,
    /// Groups he belongs to.
    pub groups: Vec<String>,
    /// Moderates every forum (vie scolaire, direction, RUPN).
    pub moderates_all: bool,
}

impl Member {
    fn staff(&self) -> bool {
        !matches!(
            self.profile,
            Some(Profile::Eleve | Profile::Responsable) | None
        )
    }

    /// Reads and writes in it.
    pub fn belongs(&self, f: &Forum) -> bool {
        match f {
            Forum::Class(c) => self.classes.contains(c) || self.teaches.contains(c),
            Forum::Group(g) => self.groups.contains(g),
        }
    }

    /// Hides messages, pins and locks subjects, handles reports: the class's teachers, the
    /// group's staff, and those who moderate every forum.
    pub fn moderates(&self, f: &Forum) -> bool {
        self.moderates_all
            || match f {
                Forum::Class(c) => self.teaches.contains(c),
                Forum::Group(g) => self.staff() && self.groups.contains(g),
            }
    }

    /// Moderates at least one forum (the reports page is his).
    pub fn moderates_something(&self) -> bool {
        self.moderates_all || !self.teaches.is_empty() || (self.staff() && !self.groups.is_empty())
    }

    /// Sees it: a member, or a moderator.
    pub fn sees(&self, f: &Forum) -> bool {
        self.belongs(f) || self.moderates(f)
    }

    /// His forums, classes first.
    pub fn forums(&self) -> Vec<Forum> {
        let mut out: Vec<Forum> = self
            .classes
            .iter()
            .chain(&self.teaches)
            .map(|c| Forum::Class(c.clone()))
            .chain(self.groups.iter().map(|g| Forum::Group(g.clone())))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: i64,
    pub forum: Forum,
    pub title: String,
    pub author: String,
    pub pinned: bool,
    pub locked: bool,
    pub created: i64,
    pub last: i64,
    /// Messages in it (hidden and deleted ones counted).
    pub posts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: i64,
    pub subject: i64,
    pub author: String,
    pub body: String,
    pub created: i64,
    /// Hidden by a moderator: by whom, and why.
    pub hidden: Option<(String, String)>,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: i64,
    pub post: i64,
    pub subject: i64,
    pub forum: Forum,
    pub reporter: String,
    pub reason: String,
    pub created: i64,
    pub post_author: String,
    pub post_body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_belongs_and_who_moderates() {
        let pupil = Member {
            login: "e".into(),
            profile: Some(Profile::Eleve),
            classes: vec!["6A".into()],
            groups: vec!["latin".into()],
            ..Member::default()
        };
        let teacher = Member {
            login: "t".into(),
            profile: Some(Profile::Enseignant),
            teaches: vec!["6A".into()],
            groups: vec!["latin".into()],
            ..Member::default()
        };
        let other = Member {
            login: "o".into(),
            profile: Some(Profile::Eleve),
            classes: vec!["6B".into()],
            ..Member::default()
        };
        let cpe = Member {
            login: "v".into(),
            profile: Some(Profile::VieScolaire),
            moderates_all: true,
            ..Member::default()
        };
        let class = Forum::Class("6A".into());
        let latin = Forum::Group("latin".into());
        assert!(pupil.belongs(&class) && !pupil.moderates(&class));
        assert!(teacher.moderates(&class) && teacher.moderates(&latin));
        assert!(
            !pupil.moderates(&latin),
            "a pupil in a group does not moderate it"
        );
        assert!(!other.sees(&class));
        assert!(cpe.sees(&class) && cpe.moderates(&latin) && !cpe.belongs(&class));
        assert_eq!(pupil.forums(), vec![class.clone(), latin.clone()]);
        assert_eq!(Forum::parse(&latin.key()), Some(latin));
        assert_eq!(Forum::parse("classe:"), None);
        assert_eq!(Forum::from_path("autre", "x"), None);
    }
}
