//! A blog is a class's or a group's: its teachers write (and its pupils, where the blog
//! allows, for a teacher to publish), the class and its families read, everyone who reads may
//! comment, and every comment waits for a teacher.

use cartable_core::directory::Profile;

/// Whose blog: a class's or a group's, by code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Class(String),
    Group(String),
}

impl Place {
    pub fn key(&self) -> String {
        match self {
            Place::Class(c) => format!("classe:{c}"),
            Place::Group(g) => format!("groupe:{g}"),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        match key.split_once(':')? {
            (_, "") => None,
            ("classe", c) => Some(Place::Class(c.to_owned())),
            ("groupe", g) => Some(Place::Group(g.to_owned())),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blog {
    pub id: i64,
    pub place: Place,
    pub title: String,
    pub owner: String,
    pub pupils_write: bool,
    pub comments: bool,
    pub created: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A pupil's post, or any comment, until a teacher publishes it.
    Waiting,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "attente",
            Status::Published => "publie",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "publie" {
            Status::Published
        } else {
            Status::Waiting
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: i64,
    pub blog: i64,
    pub title: String,
    pub body: String,
    pub author: String,
    pub status: Status,
    pub created: i64,
    pub published: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: i64,
    pub post: i64,
    pub author: String,
    pub body: String,
    pub status: Status,
    pub created: i64,
}

/// What a person is to the blogs.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    pub login: String,
    pub profile: Option<Profile>,
    pub classes: Vec<String>,
    pub teaches: Vec<String>,
    pub groups: Vec<String>,
    /// Classes of his children.
    pub children_classes: Vec<String>,
    /// Moderates every blog (direction, RUPN).
    pub moderates_all: bool,
}

impl Reader {
    fn staff(&self) -> bool {
        !matches!(
            self.profile,
            Some(Profile::Eleve | Profile::Responsable) | None
        )
    }

    /// A teacher of the class, or a staff member of the group.
    pub fn teaches_at(&self, p: &Place) -> bool {
        match p {
            Place::Class(c) => self.teaches.contains(c),
            Place::Group(g) => self.staff() && self.groups.contains(g),
        }
    }

    /// A pupil of the class or of the group.
    pub fn pupil_at(&self, p: &Place) -> bool {
        self.profile == Some(Profile::Eleve)
            && match p {
                Place::Class(c) => self.classes.contains(c),
                Place::Group(g) => self.groups.contains(g),
            }
    }

    /// Reads it: its class or group, the families of a class's pupils, its moderators.
    pub fn reads(&self, b: &Blog) -> bool {
        self.moderates(b)
            || self.teaches_at(&b.place)
            || self.pupil_at(&b.place)
            || matches!(&b.place, Place::Class(c) if self.children_classes.contains(c))
    }

    /// Publishes in it (and validates pupils' posts and comments).
    pub fn moderates(&self, b: &Blog) -> bool {
        self.moderates_all || b.owner == self.login || self.teaches_at(&b.place)
    }

    /// Writes a post: its teachers, and its pupils where the blog allows (to be validated).
    pub fn writes(&self, b: &Blog) -> bool {
        self.moderates(b) || (b.pupils_write && self.pupil_at(&b.place))
    }

    /// Opens a blog for a place: one of his classes or groups as a teacher.
    pub fn opens_for(&self, p: &Place) -> bool {
        self.moderates_all || self.teaches_at(p)
    }

    /// Sees a post: published, or his own, or he moderates the blog.
    pub fn sees(&self, b: &Blog, post: &Post) -> bool {
        self.reads(b)
            && (post.status == Status::Published || post.author == self.login || self.moderates(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_writers_and_moderators() {
        let blog = Blog {
            id: 1,
            place: Place::Class("6A".into()),
            title: "Les 6e A au musée".into(),
            owner: "prof".into(),
            pupils_write: true,
            comments: true,
            created: 0,
        };
        let pupil = Reader {
            login: "e".into(),
            profile: Some(Profile::Eleve),
            classes: vec!["6A".into()],
            ..Reader::default()
        };
        let parent = Reader {
            login: "p".into(),
            profile: Some(Profile::Responsable),
            children_classes: vec!["6A".into()],
            ..Reader::default()
        };
        let other_parent = Reader {
            login: "q".into(),
            profile: Some(Profile::Responsable),
            children_classes: vec!["5B".into()],
            ..Reader::default()
        };
        let colleague = Reader {
            login: "t".into(),
            profile: Some(Profile::Enseignant),
            teaches: vec!["6A".into()],
            ..Reader::default()
        };
        assert!(pupil.reads(&blog) && pupil.writes(&blog) && !pupil.moderates(&blog));
        assert!(parent.reads(&blog) && !parent.writes(&blog));
        assert!(!other_parent.reads(&blog));
        assert!(colleague.moderates(&blog) && colleague.opens_for(&blog.place));
        assert!(!pupil.opens_for(&blog.place));
        let closed = Blog {
            pupils_write: false,
            ..blog.clone()
        };
        assert!(!pupil.writes(&closed));
        let waiting = Post {
            id: 1,
            blog: 1,
            title: "t".into(),
            body: "b".into(),
            author: "e2".into(),
            status: Status::Waiting,
            created: 0,
            published: None,
        };
        assert!(!parent.sees(&blog, &waiting) && !pupil.sees(&blog, &waiting));
        assert!(colleague.sees(&blog, &waiting));
        assert_eq!(
            Place::parse("groupe:latin"),
            Some(Place::Group("latin".into()))
        );
        assert_eq!(Place::parse("classe:"), None);
    }
}
