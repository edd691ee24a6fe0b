//! What a teacher evaluates: a class in one of his subjects, or one of his teaching groups
//! (an LV2, an option: its subject is the group's name). As a form sends it:
//! `5B|Mathématiques`, `groupe|4-ESP`.

use cartable_core::authz::{Action, Target};
use cartable_core::directory::{ClassCode, GroupCode, GroupKind, Person, Relations};
use cartable_web::error::WebError;
use cartable_web::policy::Me;
use cartable_web::state::AppState;

use crate::ENTER;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    /// The class's or the group's code.
    pub code: String,
    pub is_group: bool,
    pub subject: String,
    /// « 5e B — Mathématiques », « Espagnol LV2 4e ».
    pub label: String,
}

const GROUP: &str = "groupe|";

impl Course {
    pub fn value(&self) -> String {
        if self.is_group {
            format!("{GROUP}{}", self.code)
        } else {
            format!("{}|{}", self.code, self.subject)
        }
    }

    /// The teacher may evaluate it (the one policy: he teaches the class, or is in the
    /// group).
    pub fn allowed(&self, ctx: &Me) -> bool {
        if self.is_group {
            GroupCode::parse(&self.code)
                .is_ok_and(|g| ctx.may(Action::Module(ENTER), &Target::Group(&g)))
        } else {
            ClassCode::parse(&self.code)
                .is_ok_and(|c| ctx.may(Action::Module(ENTER), &Target::Class(&c)))
        }
    }
}

/// A teacher's courses: his classes' subjects, then his teaching groups.
pub fn of_teacher(rel: &Relations) -> Vec<Course> {
    let mut out = Vec::new();
    for t in &rel.teachings {
        for s in &t.subjects {
            out.push(Course {
                code: t.class.code.to_string(),
                is_group: false,
                subject: s.clone(),
                label: format!("{} — {s}", t.class.label),
            });
        }
    }
    for g in rel.groups.iter().filter(|g| g.kind == GroupKind::Groupe) {
        out.push(Course {
            code: g.code.to_string(),
            is_group: true,
            subject: g.label.clone(),
            label: g.label.clone(),
        });
    }
    out
}

/// The course a form names, if it is one of the teacher's and the policy lets him evaluate it.
pub fn find(ctx: &Me, value: &str) -> Option<Course> {
    of_teacher(&ctx.relations)
        .into_iter()
        .find(|c| c.value() == value)
        .filter(|c| c.allowed(ctx))
}

/// The pupils of a class or a group, active ones.
pub async fn pupils_of(
    state: &AppState,
    code: &str,
    is_group: bool,
) -> Result<Vec<Person>, WebError> {
    let mut all = cartable_web::people::pupils_in(state, code, is_group).await?;
    all.retain(|p| p.state == cartable_core::directory::AccountState::Active);
    Ok(all)
}

/// The audiences a pupil's results are made of: his class and his teaching groups.
pub fn of_pupil(class: &str, rel: &Relations) -> Vec<crate::store::Audience> {
    let mut out = vec![(class.to_owned(), false)];
    out.extend(
        rel.groups
            .iter()
            .filter(|g| g.kind == GroupKind::Groupe)
            .map(|g| (g.code.to_string(), true)),
    );
    out
}

/// The audiences of a class's pages (the conseil, the bulletins): the class and every teaching
/// group one of its pupils is in.
pub async fn of_class(
    state: &AppState,
    class: &str,
    pupils: &[Person],
) -> Result<Vec<crate::store::Audience>, WebError> {
    use cartable_core::directory::DirectoryRead;
    let mut out = vec![(class.to_owned(), false)];
    for p in pupils {
        for a in of_pupil(class, &state.directory.relations(&p.login).await?) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    Ok(out)
}
