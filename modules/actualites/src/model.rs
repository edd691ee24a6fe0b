//! An actualité: in a channel, for audiences, over a publication window; written by a
//! contributor and validated by a publisher, or published at once by a publisher.

use cartable_core::directory::Profile;
use cartable_core::directory::level::level_of;

/// Who an actualité is for. Several may be chosen; one is enough to see it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Audience {
    Everyone,
    Staff,
    /// Every pupil.
    Pupils,
    /// Every responsable.
    Parents,
    /// A level (`6` for the 6e): the pupils and teachers of its classes.
    Level(String),
    /// A class: its pupils and its teachers.
    Class(String),
    /// The responsables of a class's pupils.
    ParentsOf(String),
}

impl Audience {
    /// As forms and the store write it: `tous`, `personnels`, `eleves`, `parents`,
    /// `niveau:6`, `classe:6A`, `parents:6A`.
    pub fn key(&self) -> String {
        match self {
            Audience::Everyone => "tous".into(),
            Audience::Staff => "personnels".into(),
            Audience::Pupils => "eleves".into(),
            Audience::Parents => "parents".into(),
            Audience::Level(l) => format!("niveau:{l}"),
            Audience::Class(c) => format!("classe:{c}"),
            Audience::ParentsOf(c) => format!("parents:{c}"),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.split_once(':') {
            None => match s {
                "tous" => Some(Audience::Everyone),
                "personnels" => Some(Audience::Staff),
                "eleves" => Some(Audience::Pupils),
                "parents" => Some(Audience::Parents),
                _ => None,
            },
            Some((_, "")) => None,
            Some(("niveau", l)) => Some(Audience::Level(l.to_owned())),
            Some(("classe", c)) => Some(Audience::Class(c.to_owned())),
            Some(("parents", c)) => Some(Audience::ParentsOf(c.to_owned())),
            _ => None,
        }
    }
}

/// Where an actualité is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Written by a contributor, waiting for a publisher.
    Pending,
    Published,
    /// Refused by a publisher (with a reason), back to its author.
    Refused,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "attente",
            Status::Published => "publiee",
            Status::Refused => "refusee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "attente" => Some(Status::Pending),
            "publiee" => Some(Status::Published),
            "refusee" => Some(Status::Refused),
            _ => None,
        }
    }
}

/// An ordinary actualité, or the week's canteen menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    News,
    /// The body holds one line per day (`lundi : …`), shown as the week's table.
    Menu,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::News => "info",
            Kind::Menu => "menu",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "info" => Some(Kind::News),
            "menu" => Some(Kind::Menu),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub id: i64,
    pub name: String,
}

/// A person's part in a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChannelRole {
    /// Writes; what he writes waits for a publisher.
    Contributor,
    /// Writes and publishes, and validates the contributors' items.
    Publisher,
}

impl ChannelRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelRole::Contributor => "contributeur",
            ChannelRole::Publisher => "publieur",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "contributeur" => Some(ChannelRole::Contributor),
            "publieur" => Some(ChannelRole::Publisher),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub channel: i64,
    pub kind: Kind,
    pub title: String,
    /// As its author wrote it (the Markdown subset of `text`).
    pub body: String,
    pub audiences: Vec<Audience>,
    /// Unix times: shown from `from`, until `until` (excluded) if set.
    pub from: i64,
    pub until: Option<i64>,
    /// Kept at the top of the list.
    pub pinned: bool,
    /// « À la une »: on the portal of those it is for.
    pub headline: bool,
    /// Asks its readers to say they have read it (read receipts).
    pub important: bool,
    pub status: Status,
    pub refusal: String,
    pub author: String,
    pub publisher: Option<String>,
    pub created: i64,
}

/// Where a published actualité is at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Published, its window not yet open.
    Scheduled,
    Shown,
    Expired,
}

impl Item {
    pub fn window(&self, now: i64) -> Window {
        if now < self.from {
            Window::Scheduled
        } else if self.until.is_some_and(|u| now >= u) {
            Window::Expired
        } else {
            Window::Shown
        }
    }

    /// Shown to its audience at `now`.
    pub fn live(&self, now: i64) -> bool {
        self.status == Status::Published && self.window(now) == Window::Shown
    }
}

/// Who looks, as the actualités need to know them.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub login: String,
    pub profile: Option<Profile>,
    /// Classes he is a pupil of, or teaches.
    pub classes: Vec<String>,
    /// Classes of his children.
    pub children_classes: Vec<String>,
    /// Publishes in every channel (the direction, the RUPN).
    pub publishes_everywhere: bool,
    /// His part in each channel, by channel id.
    pub roles: Vec<(i64, ChannelRole)>,
}

