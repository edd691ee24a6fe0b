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

/// The first free login for a person: `prenom.nom`, then `prenom.nom2`, `prenom.nom3`...
/// `taken` says whether a candidate was ever given.
pub fn generate(
    given_name: &str,
    family_name: &str,
    mut taken: impl FnMut(&str) -> bool,
) -> Option<Login> {
    let given = fold(given_name);
    let family = fold(family_name);
    let base = match (given.is_empty(), family.is_empty()) {
        (false, false) => format!("{given}.{family}"),
        (true, false) => family,
        (false, true) => given,
        (true, true) => "utilisateur".to_owned(),
    };
    for n in 1..10_000u32 {
        let suffix = if n == 1 { String::new() } else { n.to_string() };
        let room = Login::MAX_LEN - suffix.len();
        let stem: String = base.chars().take(room).collect();
        let candidate = format!("{}{suffix}", stem.trim_end_matches(['.', '-']));
        if !taken(&candidate) {
            return Login::parse(&candidate).ok();
        }
    }
    None
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
