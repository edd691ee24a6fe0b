//! Login letters: one A4 page per person giving the ENT's address, the login and the initial
//! password, in French, ready to hand out. Plain PDF with the standard Helvetica fonts in
//! WinAnsi encoding (every French letter is there); nothing embedded, any printer reads it.

use pdf_writer::Content;

use crate::pdf::{BOLD, MONO, REGULAR, line};

use crate::directory::{Person, Profile, Relations};

/// Store meta key of the établissement's name as the console shows it (overrides the
/// directory's).
pub const ETABLISSEMENT_NAME_KEY: &str = "etablissement.nom";

/// The line under the name: "Élève — 6e A", "Responsable de Léa MARTIN (6e A)", the profile.
pub fn role_line(person: &Person, relations: &Relations) -> String {
    let classes = |r: &Relations| {
        r.classes
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match person.profile {
        Profile::Eleve => format!("Élève — {}", classes(relations)),
        Profile::Responsable => {
            let children: Vec<String> = relations
                .children
                .iter()
                .map(|c| match &c.class {
                    Some(cl) => format!("{} ({})", c.display_name, cl.label),
                    None => c.display_name.clone(),
                })
                .collect();
            format!("Responsable {}", crate::messages::de(&children.join(", ")))
        }
        p => p.label().to_owned(),
    }
}

/// What one letter says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub etablissement: String,
    /// Where to sign in (`https://…`).
    pub url: String,
    /// "Léa MARTIN".
    pub name: String,
    /// "Élève — 6e A", "Responsable de Léa MARTIN (6e A)"…
    pub role: String,
    pub login: String,
    pub password: String,
}

fn page_content(l: &Letter) -> Vec<u8> {
    let mut c = Content::new();
    let left = 72.0;
    line(&mut c, BOLD, 13.0, left, 770.0, &l.etablissement);
    line(
        &mut c,
        REGULAR,
        10.0,
        left,
        754.0,
        "Espace numérique de travail",
    );
    line(&mut c, BOLD, 20.0, left, 680.0, "Votre compte");
    line(&mut c, REGULAR, 13.0, left, 650.0, &l.name);
    line(&mut c, REGULAR, 11.0, left, 632.0, &l.role);
    // The box with what to type.
    c.set_fill_rgb(0.93, 0.95, 0.98);
    c.rect(left - 10.0, 480.0, 451.0, 120.0);
    c.fill_nonzero();
    c.set_fill_rgb(0.0, 0.0, 0.0);
    line(&mut c, REGULAR, 11.0, left, 575.0, "Adresse :");
    line(&mut c, MONO, 12.0, left + 110.0, 575.0, &l.url);
    line(&mut c, REGULAR, 11.0, left, 545.0, "Identifiant :");
    line(&mut c, MONO, 14.0, left + 110.0, 545.0, &l.login);
    line(&mut c, REGULAR, 11.0, left, 510.0, "Mot de passe :");
    line(&mut c, MONO, 14.0, left + 110.0, 510.0, &l.password);
    let advice = [
        "À la première connexion, vous choisirez un nouveau mot de passe.",
        "Gardez ce courrier en lieu sûr ; ne communiquez jamais votre mot de passe.",
        "Mot de passe oublié : adressez-vous à l'établissement.",
    ];
    for (i, a) in advice.iter().enumerate() {
        line(&mut c, REGULAR, 10.5, left, 440.0 - 18.0 * i as f32, a);
    }
    c.finish().to_vec()
}

/// One page per letter, in the order given.
pub fn pdf(letters: &[Letter]) -> Vec<u8> {
    let pages: Vec<Vec<u8>> = letters.iter().map(page_content).collect();
    crate::pdf::assemble(&pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_per_letter() {
        let l = Letter {
            etablissement: "Collège Les Tilleuls".into(),
            url: "https://ent.example".into(),
            name: "Léa MARTIN".into(),
            role: "Élève — 6e A".into(),
            login: "lea.martin".into(),
            password: "Tilleul-26".into(),
        };
        let bytes = pdf(&[l.clone(), l]);
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        assert_eq!(pages, 2);
        assert_eq!(crate::pdf::win("Élève œ €"), b"\xc9l\xe8ve \x9c \x80");
    }
}
