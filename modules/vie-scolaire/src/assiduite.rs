//! Counting absences with the établissement's settings: a pupil's counts, the alerts of the
//! board, and the rates per class and level for the conseil d'administration.

use std::collections::{BTreeMap, HashMap, HashSet};

use actix_web::{HttpResponse, web};
use cartable_core::dates::{iso, parse_iso, today_in_france};
use cartable_core::directory::{DirectoryRead, Login, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::module::InModule;
use cartable_web::pages::{chrome, html, see_other_with};
use cartable_web::policy::Me;
use cartable_web::state::AppState;
use serde::Deserialize;
use time::Date;

use crate::counting::{self, ALERT_DAYS, Count, Excuses, Missed, Settings, Unit};
use crate::model::{Half, JustState, Justification, PupilMark};
use crate::pages::{desk, names};
use crate::templates::{RateRow, RatesPage};
use crate::{ID, messages, presence, store};

/// What counting needs of a period, loaded in one read.
pub(crate) struct Loaded {
    pub settings: Settings,
    pub marks: Vec<PupilMark>,
    pub reported: Vec<counting::Reported>,
    pub justs: Vec<Justification>,
    pub excuses: Excuses,
}

impl Loaded {
    pub fn missed(&self) -> Missed {
        counting::missed(&self.excuses.counted(&self.marks), &self.reported)
    }

    pub fn decided(&self) -> HashMap<(String, Date, Half), JustState> {
        counting::decided(&self.justs)
    }
}

/// Everything of `from`..=`to`, or of one pupil.
pub(crate) async fn load(
    state: &AppState,
    pupil: Option<String>,
    from: Date,
    to: Date,
) -> Result<Loaded, WebError> {
    Ok(state
        .store
        .read(move |r| {
            let p = pupil.as_deref();
            Ok(Loaded {
                settings: presence::settings(r)?,
                marks: store::marks_where(r, p, Some(from), Some(to))?,
                reported: store::reported(r, p, Some(from), Some(to))?,
                justs: match p {
                    Some(p) => store::justifications_of(r, p)?,
                    None => store::justifications_between(r, from, to)?,
                },
                excuses: match p {
                    Some(p) => presence::excuses_of(r, p)?,
                    None => presence::excuses(r, from, to)?,
                },
            })
        })
        .await?)
}

/// Courses of a pupil's classes and groups given in each reported demi-journée with no appel
/// marking him (what « heure » counts for them).
async fn hours_reported(
    state: &AppState,
    missed: &Missed,
) -> Result<HashMap<(String, Date, Half), usize>, WebError> {
    let wanted: Vec<(String, Date, Half)> = missed
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| k.clone())
        .collect();
    let mut audiences: HashMap<String, HashSet<String>> = HashMap::new();
    let mut out = HashMap::new();
    let mut days: HashMap<Date, Vec<cartable_core::store::CourseRow>> = HashMap::new();
    for (pupil, day, half) in wanted {
        if !audiences.contains_key(&pupil) {
            let mut set = HashSet::new();
            if let Ok(login) = Login::parse(&pupil) {
                let rel = state.directory.relations(&login).await?;
                set.extend(rel.classes.iter().map(|c| c.code.to_string()));
                set.extend(rel.groups.iter().map(|g| g.code.to_string()));
            }
            audiences.insert(pupil.clone(), set);
        }
        if let std::collections::hash_map::Entry::Vacant(e) = days.entry(day) {
            e.insert(state.store.read(move |r| r.courses_on(day)).await?);
        }
        let mine = &audiences[&pupil];
        let mut seen = HashSet::new();
        let n = days[&day]
            .iter()
            .filter(|c| Half::of(c.start) == half && mine.contains(&c.audience))
            .filter(|c| seen.insert((c.start, c.audience.clone())))
            .count();
        out.insert((pupil, day, half), n);
    }
    Ok(out)
}

/// Counts per pupil of a loaded period, in the établissement's unit.
pub(crate) async fn counts(
    state: &AppState,
    l: &Loaded,
) -> Result<HashMap<String, Count>, WebError> {
    let missed = l.missed();
    let hours = if l.settings.unit == Unit::Heure {
        hours_reported(state, &missed).await?
    } else {
        HashMap::new()
    };
    let lookup = |p: &str, d: Date, h: Half| hours.get(&(p.to_owned(), d, h)).copied().unwrap_or(0);
    Ok(counting::count(
        l.settings.unit,
        &missed,
        &l.decided(),
        &lookup,
    ))
}

