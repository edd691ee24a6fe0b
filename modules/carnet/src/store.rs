//! The module's table (`carnet_cards`), inside the store's transactions.

use std::collections::BTreeMap;

use cartable_core::Result;
use cartable_core::store::{ReadTxn, WriteTxn, module_sql_err as err};
use rusqlite::OptionalExtension;

use crate::model::Card;

pub const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

fn card_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Card> {
    Ok(Card {
        login: row.get(0)?,
        show_email: row.get(1)?,
        phone: row.get(2)?,
        show_phone: row.get(3)?,
    })
}

pub fn card(r: &ReadTxn<'_>, login: &str) -> Result<Option<Card>> {
    r.sql()
        .query_row(
            "SELECT login, show_email, phone, show_phone FROM carnet_cards WHERE login = ?1",
            [login],
            card_of,
        )
        .optional()
        .map_err(err("read card"))
}

/// The cards of `logins` that exist, by login.
pub fn cards(r: &ReadTxn<'_>, logins: &[String]) -> Result<BTreeMap<String, Card>> {
    let mut st = r
        .sql()
        .prepare(
            "SELECT login, show_email, phone, show_phone FROM carnet_cards
             WHERE login IN (SELECT value FROM json_each(?1))",
        )
        .map_err(err("read cards"))?;
    let list = serde_json::to_string(logins).unwrap_or_else(|_| "[]".into());
    st.query_map([list], card_of)
        .map_err(err("read cards"))?
        .map(|c| c.map(|c| (c.login.clone(), c)))
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()
        .map_err(err("read cards"))
}

pub fn save_card(w: &WriteTxn<'_>, c: &Card, now: i64) -> Result<()> {
    w.sql_mut()
        .execute(
            "INSERT INTO carnet_cards(login, show_email, phone, show_phone, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(login) DO UPDATE SET show_email = excluded.show_email,
               phone = excluded.phone, show_phone = excluded.show_phone,
               updated_at = excluded.updated_at",
            rusqlite::params![c.login, c.show_email, c.phone, c.show_phone, now],
        )
        .map_err(err("save card"))?;
    Ok(())
}

/// Everyone with a card.
pub fn people(r: &ReadTxn<'_>) -> Result<Vec<String>> {
    let mut st = r
        .sql()
        .prepare("SELECT login FROM carnet_cards")
        .map_err(err("read people"))?;
    st.query_map([], |row| row.get(0))
        .map_err(err("read people"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(err("read people"))
}

pub fn forget(w: &WriteTxn<'_>, login: &str) -> Result<usize> {
    w.sql_mut()
        .execute("DELETE FROM carnet_cards WHERE login = ?1", [login])
        .map_err(err("forget card"))
}
