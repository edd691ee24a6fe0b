//! What a CAS service learns about a person: only the attributes its registry entry lists.

use cartable_core::directory::{Person, Profile, Relations, Structure};

/// The `categories` value Pronote and other ENT clients read.
fn category(p: Profile) -> &'static str {
    match p {
        Profile::Eleve => "National_1",
        Profile::Responsable => "National_2",
        Profile::Enseignant => "National_3",
        _ => "National_4",
    }
}

/// The released attributes, in the registry's order; attributes with no value are left out.
pub fn release(
    names: &[String],
    person: &Person,
    relations: &Relations,
    structure: Option<&Structure>,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for name in names {
        let values: Vec<String> = match name.as_str() {
            "uid" => vec![person.login.to_string()],
            "nom" => vec![person.family_name.clone()],
            "prenom" => vec![person.given_name.clone()],
            "mail" => person.email.iter().cloned().collect(),
            "dateNaissance" => person
                .birth_date
                .map(|d| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()))
                .into_iter()
                .collect(),
            // Addresses are not kept by cartable: nothing to release.
            "codePostal" => Vec::new(),
            "categories" => vec![category(person.profile).to_owned()],
            "profil" => vec![person.profile.national_code().to_owned()],
            "ENTPersonJointure" => person.jointure.iter().map(|j| j.to_string()).collect(),
            "classes" => relations
                .classes
                .iter()
                .map(|c| c.code.to_string())
                .chain(relations.teachings.iter().map(|t| t.class.code.to_string()))
                .collect(),
            "uai" => structure.map(|s| s.uai.to_string()).into_iter().collect(),
            _ => Vec::new(),
        };
        if !values.is_empty() {
            out.push((name.clone(), values));
        }
    }
    out
}
