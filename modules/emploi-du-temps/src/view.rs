//! Whose courses a page shows, and a week of them with the changes of each day applied.

use time::{Date, Duration};

use crate::model::{Audience, Change, ChangeKind, Course, Weeks, date_in_week, week_kind};

/// The courses of someone: a pupil's class and groups, a teacher's own courses, a class's
/// (its groups included).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub classes: Vec<String>,
    pub groups: Vec<String>,
    pub teacher: Option<String>,
}

impl Scope {
    pub fn takes(&self, c: &Course) -> bool {
        let mine = match &c.audience {
            Audience::Class(k) => self.classes.contains(k),
            Audience::Group(g) => self.groups.contains(g),
        };
        mine || self
            .teacher
            .as_ref()
            .is_some_and(|t| c.teachers.contains(t))
    }

    pub fn is_empty(&self) -> bool {
        self.classes.is_empty() && self.groups.is_empty() && self.teacher.is_none()
    }
}

/// One course on one date.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub course: Course,
    pub date: Date,
    pub change: Option<Change>,
}

impl Occurrence {
    pub fn cancelled(&self) -> bool {
        matches!(
            self.change.as_ref().map(|c| &c.kind),
            Some(ChangeKind::Cancelled)
        )
    }

    /// The room it takes place in, after a change.
    pub fn room(&self) -> &str {
        match self.change.as_ref().map(|c| &c.kind) {
            Some(ChangeKind::Room(r)) => r,
            _ => &self.course.room,
        }
    }
}

/// The kind of a week (A or B), or every week when no reference is set.
pub fn kind_of(monday: Date, reference_a: Option<Date>) -> Weeks {
    reference_a.map_or(Weeks::Every, |r| week_kind(monday, r))
}

/// The occurrences of the week starting `monday`, by date then time.
pub fn week(
    courses: &[Course],
    changes: &[Change],
    scope: &Scope,
    monday: Date,
    reference_a: Option<Date>,
) -> Vec<Occurrence> {
    let kind = kind_of(monday, reference_a);
    let mut out: Vec<Occurrence> = courses
        .iter()
        // Without a reference, A and B courses are all shown (better than none).
        .filter(|c| scope.takes(c) && (kind == Weeks::Every || c.weeks.in_week(kind)))
        .map(|c| {
            let date = date_in_week(monday, c.day);
            Occurrence {
                course: c.clone(),
                date,
                change: changes
                    .iter()
                    .find(|ch| ch.course_id == c.id && ch.date == date)
                    .cloned(),
            }
        })
        .collect();
    out.sort_by_key(|o| (o.date, o.course.start, o.course.id));
    out
}

/// The occurrences of `weeks` weeks from `monday`.
pub fn weeks(
    courses: &[Course],
    changes: &[Change],
    scope: &Scope,
    monday: Date,
    count: i64,
    reference_a: Option<Date>,
) -> Vec<Occurrence> {
    (0..count)
        .flat_map(|i| {
            week(
                courses,
                changes,
                scope,
                monday + Duration::weeks(i),
                reference_a,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn course(id: i64, day: u8, weeks: Weeks, audience: Audience) -> Course {
        Course {
            id,
            day,
            start: 480,
            end: 540,
            weeks,
            subject: "Maths".into(),
            teachers: vec!["prof".into()],
            audience,
            room: "S1".into(),
        }
    }

    #[test]
    fn a_pupil_sees_his_class_and_groups_in_the_right_weeks() {
        let all = vec![
            course(1, 1, Weeks::Every, Audience::Class("6A".into())),
            course(2, 2, Weeks::A, Audience::Group("6AGR1".into())),
            course(3, 2, Weeks::B, Audience::Group("6AGR2".into())),
            course(4, 3, Weeks::Every, Audience::Class("6B".into())),
        ];
        let pupil = Scope {
            classes: vec!["6A".into()],
            groups: vec!["6AGR1".into()],
            teacher: None,
        };
        let a = date!(2026 - 08 - 31);
        let ids = |monday| -> Vec<i64> {
            week(&all, &[], &pupil, monday, Some(a))
                .iter()
                .map(|o| o.course.id)
                .collect()
        };
        assert_eq!(ids(a), [1, 2]);
        assert_eq!(ids(date!(2026 - 09 - 07)), [1]);
        let teacher = Scope {
            teacher: Some("prof".into()),
            ..Scope::default()
        };
        assert_eq!(week(&all, &[], &teacher, a, Some(a)).len(), 3);
    }

    #[test]
    fn changes_apply_to_their_date_only() {
        let all = vec![course(1, 1, Weeks::Every, Audience::Class("6A".into()))];
        let scope = Scope {
            classes: vec!["6A".into()],
            ..Scope::default()
        };
        let monday = date!(2026 - 11 - 23);
        let changes = vec![
            Change {
                course_id: 1,
                date: monday,
                kind: ChangeKind::Room("B12".into()),
                note: String::new(),
            },
            Change {
                course_id: 1,
                date: date!(2026 - 11 - 30),
                kind: ChangeKind::Cancelled,
                note: "Sortie".into(),
            },
        ];
        let w = weeks(&all, &changes, &scope, monday, 3, None);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].room(), "B12");
        assert!(!w[0].cancelled() && w[1].cancelled() && w[2].change.is_none());
        assert_eq!(w[2].room(), "S1");
    }
}