/// The first day of the school year `day` is in (1 September).
pub(crate) fn school_year_start(day: Date) -> Date {
    let year = if day.month() as u8 >= 9 {
        day.year()
    } else {
        day.year() - 1
    };
    Date::from_calendar_date(year, time::Month::September, 1).unwrap_or(day)
}

/// One pupil's counts since the start of the school year.
pub(crate) async fn pupil_count(
    state: &AppState,
    pupil: &str,
) -> Result<(Settings, Count), WebError> {
    let today = today_in_france(state.clock.now());
    let l = load(
        state,
        Some(pupil.to_owned()),
        school_year_start(today),
        today,
    )
    .await?;
    let c = counts(state, &l).await?.remove(pupil).unwrap_or_default();
    Ok((l.settings, c))
}

/// A pupil's attendance over `from..=to` (a bulletin's period), asked through the host.
pub(crate) async fn attendance(
    state: &AppState,
    pupil: &str,
    from: Date,
    to: Date,
) -> Result<Option<cartable_core::school_life::Attendance>, WebError> {
    let l = load(state, Some(pupil.to_owned()), from, to).await?;
    let c = counts(state, &l).await?.remove(pupil).unwrap_or_default();
    let lates = l
        .marks
        .iter()
        .filter(|pm| pm.mark.kind == crate::model::MarkKind::Retard)
        .count();
    Ok(Some(cartable_core::school_life::Attendance {
        missed: c.missed,
        unjustified: c.unjustified,
        lates,
        unit: l.settings.unit.forms(),
    }))
}

/// The board's alerts: pupils at or past the threshold of unjustified units over the 30 days
/// up to `day`; (login, name, count), most first.
pub(crate) async fn alerts_on(
    state: &AppState,
    day: Date,
) -> Result<(Settings, Vec<(String, String, usize)>), WebError> {
    let from = day - time::Duration::days(ALERT_DAYS - 1);
    let l = load(state, None, from, day).await?;
    let past: Vec<(String, usize)> = counts(state, &l)
        .await?
        .into_iter()
        .filter(|(_, c)| c.unjustified >= l.settings.threshold)
        .map(|(p, c)| (p, c.unjustified))
        .collect();
    let who = names(state, past.iter().map(|(l, _)| l.clone())).await;
    let mut out: Vec<(String, String, usize)> = past
        .into_iter()
        .map(|(l, n)| {
            let name = who.get(&l).cloned().unwrap_or_default();
            (l, name, n)
        })
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    Ok((l.settings, out))
}

#[derive(Deserialize)]
pub struct RatesQuery {
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

/// Sums of a class, a level or the établissement.
#[derive(Default, Clone, Copy)]
struct Sums {
    pupils: usize,
    due: usize,
    missed: usize,
    unjustified: usize,
    past_threshold: usize,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.pupils += o.pupils;
        self.due += o.due;
        self.missed += o.missed;
        self.unjustified += o.unjustified;
        self.past_threshold += o.past_threshold;
    }

    fn row(&self, label: String, unit: Unit) -> RateRow {
        let pct = |n: usize| {
            if self.due == 0 {
                "—".to_owned()
            } else {
                format!("{:.2} %", n as f64 * 100.0 / self.due as f64).replace('.', ",")
            }
        };
        RateRow {
            label,
            pupils: self.pupils,
            due: unit.count(self.due),
            missed: self.missed,
            unjustified: self.unjustified,
            rate: pct(self.missed),
            rate_unjustified: pct(self.unjustified),
            past_threshold: self.past_threshold,
        }
    }
}

/// Units a class's timetable gave each of its pupils over the period: its courses (not its
/// groups'), counted as the unit says.
fn units_due(courses: &[(Date, u16)], unit: Unit) -> usize {
    match unit {
        Unit::Heure => courses.len(),
        Unit::DemiJournee => courses
            .iter()
            .map(|(d, s)| (*d, Half::of(*s)))
            .collect::<HashSet<_>>()
            .len(),
        Unit::Journee => courses
            .iter()
            .map(|(d, _)| *d)
            .collect::<HashSet<_>>()
            .len(),
    }
}

