//! Password policy per profile: length and classes of characters. Pupils and parents get a
//! policy they can live with; staff, who see minors' data, a stronger one.

use crate::directory::Profile;
use crate::messages;

/// What a password must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_len: usize,
    /// Of: lowercase, uppercase, digits, other characters.
    pub min_classes: usize,
}

impl PasswordPolicy {
    pub fn for_profile(p: Profile) -> Self {
        match p {
            Profile::Eleve | Profile::Responsable => Self {
                min_len: 8,
                min_classes: 2,
            },
            _ => Self {
                min_len: 12,
                min_classes: 3,
            },
        }
    }

    /// The policy in words, as shown next to a password field.
    pub fn describe(&self) -> String {
        messages::password_policy(self.min_len, self.min_classes)
    }

    /// Refuses a password that does not satisfy the policy, saying why in French.
    pub fn check(&self, password: &str) -> Result<(), String> {
        let len = password.chars().count();
        if len < self.min_len {
            return Err(messages::password_too_short(self.min_len));
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pupils_and_staff() {
        let pupil = PasswordPolicy::for_profile(Profile::Eleve);
        assert!(pupil.check("tilleul26").is_ok());
        assert!(pupil.check("tilleul").unwrap_err().contains("8 caractères"));
        assert!(pupil.check("tilleulier").is_err());
        let staff = PasswordPolicy::for_profile(Profile::Enseignant);
        assert!(staff.check("tilleul26").is_err());
        assert!(staff.check("Tilleul-2026").is_ok());
        assert!(staff.describe().contains("12 caractères"));
    }
}
