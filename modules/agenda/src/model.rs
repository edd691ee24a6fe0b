//! An event of an agenda: the établissement's, published to audiences (everyone, the staff, a
//! class, the parents of a class), or a person's own; on a day, all day or between two times.

use cartable_core::directory::Profile;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Audience {
    Everyone,
    Staff,
    /// A class: its pupils and its teachers.
    Class(String),
    /// The parents of a class's pupils.
    Parents(String),
}

impl Audience {
    /// As forms and the store write it: `tous`, `personnels`, `classe:6A`, `parents:6A`.
    pub fn key(&self) -> String {
        match self {
            Audience::Everyone => "tous".into(),
            Audience::Staff => "personnels".into(),
            Audience::Class(c) => format!("classe:{c}"),
            Audience::Parents(c) => format!("parents:{c}"),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.split_once(':') {
            None if s == "tous" => Some(Audience::Everyone),
            None if s == "personnels" => Some(Audience::Staff),
            Some(("classe", c)) if !c.is_empty() => Some(Audience::Class(c.to_owned())),
            Some(("parents", c)) if !c.is_empty() => Some(Audience::Parents(c.to_owned())),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    /// A person's own event; `None` for the établissement's.
    pub owner: Option<String>,
    pub title: String,
    pub place: String,
    pub description: String,
    pub day: Date,
    /// Minutes after midnight; `None` all day.
    pub times: Option<(u16, u16)>,
    pub author: String,
    pub audiences: Vec<Audience>,
}

/// Who looks, as the agenda needs to know them.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub login: String,
    pub profile: Option<Profile>,
    /// Classes he is a pupil of, or teaches.
    pub classes: Vec<String>,
    /// Classes of his children.
    pub children_classes: Vec<String>,
    /// Publishes the établissement's agenda (sees all of it).
    pub publisher: bool,
}

impl Viewer {
    pub fn sees(&self, e: &Event) -> bool {
        match &e.owner {
            Some(o) => *o == self.login,
            None if self.publisher => true,
            None => e.audiences.iter().any(|a| match a {
                Audience::Everyone => true,
                Audience::Staff => !matches!(
                    self.profile,
                    Some(Profile::Eleve | Profile::Responsable) | None
                ),
                Audience::Class(c) => self.classes.contains(c),
                Audience::Parents(c) => self.children_classes.contains(c),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn event(owner: Option<&str>, audiences: Vec<Audience>) -> Event {
        Event {
            id: 1,
            owner: owner.map(str::to_owned),
            title: "Réunion".into(),
            place: String::new(),
            description: String::new(),
            day: date!(2026 - 11 - 26),
            times: Some((1080, 1200)),
            author: "dir".into(),
            audiences,
        }
    }

    #[test]
    fn who_sees_what() {
        let parents_6a = event(None, vec![Audience::Parents("6A".into())]);
        let parent = Viewer {
            login: "p".into(),
            profile: Some(Profile::Responsable),
            children_classes: vec!["6A".into()],
            ..Viewer::default()
        };
        let pupil = Viewer {
            login: "e".into(),
            profile: Some(Profile::Eleve),
            classes: vec!["6A".into()],
            ..Viewer::default()
        };
        let other_parent = Viewer {
            login: "q".into(),
            profile: Some(Profile::Responsable),
            children_classes: vec!["6B".into()],
            ..Viewer::default()
        };
        assert!(parent.sees(&parents_6a));
        assert!(!pupil.sees(&parents_6a));
        assert!(!other_parent.sees(&parents_6a));
        let staff = event(None, vec![Audience::Staff]);
        assert!(!pupil.sees(&staff) && !parent.sees(&staff));
        let teacher = Viewer {
            login: "t".into(),
            profile: Some(Profile::Enseignant),
            ..Viewer::default()
        };
        assert!(teacher.sees(&staff));
        let mine = event(Some("e"), vec![]);
        assert!(pupil.sees(&mine) && !parent.sees(&mine));
        assert!(
            !Viewer {
                publisher: true,
                ..teacher
            }
            .sees(&mine)
        );
        assert_eq!(
            Audience::parse("parents:6A"),
            Some(Audience::Parents("6A".into()))
        );
        assert_eq!(Audience::parse("classe:"), None);
    }
}
