//! The school year's usage figures: weeks by service and profile, hours, devices.

use rusqlite::params;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// One line of `usage_weeks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekFigure {
    pub week: String,
    pub service: String,
    pub profile: String,
    pub visits: i64,
    /// None while the week goes on: then counted from its people.
    pub visitors: i64,
}

/// A count by week, a key (hour or device) and profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedFigure {
    pub week: String,
    pub key: String,
    pub profile: String,
    pub visits: i64,
}

impl ReadTxn<'_> {
    /// Weeks from `from` (a Monday) to before `to`; a week still going on has its visitors
    /// counted now.
    pub fn usage_weeks(&self, from: &str, to: &str) -> Result<Vec<WeekFigure>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT w.week, w.service, w.profile, w.visits,
                        COALESCE(w.visitors, (SELECT COUNT(*) FROM usage_week_users u
                            WHERE u.week = w.week AND u.service = w.service
                              AND u.profile = w.profile))
                 FROM usage_weeks w WHERE w.week >= ?1 AND w.week < ?2
                 ORDER BY w.week",
            )
            .map_err(sql_err("prepare usage weeks"))?;
        let rows = st
            .query_map([from, to], |r| {
                Ok(WeekFigure {
                    week: r.get(0)?,
                    service: r.get(1)?,
                    profile: r.get(2)?,
                    visits: r.get(3)?,
                    visitors: r.get(4)?,
                })
            })
            .map_err(sql_err("read usage weeks"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read usage weeks"))
    }

    /// Hours (`"hour"`) or devices (`"device"`), weeks from `from` to before `to`.
    pub fn usage_keyed(&self, kind: UsageKind, from: &str, to: &str) -> Result<Vec<KeyedFigure>> {
        let sql = match kind {
            UsageKind::Hours => {
                "SELECT week, CAST(hour AS TEXT), profile, visits FROM usage_hours
                 WHERE week >= ?1 AND week < ?2"
            }
            UsageKind::Devices => {
                "SELECT week, device, profile, visits FROM usage_devices
                 WHERE week >= ?1 AND week < ?2"
            }
        };
        let mut st = self
            .conn
            .prepare_cached(sql)
            .map_err(sql_err("prepare usage"))?;
        let rows = st
            .query_map([from, to], |r| {
                Ok(KeyedFigure {
                    week: r.get(0)?,
                    key: r.get(1)?,
                    profile: r.get(2)?,
                    visits: r.get(3)?,
                })
            })
            .map_err(sql_err("read usage"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read usage"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageKind {
    Hours,
    Devices,
}

impl WriteTxn<'_> {
    pub fn add_week_visits(&self, week: &str, service: &str, profile: &str, n: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO usage_weeks(week, service, profile, visits) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(week, service, profile) DO UPDATE SET visits = visits + ?4",
                params![week, service, profile, n],
            )
            .map(|_| ())
            .map_err(sql_err("record week visits"))
    }

    pub fn add_week_user(
        &self,
        week: &str,
        service: &str,
        profile: &str,
        user: &[u8],
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO usage_week_users(week, service, profile, user)
                 VALUES (?1, ?2, ?3, ?4)",
                params![week, service, profile, user],
            )
            .map(|_| ())
            .map_err(sql_err("record week visitor"))
    }

    /// Adds `n` visits to a week's line of hours (`key`: the hour, "0" to "23") or devices.
    pub fn add_keyed_visits(
        &self,
        kind: UsageKind,
        week: &str,
        key: &str,
        profile: &str,
        n: i64,
    ) -> Result<()> {
        let sql = match kind {
            UsageKind::Hours => {
                "INSERT INTO usage_hours(week, hour, profile, visits)
                 VALUES (?1, CAST(?2 AS INTEGER), ?3, ?4)
                 ON CONFLICT(week, hour, profile) DO UPDATE SET visits = visits + ?4"
            }
            UsageKind::Devices => {
                "INSERT INTO usage_devices(week, device, profile, visits) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(week, device, profile) DO UPDATE SET visits = visits + ?4"
            }
        };
        self.conn
            .execute(sql, params![week, key, profile, n])
            .map(|_| ())
            .map_err(sql_err("record usage visits"))
    }

    /// Counts the people of the weeks before `week` into `usage_weeks` and drops them.
    /// Returns how many people's lines were dropped.
    pub fn fold_usage_weeks(&self, week: &str) -> Result<usize> {
        self.conn
            .execute(
                "UPDATE usage_weeks SET visitors = COALESCE(visitors, 0) +
                    (SELECT COUNT(*) FROM usage_week_users u WHERE u.week = usage_weeks.week
                        AND u.service = usage_weeks.service AND u.profile = usage_weeks.profile)
                 WHERE week < ?1 AND EXISTS (SELECT 1 FROM usage_week_users u
                    WHERE u.week = usage_weeks.week AND u.service = usage_weeks.service
                      AND u.profile = usage_weeks.profile)",
                [week],
            )
            .map_err(sql_err("fold usage weeks"))?;
        self.conn
            .execute("DELETE FROM usage_week_users WHERE week < ?1", [week])
            .map_err(sql_err("fold usage weeks"))
    }
}