/// `GET /vie-scolaire/taux?du=…&au=…`: absence rates per class and level, and pupils who
/// reached the alert threshold in a calendar month, for the conseil d'administration.
pub async fn rates(
    m: InModule,
    state: web::Data<AppState>,
    q: web::Query<RatesQuery>,
) -> Result<HttpResponse, WebError> {
    let ctx = Me::of(&state, &m.me).await?;
    if !desk(&ctx) {
        return Err(WebError::NotFound);
    }
    let today = today_in_france(state.clock.now());
    let from = if q.du.is_empty() {
        Some(school_year_start(today))
    } else {
        parse_iso(&q.du)
    };
    let to = if q.au.is_empty() {
        Some(today)
    } else {
        parse_iso(&q.au)
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(see_other_with(
            &format!("/{ID}/taux"),
            Err(messages::BAD_PERIOD.to_owned()),
        ));
    };
    if to < from || (to - from).whole_days() > 366 {
        return Ok(see_other_with(
            &format!("/{ID}/taux"),
            Err(messages::BAD_PERIOD.to_owned()),
        ));
    }
    let l = load(&state, None, from, to).await?;
    let unit = l.settings.unit;
    // Each class's courses over the period, from the timetable, school days only.
    let class_courses: HashMap<String, Vec<(Date, u16)>> = state
        .store
        .read(move |r| {
            let calendar = r.school_calendar()?;
            let mut out: HashMap<String, Vec<(Date, u16)>> = HashMap::new();
            let mut d = from;
            while d <= to {
                if calendar.closed(d).is_none() {
                    let mut seen = HashSet::new();
                    for c in r.courses_on(d)? {
                        if !c.group && seen.insert((c.audience.clone(), c.start)) {
                            out.entry(c.audience).or_default().push((d, c.start));
                        }
                    }
                }
                let Some(next) = d.next_day() else { break };
                d = next;
            }
            Ok(out)
        })
        .await?;
    let missed = l.missed();
    let hours = if unit == Unit::Heure {
        hours_reported(&state, &missed).await?
    } else {
        HashMap::new()
    };
    let lookup = |p: &str, d: Date, h: Half| hours.get(&(p.to_owned(), d, h)).copied().unwrap_or(0);
    let decided = l.decided();
    let total = counting::count(unit, &missed, &decided, &lookup);
    // Pupils who reached the threshold in at least one calendar month of the period.
    let mut by_month: BTreeMap<(i32, u8), Missed> = BTreeMap::new();
    for (k, n) in &missed {
        by_month
            .entry((k.1.year(), k.1.month() as u8))
            .or_default()
            .insert(k.clone(), *n);
    }
    let mut past: HashSet<String> = HashSet::new();
    for month in by_month.values() {
        for (p, c) in counting::count(unit, month, &decided, &lookup) {
            if c.unjustified >= l.settings.threshold {
                past.insert(p);
            }
        }
    }
    let mut classes = state.directory.classes().await?;
    classes.sort_by(|a, b| cartable_core::collation::compare(&a.label, &b.label));
    let mut rows = Vec::new();
    let mut levels: BTreeMap<String, Sums> = BTreeMap::new();
    let mut all = Sums::default();
    for c in &classes {
        let pupils = state
            .directory
            .search(&PersonQuery {
                profile: Some(Profile::Eleve),
                class: Some(c.code.clone()),
                per_page: PersonQuery::MAX_PAGE,
                ..PersonQuery::default()
            })
            .await?
            .people;
        let per_pupil = units_due(
            class_courses
                .get(c.code.as_str())
                .map_or(&[][..], |v| v.as_slice()),
            unit,
        );
        let mut s = Sums {
            pupils: pupils.len(),
            due: per_pupil * pupils.len(),
            ..Sums::default()
        };
        for p in &pupils {
            let login = p.login.as_str();
            if let Some(n) = total.get(login) {
                s.missed += n.missed;
                s.unjustified += n.unjustified;
            }
            if past.contains(login) {
                s.past_threshold += 1;
            }
        }
        levels
            .entry(counting::level_of(c.code.as_str(), &c.label))
            .or_default()
            .add(&s);
        all.add(&s);
        rows.push(s.row(c.label.clone(), unit));
    }
    let mut level_rows: Vec<RateRow> = levels
        .into_iter()
        .map(|(label, s)| s.row(label, unit))
        .collect();
    level_rows.sort_by(|a, b| b.label.cmp(&a.label));
    let chrome = chrome(&state, Some(&m.me)).await?;
    html(&RatesPage {
        chrome: &chrome,
        from: iso(from),
        to: iso(to),
        period: format!(
            "du {} au {}",
            cartable_core::dates::long_date(from),
            cartable_core::dates::long_date(to)
        ),
        unit: unit.label().to_owned(),
        threshold: unit.count(l.settings.threshold),
        classes: rows,
        levels: level_rows,
        total: vec![all.row(messages::RATES_ALL.to_owned(), unit)],
    })
}
