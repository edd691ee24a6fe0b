//! Logins generated from names: `prenom.nom`, lowercase ASCII, accents and apostrophes folded,
//! at most [`Login::MAX_LEN`] characters, a numbered suffix for homonyms.

use unicode_normalization::UnicodeNormalization;

use super::Login;

/// Folds a name to lowercase ASCII letters and hyphens: "Élise-Anne d'Orléans" → "elise-anne-dorleans".
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfd() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '\'' | '’' => {}
            ' ' | '-' | '_' if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {} // combining marks and anything else
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// How logins are built from names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoginScheme {
    /// `prenom.nom`
    #[default]
    PrenomNom,
    /// `p.nom`
    InitialeNom,
    /// `prenom.n`
    PrenomInitiale,
}

impl LoginScheme {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "prenom.nom" => Some(Self::PrenomNom),
            "p.nom" => Some(Self::InitialeNom),
            "prenom.n" => Some(Self::PrenomInitiale),
            _ => None,
        }
    }
}

/// Candidate logins in order: the base, then the base numbered 2, 3... for homonyms, each cut
/// to [`Login::MAX_LEN`].
pub fn candidates(
    scheme: LoginScheme,
    given_name: &str,
    family_name: &str,
) -> impl Iterator<Item = Login> {
    let given = fold(given_name);
    let family = fold(family_name);
    let initial = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let (first, last) = match scheme {
        LoginScheme::PrenomNom => (given.clone(), family.clone()),
        LoginScheme::InitialeNom => (initial(&given), family.clone()),
        LoginScheme::PrenomInitiale => (given.clone(), initial(&family)),
    };
    let base = match (first.is_empty(), last.is_empty()) {
        (false, false) => format!("{first}.{last}"),
        (true, false) => last,
        (false, true) => first,
        (true, true) => "utilisateur".to_owned(),
    };
    (1..10_000u32).filter_map(move |n| {
        let suffix = if n == 1 { String::new() } else { n.to_string() };
        let room = Login::MAX_LEN - suffix.len();
        let stem: String = base.chars().take(room).collect();
        Login::parse(&format!("{}{suffix}", stem.trim_end_matches(['.', '-']))).ok()
    })
}

/// The first free `prenom.nom` login; `taken` says whether a candidate was ever given.
pub fn generate(
    given_name: &str,
    family_name: &str,
    mut taken: impl FnMut(&str) -> bool,
) -> Option<Login> {
    candidates(LoginScheme::PrenomNom, given_name, family_name).find(|c| !taken(c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn folds_accents_apostrophes_and_ligatures() {
        assert_eq!(fold("Élise-Anne"), "elise-anne");
        assert_eq!(fold("D'ORLÉANS"), "dorleans");
        assert_eq!(fold("Lætitia"), "laetitia");
        assert_eq!(fold("Cœur de Lion"), "coeur-de-lion");
    }

    #[test]
    fn schemes() {
        let first = |s| candidates(s, "Émile", "Zola").next().unwrap();
        assert_eq!(first(LoginScheme::PrenomNom).as_str(), "emile.zola");
        assert_eq!(first(LoginScheme::InitialeNom).as_str(), "e.zola");
        assert_eq!(first(LoginScheme::PrenomInitiale).as_str(), "emile.z");
    }

    #[test]
    fn homonyms_get_numbered_and_long_names_are_cut() {
        let mut used = HashSet::new();
        let mut next = |g: &str, f: &str| {
            let l = generate(g, f, |c| used.contains(c)).unwrap();
            used.insert(l.as_str().to_owned());
            l
        };
        assert_eq!(next("Léa", "Martin").as_str(), "lea.martin");
        assert_eq!(next("Lea", "MARTIN").as_str(), "lea.martin2");
        let long = next("Marie-Christine", "De La Fontaine-Rochefort");
        assert_eq!(long.as_str().len(), 20);
        let long2 = next("Marie-Christine", "De La Fontaine-Rochefort");
        assert!(long2.as_str().ends_with('2') && long2.as_str().len() <= 20);
    }
}
