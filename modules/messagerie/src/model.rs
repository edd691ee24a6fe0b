//! Messages, their addressees and the places they are kept in; no I/O.

use serde::{Deserialize, Serialize};

use crate::rules::List;

/// Where an addressee is put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    #[serde(rename = "a")]
    To,
    #[serde(rename = "cc")]
    Cc,
    /// Hidden copy: the other recipients do not see him; lists are always here.
    #[serde(rename = "cci")]
    Bcc,
}

impl Place {
    pub fn code(self) -> &'static str {
        match self {
            Place::To => "a",
            Place::Cc => "cc",
            Place::Bcc => "cci",
        }
    }

    pub fn parse(s: &str) -> Option<Place> {
        match s {
            "a" => Some(Place::To),
            "cc" => Some(Place::Cc),
            "cci" => Some(Place::Bcc),
            _ => None,
        }
    }
}

/// Someone, or a list, a message is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addressee {
    #[serde(rename = "p")]
    pub place: Place,
    /// `p:<login>` or `l:<list>`.
    #[serde(rename = "t")]
    pub token: String,
    /// The name shown (« Mme Durand », « Les parents de la 5e B »), as when it was chosen.
    #[serde(rename = "l")]
    pub label: String,
}

/// Whom a token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whom {
    Person(String),
    List(List),
}

impl Whom {
    pub fn parse(token: &str) -> Option<Whom> {
        match token.split_once(':') {
            Some(("p", login)) if valid_login(login) => Some(Whom::Person(login.to_owned())),
            Some(("l", list)) => List::parse(list).map(Whom::List),
            _ => None,
        }
    }

    pub fn token(&self) -> String {
        match self {
            Whom::Person(l) => format!("p:{l}"),
            Whom::List(l) => format!("l:{}", l.token()),
        }
    }
}

fn valid_login(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// `a:p:login` as the compose form sends a chosen addressee: place, then token.
pub fn parse_choice(v: &str) -> Option<(Place, Whom)> {
    let (place, token) = v.split_once(':')?;
    Some((Place::parse(place)?, Whom::parse(token)?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Draft,
    Sent,
    Recalled,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "brouillon",
            State::Sent => "envoye",
            State::Recalled => "rappele",
        }
    }

    pub fn parse(s: &str) -> State {
        match s {
            "envoye" => State::Sent,
            "rappele" => State::Recalled,
            _ => State::Draft,
        }
    }
}

/// A message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub thread: i64,
    pub parent: Option<i64>,
    pub sender: String,
    pub sender_name: String,
    pub subject: String,
    pub body: String,
    pub state: State,
    pub no_reply: bool,
    pub addressees: Vec<Addressee>,
    pub reached: i64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl Message {
    /// The addressees a reader may see: the visible ones, and himself if he was in hidden
    /// copy; the sender sees them all.
    pub fn shown_to(&self, reader: &str) -> Vec<&Addressee> {
        let me = format!("p:{reader}");
        self.addressees
            .iter()
            .filter(|a| reader == self.sender || a.place != Place::Bcc || a.token == me)
            .collect()
    }
}

/// The default places of a messagerie, then the person's folders (`dossier:<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    Inbox,
    Sent,
    Drafts,
    Trash,
    Own(i64),
}

impl Folder {
    pub fn code(&self) -> String {
        match self {
            Folder::Inbox => "reception".to_owned(),
            Folder::Sent => "envoyes".to_owned(),
            Folder::Drafts => "brouillons".to_owned(),
            Folder::Trash => "corbeille".to_owned(),
            Folder::Own(id) => format!("dossier:{id}"),
        }
    }

    pub fn parse(s: &str) -> Option<Folder> {
        Some(match s {
            "" | "reception" => Folder::Inbox,
            "envoyes" => Folder::Sent,
            "brouillons" => Folder::Drafts,
            "corbeille" => Folder::Trash,
            _ => Folder::Own(s.strip_prefix("dossier:")?.parse().ok()?),
        })
    }
}

/// A line of a folder's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub message: Message,
    pub role: String,
    pub unread: bool,
    pub pieces: i64,
    pub at: i64,
}

/// An attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub id: i64,
    pub message: i64,
    pub name: String,
    pub size: i64,
    pub hash: String,
    pub mime: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_and_tokens_parse_strictly() {
        assert_eq!(
            parse_choice("a:p:lucas.martin"),
            Some((Place::To, Whom::Person("lucas.martin".into())))
        );
        assert_eq!(
            parse_choice("cci:l:parents:5B"),
            Some((Place::Bcc, Whom::List(List::ClassParents("5B".into()))))
        );
        for junk in [
            "",
            "a",
            "a:p:",
            "x:p:lucas",
            "a:p:lu cas",
            "a:q:lucas",
            "a:l:tous",
        ] {
            assert_eq!(parse_choice(junk), None, "{junk}");
        }
        for f in [
            Folder::Inbox,
            Folder::Sent,
            Folder::Drafts,
            Folder::Trash,
            Folder::Own(7),
        ] {
            assert_eq!(Folder::parse(&f.code()), Some(f));
        }
        assert_eq!(Folder::parse("dossier:x"), None);
    }

    #[test]
    fn hidden_copies_stay_hidden() {
        let a = |place, token: &str| Addressee {
            place,
            token: token.to_owned(),
            label: token.to_owned(),
        };
        let m = Message {
            id: 1,
            thread: 1,
            parent: None,
            sender: "prof".into(),
            sender_name: "Prof".into(),
            subject: "s".into(),
            body: "b".into(),
            state: State::Sent,
            no_reply: false,
            addressees: vec![
                a(Place::To, "p:emma"),
                a(Place::Bcc, "p:lucas"),
                a(Place::Bcc, "l:parents:5B"),
            ],
            reached: 3,
            created_at: 0,
            sent_at: Some(0),
        };
        assert_eq!(m.shown_to("emma").len(), 1);
        assert_eq!(m.shown_to("lucas").len(), 2);
        assert_eq!(m.shown_to("prof").len(), 3);
    }
}
