//! Password policy per profile: length, classes of characters, and how hard the password is to
//! guess (zxcvbn's estimate: common passwords, keyboard runs such as `azerty`, dates, the
//! person's own names are found). Pupils and parents get a policy they can live with; staff,
//! who see minors' data, a stronger one.

use crate::directory::Profile;
use crate::messages;

/// What a password must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_len: usize,
    /// Of: lowercase, uppercase, digits, other characters.
    pub min_classes: usize,
    /// zxcvbn's score (0 to 4) at least.
    pub min_score: u8,
}

/// Longest password checked (zxcvbn's work grows with the length; a passphrase is shorter).
pub const MAX_LEN: usize = 128;

/// Words any French school's passwords are made of, besides zxcvbn's own lists.
const LOCAL_WORDS: [&str; 24] = [
    "motdepasse",
    "azerty",
    "azertyuiop",
    "qsdfghjklm",
    "soleil",
    "bonjour",
    "chouchou",
    "doudou",
    "loulou",
    "jetaime",
    "marseille",
    "paris",
    "college",
    "collège",
    "lycee",
    "lycée",
    "ecole",
    "école",
    "cartable",
    "ent",
    "eleve",
    "élève",
    "professeur",
    "france",
];

impl PasswordPolicy {
    pub fn for_profile(p: Profile) -> Self {
        match p {
            Profile::Eleve | Profile::Responsable => Self {
                min_len: 8,
                min_classes: 2,
                min_score: 2,
            },
            _ => Self {
                min_len: 12,
                min_classes: 3,
                min_score: 3,
            },
        }
    }

    /// The policy in words, as shown next to a password field.
    pub fn describe(&self) -> String {
        messages::password_policy(self.min_len, self.min_classes)
    }

    /// Refuses a password that does not satisfy the policy, saying why in French. `personal`
    /// are the person's own words (login, names), which make a password easy to guess.
    pub fn check(&self, password: &str, personal: &[&str]) -> Result<(), String> {
        let len = password.chars().count();
        if len < self.min_len {
            return Err(messages::password_too_short(self.min_len));
        }
        if len > MAX_LEN {
            return Err(messages::password_too_long(MAX_LEN));
        }
        let classes = [
            password.chars().any(|c| c.is_lowercase()),
            password.chars().any(|c| c.is_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_alphanumeric()),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if classes < self.min_classes {
            return Err(messages::password_too_simple(self.min_classes));
        }
        let mut words: Vec<&str> = LOCAL_WORDS.to_vec();
        words.extend(personal.iter().copied().filter(|w| !w.is_empty()));
        if u8::from(zxcvbn::zxcvbn(password, &words).score()) < self.min_score {
            return Err(messages::PASSWORD_GUESSABLE.to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pupils_and_staff() {
        let pupil = PasswordPolicy::for_profile(Profile::Eleve);
        assert!(pupil.check("tilleul26", &[]).is_ok());
        assert!(
            pupil
                .check("tilleul", &[])
                .unwrap_err()
                .contains("8 caractères")
        );
        assert!(pupil.check("tilleulier", &[]).is_err());
        let staff = PasswordPolicy::for_profile(Profile::Enseignant);
        assert!(staff.check("tilleul26", &[]).is_err());
        assert!(staff.check("Tilleul-2026", &[]).is_ok());
        assert!(staff.describe().contains("12 caractères"));
    }

    #[test]
    fn common_passwords_keyboard_runs_and_own_names_are_refused() {
        let pupil = PasswordPolicy::for_profile(Profile::Eleve);
        for weak in ["azerty123", "soleil2012", "motdepasse1", "loulou123"] {
            let e = pupil.check(weak, &[]).unwrap_err();
            assert!(e.contains("facile à deviner"), "{weak}: {e}");
        }
        assert!(
            pupil
                .check("Martin2013", &["lea.martin", "Léa", "MARTIN"])
                .is_err()
        );
        let staff = PasswordPolicy::for_profile(Profile::Direction);
        for weak in ["Password1234", "Azerty123456", "Bonjour2026!"] {
            assert!(staff.check(weak, &[]).is_err(), "{weak}");
        }
        assert!(staff.check("Marronnier-des-Tilleuls-26", &[]).is_ok());
        assert!(
            pupil.check(&"a1".repeat(100), &[]).is_err(),
            "bounded length"
        );
    }
}
