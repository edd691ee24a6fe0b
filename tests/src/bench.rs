//! What the benches share: their settings from the environment, their percentiles.

use std::time::Duration;

/// A bench setting: `name` from the environment, else `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `p` percentile (0.99) of some latencies, in milliseconds.
pub fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort_unstable();
    let i = ((v.len() as f64 * p).ceil() as usize).saturating_sub(1);
    v.get(i).copied().unwrap_or_default().as_secs_f64() * 1e3
}

/// Peak resident memory of a process, in bytes (`VmHWM`), and its resident memory now
/// (`VmRSS`).
pub fn memory(pid: u32) -> Result<(u64, u64), Box<dyn std::error::Error + Send + Sync>> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .ok_or(format!("no {name}"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()?;
        Ok(kb * 1024)
    };
    Ok((field("VmHWM:")?, field("VmRSS:")?))
}

/// A school year of marks for one course, written straight into the store: `per_subject`
/// évaluations spread from `year` (1 September) over ten months, every one seen from that day,
/// coefficient 2 one time in four, every pupil marked (told already). Returns the marks written.
pub fn year_of_marks(
    tx: &rusqlite::Transaction<'_>,
    course: (&str, &str, &str),
    pupils: &[String],
    per_subject: usize,
    year: time::Date,
) -> rusqlite::Result<usize> {
    let (teacher, class, subject) = course;
    let mut marks = 0;
    for n in 0..per_subject {
        let day = year + time::Duration::days((n * 300 / per_subject) as i64);
        tx.execute(
            "INSERT INTO notes_evaluations(teacher, class, subject, title, day,
               coefficient, out_of, to_twenty, counting, visible_from, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 20, 1, 'compte', ?7, 0)",
            rusqlite::params![
                teacher,
                class,
                subject,
                format!("Évaluation {n}"),
                cartable_core::dates::iso(day),
                if n % 4 == 0 { "2" } else { "1" },
                cartable_core::dates::iso(year),
            ],
        )?;
        let id = tx.last_insert_rowid();
        for (k, p) in pupils.iter().enumerate() {
            let v = 6 + (k * 7 + n * 3) % 14;
            tx.execute(
                "INSERT INTO notes_marks(evaluation, pupil, value, status, by, at, told)
                 VALUES (?1, ?2, ?3, NULL, ?4, 0, 1)",
                rusqlite::params![id, p, format!("{v}.5"), teacher],
            )?;
            marks += 1;
        }
    }
    Ok(marks)
}
