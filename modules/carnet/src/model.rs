//! What each person shows of himself, and what another sees of it: a pupil never sees the
//! contact details of another pupil or of a parent, whatever they chose.

use cartable_core::directory::{Person, Profile};

use crate::messages;

/// Longest phone number kept.
pub const MAX_PHONE: usize = 20;

/// A person's choices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    pub login: String,
    pub show_email: bool,
    pub phone: String,
    pub show_phone: bool,
}

/// What one sees of another's contact details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What `viewer` (his login and profile) sees of `subject`, whose card is `card`.
pub fn shown(viewer: (&str, Profile), subject: &Person, card: Option<&Card>) -> Shown {
    let (login, profile) = viewer;
    let Some(card) = card else {
        return Shown::default();
    };
    let own = subject.login.as_str() == login;
    if !own
        && profile == Profile::Eleve
        && matches!(subject.profile, Profile::Eleve | Profile::Responsable)
    {
        return Shown::default();
    }
    Shown {
        email: subject.email.clone().filter(|_| card.show_email),
        phone: Some(card.phone.clone()).filter(|p| card.show_phone && !p.is_empty()),
    }
}

/// A phone number as typed, checked: digits with spaces, dots or dashes, a leading `+`.
pub fn check_phone(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let ok = s.chars().count() <= MAX_PHONE
        && digits >= 6
        && s.char_indices()
            .all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(messages::PHONE_INVALID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartable_core::directory::{AccountState, Login};

    fn person(login: &str, profile: Profile) -> Person {
        Person {
            login: Login::parse(login).unwrap_or_else(|_| unreachable!()),
            jointure: None,
            profile,
            given_name: "A".into(),
            family_name: "B".into(),
            email: Some(format!("{login}@exemple.fr")),
            state: AccountState::Active,
            state_since: 0,
            must_change_password: false,
            birth_date: None,
            last_login: None,
        }
    }

    fn card(login: &str) -> Card {
        Card {
            login: login.into(),
            show_email: true,
            phone: "06 12 34 56 78".into(),
            show_phone: true,
        }
    }

    #[test]
    fn each_profile_pair() {
        use Profile::*;
        for viewer in Profile::ALL {
            for subject in Profile::ALL {
                let s = person("sujet", subject);
                let seen = shown(("lecteur", viewer), &s, Some(&card("sujet")));
                let hidden = viewer == Eleve && matches!(subject, Eleve | Responsable);
                assert_eq!(seen.email.is_none(), hidden, "{viewer:?} → {subject:?}");
                assert_eq!(seen.phone.is_none(), hidden, "{viewer:?} → {subject:?}");
            }
        }
        // One's own card, always; nothing chosen, nothing shown.
        let me = person("moi", Eleve);
        assert!(
            shown(("moi", Eleve), &me, Some(&card("moi")))
                .email
                .is_some()
        );
        assert_eq!(shown(("x", Direction), &me, None), Shown::default());
        let shy = Card {
            show_email: false,
            ..card("sujet")
        };
        let seen = shown(("x", Direction), &person("sujet", Enseignant), Some(&shy));
        assert!(seen.email.is_none() && seen.phone.is_some());
    }

    #[test]
    fn phones_as_people_type_them() {
        assert_eq!(check_phone(" 05 49 00 00 12 "), Ok("05 49 00 00 12".into()));
        assert!(check_phone("+33 6 12 34 56 78").is_ok());
        assert!(check_phone("05.49.00.00.12").is_ok());
        assert!(check_phone("appelez-moi").is_err());
        assert!(check_phone("12").is_err());
        assert!(check_phone("06 12 + 34 56").is_err());
        assert!(check_phone("0612345678901234567890").is_err());
    }
}