impl Viewer {
    pub fn role_in(&self, channel: i64) -> Option<ChannelRole> {
        if self.publishes_everywhere {
            return Some(ChannelRole::Publisher);
        }
        self.roles
            .iter()
            .filter(|(c, _)| *c == channel)
            .map(|(_, r)| *r)
            .max()
    }

    pub fn publishes_in(&self, channel: i64) -> bool {
        self.role_in(channel) == Some(ChannelRole::Publisher)
    }

    /// Writes somewhere.
    pub fn writes(&self) -> bool {
        self.publishes_everywhere || !self.roles.is_empty()
    }

    /// One of the audiences is him.
    pub fn is_for(&self, audiences: &[Audience]) -> bool {
        let staff = !matches!(
            self.profile,
            Some(Profile::Eleve | Profile::Responsable) | None
        );
        audiences.iter().any(|a| match a {
            Audience::Everyone => true,
            Audience::Staff => staff,
            Audience::Pupils => self.profile == Some(Profile::Eleve),
            Audience::Parents => self.profile == Some(Profile::Responsable),
            Audience::Level(l) => self.classes.iter().any(|c| level_of(c) == *l),
            Audience::Class(c) => self.classes.contains(c),
            Audience::ParentsOf(c) => self.children_classes.contains(c),
        })
    }

    /// Sees it in the list: live and for him; or he wrote it; or he publishes in its channel
    /// (to validate, to see what is scheduled or expired).
    pub fn sees(&self, item: &Item, now: i64) -> bool {
        item.author == self.login
            || self.publishes_in(item.channel)
            || (item.live(now) && self.is_for(&item.audiences))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(audiences: Vec<Audience>) -> Item {
        Item {
            id: 1,
            channel: 1,
            kind: Kind::News,
            title: "Réunion".into(),
            body: String::new(),
            audiences,
            from: 100,
            until: Some(200),
            pinned: false,
            headline: false,
            important: false,
            status: Status::Published,
            refusal: String::new(),
            author: "redacteur".into(),
            publisher: Some("dir".into()),
            created: 0,
        }
    }

    fn parent(of: &str) -> Viewer {
        Viewer {
            login: "p".into(),
            profile: Some(Profile::Responsable),
            children_classes: vec![of.into()],
            ..Viewer::default()
        }
    }

    #[test]
    fn the_parents_of_a_class_and_no_one_else() {
        let it = item(vec![Audience::ParentsOf("6A".into())]);
        assert!(parent("6A").sees(&it, 150));
        assert!(!parent("5B").sees(&it, 150));
        let pupil = Viewer {
            login: "e".into(),
            profile: Some(Profile::Eleve),
            classes: vec!["6A".into()],
            ..Viewer::default()
        };
        assert!(!pupil.sees(&it, 150));
        // Outside its window nobody of its audience sees it; its author and publishers do.
        assert!(!parent("6A").sees(&it, 99) && !parent("6A").sees(&it, 200));
        let author = Viewer {
            login: "redacteur".into(),
            ..Viewer::default()
        };
        assert!(author.sees(&it, 300));
        let publisher = Viewer {
            login: "x".into(),
            roles: vec![(1, ChannelRole::Publisher)],
            ..Viewer::default()
        };
        assert!(publisher.sees(&it, 300));
        let contributor = Viewer {
            login: "y".into(),
            roles: vec![(1, ChannelRole::Contributor)],
            ..Viewer::default()
        };
        assert!(!contributor.sees(&it, 300));
        // Waiting for validation: not shown, even in its window.
        let pending = Item {
            status: Status::Pending,
            ..it
        };
        assert!(!parent("6A").sees(&pending, 150));
    }

    #[test]
    fn levels_staff_and_profiles() {
        let teacher = Viewer {
            login: "t".into(),
            profile: Some(Profile::Enseignant),
            classes: vec!["6B".into()],
            ..Viewer::default()
        };
        assert!(teacher.is_for(&[Audience::Level("6".into())]));
        assert!(teacher.is_for(&[Audience::Staff]));
        assert!(!teacher.is_for(&[Audience::Pupils, Audience::Parents]));
        assert!(!parent("6A").is_for(&[Audience::Staff, Audience::Level("6".into())]));
        for a in [
            Audience::Everyone,
            Audience::Parents,
            Audience::Level("6".into()),
            Audience::ParentsOf("6A".into()),
        ] {
            assert_eq!(Audience::parse(&a.key()), Some(a));
        }
        assert_eq!(Audience::parse("classe:"), None);
        assert_eq!(Audience::parse("autre"), None);
    }
}
