//! Tables of the embedded directory: people, structures, classes, groups and their links.

use rusqlite::{OptionalExtension, Row, params};

use super::{ReadTxn, WriteTxn, sql_err};
use crate::directory::model::{
    AccountState, Change, ClassCode, ClassRef, GroupCode, GroupKind, GroupRef, Jointure, Link,
    Login, NewPerson, Person, PersonPage, PersonQuery, Profile, Relations, Relative, Structure,
    Teaching, Uai, check_responsable_level, equipe_code, equipe_of,
};

fn found(rows: usize, login: &Login) -> Result<()> {
    if rows == 0 {
        Err(Error::NotFound(format!("compte {login}")))
    } else {
        Ok(())
    }
}
use crate::{Error, Result};

/// A person with what only the store and the directory may see.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    pub person: Person,
    pub password_hash: Option<String>,
}

/// Input rows of a created person (the domain type).
pub type NewPersonRow = NewPerson;

/// Relations as read from the store (the domain type).
pub type RelationsRow = Relations;

const PERSON_COLUMNS: &str = "id, login, jointure, profile, given_name, family_name, email, \
                              state, must_change_password, password_hash, state_since, birth_date, \
                              last_login_at";

fn person_row(r: &Row<'_>) -> rusqlite::Result<PersonRow> {
    let bad = |i: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("invalid {what}").into(),
        )
    };
    let login: String = r.get(1)?;
    let jointure: Option<String> = r.get(2)?;
    let profile: String = r.get(3)?;
    let state: String = r.get(7)?;
    Ok(PersonRow {
        id: r.get(0)?,
        person: Person {
            login: Login::parse(&login).map_err(|_| bad(1, "login"))?,
            jointure: jointure
                .map(|j| Jointure::parse(&j).map_err(|_| bad(2, "jointure")))
                .transpose()?,
            profile: Profile::parse(&profile).ok_or_else(|| bad(3, "profile"))?,
            given_name: r.get(4)?,
            family_name: r.get(5)?,
            email: r.get(6)?,
            state: AccountState::parse(&state).ok_or_else(|| bad(7, "state"))?,
            state_since: r.get(10)?,
            must_change_password: r.get(8)?,
            birth_date: r
                .get::<_, Option<String>>(11)?
                .map(|d| iso_date(&d).ok_or_else(|| bad(11, "birth_date")))
                .transpose()?,
            last_login: r.get(12)?,
        },
        password_hash: r.get(9)?,
    })
}

/// `AAAA-MM-JJ`, as `time::Date` writes it.
fn iso_date(s: &str) -> Option<time::Date> {
    let mut f = s.splitn(3, '-');
    let (y, m, d) = (f.next()?, f.next()?, f.next()?);
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn class_ref(code: String, label: String) -> Result<ClassRef> {
    Ok(ClassRef {
        code: ClassCode::parse(&code)?,
        label,
    })
}

impl ReadTxn<'_> {
    pub fn person_by_login(&self, login: &Login) -> Result<Option<PersonRow>> {
        self.conn
            .query_row(
                &format!("SELECT {PERSON_COLUMNS} FROM people WHERE login = ?1"),
                [login.as_str()],
                person_row,
            )
            .optional()
            .map_err(sql_err("read person"))
    }

    pub fn person_by_id(&self, id: i64) -> Result<Option<PersonRow>> {
        self.conn
            .query_row(
                &format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = ?1"),
                [id],
                person_row,
            )
            .optional()
            .map_err(sql_err("read person"))
    }

    pub fn person_by_jointure(&self, jointure: &Jointure) -> Result<Option<PersonRow>> {
        self.conn
            .query_row(
                &format!("SELECT {PERSON_COLUMNS} FROM people WHERE jointure = ?1"),
                [jointure.as_str()],
                person_row,
            )
            .optional()
            .map_err(sql_err("read person"))
    }

    /// People matching a query, sorted by family name, first name, login.
    pub fn search_people(&self, q: &PersonQuery) -> Result<PersonPage> {
        let like = q.text.as_ref().map(|t| {
            let escaped = t
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
        let filter = "(?1 IS NULL OR login LIKE ?1 ESCAPE '\\' OR given_name LIKE ?1 ESCAPE '\\'
                       OR family_name LIKE ?1 ESCAPE '\\')
                      AND (?2 IS NULL OR profile = ?2) AND (?3 IS NULL OR state = ?3)
                      AND (?4 IS NULL
                           OR id IN (SELECT cp.person_id FROM class_pupils cp
                                     JOIN classes c ON c.id = cp.class_id WHERE c.code = ?4)
                           OR id IN (SELECT t.person_id FROM teachings t
                                     JOIN classes c ON c.id = t.class_id WHERE c.code = ?4))
                      AND (?5 IS NULL
                           OR id IN (SELECT gm.person_id FROM group_members gm
                                     JOIN groups g ON g.id = gm.group_id WHERE g.code = ?5))";
        let profile = q.profile.map(Profile::as_str);
        let state = q.state.map(AccountState::as_str);
        let class = q.class.as_ref().map(ClassCode::as_str);
        let group = q.group.as_ref().map(GroupCode::as_str);
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM people WHERE {filter}"),
                params![like, profile, state, class, group],
                |r| r.get(0),
            )
            .map_err(sql_err("count people"))?;
        let size = q.page_size();
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {PERSON_COLUMNS} FROM people WHERE {filter}
                 ORDER BY family_name COLLATE fr, given_name COLLATE fr, login LIMIT ?6 OFFSET ?7"
            ))
            .map_err(sql_err("prepare search"))?;
        let rows = st
            .query_map(
                params![
                    like,
                    profile,
                    state,
                    class,
                    group,
                    size as i64,
                    (q.page * size) as i64
                ],
                person_row,
            )
            .map_err(sql_err("search people"))?;
        let mut people = Vec::new();
        for row in rows {
            people.push(row.map_err(sql_err("search people"))?.person);
        }
        Ok(PersonPage {
            people,
            total: total as usize,
        })
    }

    /// Number of people per profile (health, metrics, tests).
    pub fn count_people(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
            .map_err(sql_err("count people"))
    }

    /// The first structure (an appliance serves one établissement).
    pub fn structure(&self) -> Result<Option<Structure>> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT uai, name, kind FROM structures ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(sql_err("read structure"))?;
        row.map(|(uai, name, kind)| {
            Ok(Structure {
                uai: Uai::parse(&uai)?,
                name,
                kind,
            })
        })
        .transpose()
    }

    /// A person's classes, groups, children, parents and teachings.
    pub fn groups(&self) -> Result<Vec<GroupRef>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT code, label, kind FROM groups ORDER BY kind, code")
            .map_err(sql_err("prepare groups"))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(sql_err("read groups"))?;
        let mut out = Vec::new();
        for row in rows {
            let (code, label, kind) = row.map_err(sql_err("read groups"))?;
            out.push(GroupRef {
                code: GroupCode::parse(&code)?,
                label,
                kind: GroupKind::parse(&kind).ok_or_else(|| Error::Invalid {
                    field: "groups.kind",
                    reason: kind.clone(),
                })?,
            });
        }
        Ok(out)
    }

    pub fn classes(&self) -> Result<Vec<ClassRef>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT code, label FROM classes ORDER BY code")
            .map_err(sql_err("prepare classes"))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err("read classes"))?;
        let mut out = Vec::new();
        for row in rows {
            let (code, label) = row.map_err(sql_err("read classes"))?;
            out.push(class_ref(code, label)?);
        }
        Ok(out)
    }

    pub fn relations(&self, person_id: i64) -> Result<Relations> {
        let q = |context: &'static str| sql_err(context);
        let mut rel = Relations::default();

        let mut st = self
            .conn
            .prepare_cached(
                "SELECT c.code, c.label FROM class_pupils cp JOIN classes c ON c.id = cp.class_id
                 WHERE cp.person_id = ?1 ORDER BY c.code",
            )
            .map_err(q("prepare classes"))?;
        let rows = st
            .query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(q("read classes"))?;
        for row in rows {
            let (code, label) = row.map_err(q("read classes"))?;
            rel.classes.push(class_ref(code, label)?);
        }

        let mut st = self
            .conn
            .prepare_cached(
                "SELECT g.code, g.label, g.kind FROM group_members gm
                 JOIN groups g ON g.id = gm.group_id
                 WHERE gm.person_id = ?1 ORDER BY g.kind, g.code",
            )
            .map_err(q("prepare groups"))?;
        let rows = st
            .query_map([person_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(q("read groups"))?;
        for row in rows {
            let (code, label, kind) = row.map_err(q("read groups"))?;
            rel.groups.push(GroupRef {
                code: GroupCode::parse(&code)?,
                label,
                kind: GroupKind::parse(&kind).ok_or_else(|| Error::Invalid {
                    field: "groups.kind",
                    reason: kind.clone(),
                })?,
            });
        }

        rel.children = self.relatives(
            "SELECT p.login, p.given_name || ' ' || p.family_name, r.level, c.code, c.label
             FROM responsables r JOIN people p ON p.id = r.child_id
             LEFT JOIN class_pupils cp ON cp.person_id = p.id
             LEFT JOIN classes c ON c.id = cp.class_id
             WHERE r.parent_id = ?1 AND p.state = 'active'
             ORDER BY p.given_name COLLATE fr, p.login",
            person_id,
        )?;
        rel.parents = self.relatives(
            "SELECT p.login, p.given_name || ' ' || p.family_name, r.level, NULL, NULL
             FROM responsables r JOIN people p ON p.id = r.parent_id
             WHERE r.child_id = ?1 AND p.state = 'active'
             ORDER BY r.level, p.family_name COLLATE fr, p.given_name COLLATE fr, p.login",
            person_id,
        )?;

        let mut st = self
            .conn
            .prepare_cached(
                "SELECT c.code, c.label, t.subject,
                        EXISTS (SELECT 1 FROM principal_teachers pt
                                WHERE pt.class_id = c.id AND pt.person_id = t.person_id)
                 FROM teachings t JOIN classes c ON c.id = t.class_id
                 WHERE t.person_id = ?1 ORDER BY c.code, t.subject",
            )
            .map_err(q("prepare teachings"))?;
        let rows = st
            .query_map([person_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })
            .map_err(q("read teachings"))?;
        for row in rows {
            let (code, label, subject, principal) = row.map_err(q("read teachings"))?;
            match rel.teachings.last_mut() {
                Some(t) if t.class.code.as_str() == code => t.subjects.push(subject),
                _ => rel.teachings.push(Teaching {
                    class: class_ref(code, label)?,
                    subjects: vec![subject],
                    principal,
                }),
            }
        }
        Ok(rel)
    }

    fn relatives(&self, sql: &str, person_id: i64) -> Result<Vec<Relative>> {
        let mut st = self
            .conn
            .prepare_cached(sql)
            .map_err(sql_err("prepare relatives"))?;
        let rows = st
            .query_map([person_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u8>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(sql_err("read relatives"))?;
        let mut out = Vec::new();
        for row in rows {
            let (login, display_name, level, code, label) =
                row.map_err(sql_err("read relatives"))?;
            out.push(Relative {
                login: Login::parse(&login)?,
                display_name,
                level,
                class: match (code, label) {
                    (Some(c), Some(l)) => Some(class_ref(c, l)?),
                    _ => None,
                },
            });
        }
        Ok(out)
    }

    /// Whether a login was ever given (even to a deleted person).
    pub fn login_ever_used(&self, login: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM logins_used WHERE login = ?1)",
                [login],
                |r| r.get(0),
            )
            .map_err(sql_err("read used logins"))
    }

    fn structure_id(&self, uai: &Uai) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT id FROM structures WHERE uai = ?1",
                [uai.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err("read structure"))?
            .ok_or_else(|| Error::NotFound(format!("établissement {uai}")))
    }

    fn person_id(&self, login: &Login) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT id FROM people WHERE login = ?1",
                [login.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err("read person"))?
            .ok_or_else(|| Error::NotFound(format!("compte {login}")))
    }

    fn class_id(&self, uai: &Uai, code: &ClassCode) -> Result<i64> {
        let sid = self.structure_id(uai)?;
        self.conn
            .query_row(
                "SELECT id FROM classes WHERE structure_id = ?1 AND code = ?2",
                params![sid, code.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err("read class"))?
            .ok_or_else(|| Error::NotFound(format!("classe {code}")))
    }

    fn group_id(&self, uai: &Uai, code: &GroupCode) -> Result<i64> {
        let sid = self.structure_id(uai)?;
        self.conn
            .query_row(
                "SELECT id FROM groups WHERE structure_id = ?1 AND code = ?2",
                params![sid, code.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err("read group"))?
            .ok_or_else(|| Error::NotFound(format!("groupe {code}")))
    }
}

impl WriteTxn<'_> {
    /// Applies a batch of changes; any failure undoes the whole batch (the caller's
    /// transaction is not committed).
    pub fn apply_changes(&self, changes: &[Change], now: i64) -> Result<()> {
        let mut ordered: Vec<&Change> = changes.iter().collect();
        ordered.sort_by_key(|c| c.phase());
        for change in ordered {
            self.apply_change(change, now)?;
        }
        Ok(())
    }

    fn apply_change(&self, change: &Change, now: i64) -> Result<()> {
        let c = self.conn;
        match change {
            Change::UpsertStructure(s) => {
                c.execute(
                    "INSERT INTO structures(uai, name, kind) VALUES (?1, ?2, ?3)
                     ON CONFLICT(uai) DO UPDATE SET name = excluded.name, kind = excluded.kind",
                    params![s.uai.as_str(), s.name, s.kind],
                )
                .map_err(sql_err("write structure"))?;
            }
            Change::UpsertClass { uai, class } => {
                let sid = self.structure_id(uai)?;
                c.execute(
                    "INSERT INTO classes(structure_id, code, label) VALUES (?1, ?2, ?3)
                     ON CONFLICT(structure_id, code) DO UPDATE SET label = excluded.label",
                    params![sid, class.code.as_str(), class.label],
                )
                .map_err(sql_err("write class"))?;
                self.apply_change(
                    &Change::UpsertGroup {
                        uai: uai.clone(),
                        group: equipe_of(class),
                    },
                    now,
                )?;
            }
            Change::UpsertGroup { uai, group } => {
                let sid = self.structure_id(uai)?;
                c.execute(
                    "INSERT INTO groups(structure_id, code, label, kind) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(structure_id, code)
                     DO UPDATE SET label = excluded.label, kind = excluded.kind",
                    params![sid, group.code.as_str(), group.label, group.kind.as_str()],
                )
                .map_err(sql_err("write group"))?;
            }
            Change::CreatePerson { uai, person } => {
                if self.login_ever_used(person.login.as_str())? {
                    return Err(Error::Invalid {
                        field: "login",
                        reason: format!("l'identifiant {} a déjà été attribué", person.login),
                    });
                }
                let sid = uai.as_ref().map(|u| self.structure_id(u)).transpose()?;
                c.execute(
                    "INSERT INTO people(login, jointure, profile, given_name, family_name, email,
                                        birth_date, structure_id, password_hash,
                                        must_change_password, state, state_since, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'active', ?11, ?11)",
                    params![
                        person.login.as_str(),
                        person.jointure.as_ref().map(Jointure::as_str),
                        person.profile.as_str(),
                        person.given_name,
                        person.family_name,
                        person.email,
                        person.birth_date.map(|d| d.to_string()),
                        sid,
                        person.password_hash,
                        person.must_change_password,
                        now,
                    ],
                )
                .map_err(sql_err("create person"))?;
                c.execute(
                    "INSERT INTO logins_used(login) VALUES (?1)",
                    [person.login.as_str()],
                )
                .map_err(sql_err("record login"))?;
            }
            Change::UpdatePerson { login, update } => {
                let n = c
                    .execute(
                        "UPDATE people SET given_name = coalesce(?2, given_name),
                                family_name = coalesce(?3, family_name),
                                email = CASE WHEN ?4 THEN ?5 ELSE email END
                         WHERE login = ?1",
                        params![
                            login.as_str(),
                            update.given_name,
                            update.family_name,
                            update.email.is_some(),
                            update.email.clone().flatten(),
                        ],
                    )
                    .map_err(sql_err("update person"))?;
                found(n, login)?;
            }
            Change::AddToClass { uai, class, pupil } => {
                let (cid, pid) = (self.class_id(uai, class)?, self.person_id(pupil)?);
                c.execute(
                    "INSERT OR IGNORE INTO class_pupils(class_id, person_id) VALUES (?1, ?2)",
                    [cid, pid],
                )
                .map_err(sql_err("add pupil to class"))?;
            }
            Change::AddToGroup { uai, group, member } => {
                let (gid, pid) = (self.group_id(uai, group)?, self.person_id(member)?);
                c.execute(
                    "INSERT OR IGNORE INTO group_members(group_id, person_id) VALUES (?1, ?2)",
                    [gid, pid],
                )
                .map_err(sql_err("add member to group"))?;
            }
            Change::LinkResponsable {
                child,
                parent,
                level,
            } => {
                check_responsable_level(*level)?;
                let (cid, pid) = (self.person_id(child)?, self.person_id(parent)?);
                c.execute(
                    "INSERT INTO responsables(child_id, parent_id, level) VALUES (?1, ?2, ?3)
                     ON CONFLICT(child_id, parent_id) DO UPDATE SET level = excluded.level",
                    params![cid, pid, level],
                )
                .map_err(sql_err("link responsable"))?;
            }
            Change::AddTeaching {
                uai,
                teacher,
                class,
                subject,
            } => {
                let (cid, pid) = (self.class_id(uai, class)?, self.person_id(teacher)?);
                c.execute(
                    "INSERT OR IGNORE INTO teachings(person_id, class_id, subject)
                     VALUES (?1, ?2, ?3)",
                    params![pid, cid, subject],
                )
                .map_err(sql_err("add teaching"))?;
                self.apply_change(
                    &Change::AddToGroup {
                        uai: uai.clone(),
                        group: equipe_code(class),
                        member: teacher.clone(),
                    },
                    now,
                )?;
            }
            Change::SetPrincipal {
                uai,
                class,
                teacher,
            } => {
                let (cid, pid) = (self.class_id(uai, class)?, self.person_id(teacher)?);
                c.execute(
                    "INSERT OR IGNORE INTO principal_teachers(class_id, person_id)
                     VALUES (?1, ?2)",
                    [cid, pid],
                )
                .map_err(sql_err("set professeur principal"))?;
            }
            Change::Unlink(link) => self.unlink(link)?,
        }
        Ok(())
    }

    fn unlink(&self, link: &Link) -> Result<()> {
        let c = self.conn;
        let pid = |l: &Login| -> Result<Option<i64>> {
            c.query_row(
                "SELECT id FROM people WHERE login = ?1",
                [l.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err("read person"))
        };
        let cid = |u: &Uai, code: &ClassCode| self.class_id(u, code).ok();
        match link {
            Link::Class { uai, class, pupil } => {
                if let (Some(cl), Some(p)) = (cid(uai, class), pid(pupil)?) {
                    c.execute(
                        "DELETE FROM class_pupils WHERE class_id = ?1 AND person_id = ?2",
                        [cl, p],
                    )
                    .map_err(sql_err("remove pupil from class"))?;
                }
            }
            Link::Group { uai, group, member } => {
                if let (Ok(g), Some(p)) = (self.group_id(uai, group), pid(member)?) {
                    c.execute(
                        "DELETE FROM group_members WHERE group_id = ?1 AND person_id = ?2",
                        [g, p],
                    )
                    .map_err(sql_err("remove member from group"))?;
                }
            }
            Link::Responsable { child, parent } => {
                if let (Some(ch), Some(pa)) = (pid(child)?, pid(parent)?) {
                    c.execute(
                        "DELETE FROM responsables WHERE child_id = ?1 AND parent_id = ?2",
                        [ch, pa],
                    )
                    .map_err(sql_err("unlink responsable"))?;
                }
            }
            Link::Teaching {
                uai,
                teacher,
                class,
                subject,
            } => {
                if let (Some(cl), Some(p)) = (cid(uai, class), pid(teacher)?) {
                    c.execute(
                        "DELETE FROM teachings WHERE person_id = ?1 AND class_id = ?2 AND subject = ?3",
                        params![p, cl, subject],
                    )
                    .map_err(sql_err("remove teaching"))?;
                    let left: i64 = c
                        .query_row(
                            "SELECT count(*) FROM teachings WHERE person_id = ?1 AND class_id = ?2",
                            [p, cl],
                            |r| r.get(0),
                        )
                        .map_err(sql_err("count teachings"))?;
                    if left == 0 {
                        self.unlink(&Link::Group {
                            uai: uai.clone(),
                            group: equipe_code(class),
                            member: teacher.clone(),
                        })?;
                    }
                }
            }
            Link::Principal {
                uai,
                class,
                teacher,
            } => {
                if let (Some(cl), Some(p)) = (cid(uai, class), pid(teacher)?) {
                    c.execute(
                        "DELETE FROM principal_teachers WHERE class_id = ?1 AND person_id = ?2",
                        [cl, p],
                    )
                    .map_err(sql_err("unset principal"))?;
                }
            }
        }
        Ok(())
    }

    /// Stores a new password hash.
    pub fn set_password(&self, login: &Login, hash: &str, must_change: bool) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE people SET password_hash = ?2, must_change_password = ?3 WHERE login = ?1",
                params![login.as_str(), hash, must_change],
            )
            .map_err(sql_err("set password"))?;
        found(n, login)
    }

    /// Moves an account to a state.
    pub fn set_state(&self, login: &Login, state: AccountState, since: i64) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE people SET state = ?2, state_since = ?3 WHERE login = ?1",
                params![login.as_str(), state.as_str(), since],
            )
            .map_err(sql_err("set state"))?;
        found(n, login)?;
        if state != AccountState::Active {
            self.delete_sessions_of(login.as_str())?;
        }
        Ok(())
    }

    /// Removes a person; links go with them (foreign keys), the login stays reserved.
    pub fn delete_person(&self, login: &Login) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM people WHERE login = ?1", [login.as_str()])
            .map_err(sql_err("delete person"))?;
        found(n, login)?;
        self.delete_sessions_of(login.as_str()).map(|_| ())
    }

    /// Records a sign-in by login (the demo's made-up term of use).
    pub fn record_login_of(&self, login: &Login, at: i64) -> Result<()> {
        let id = self.person_id(login)?;
        self.record_login(id, at)
    }

    /// Records a successful sign-in.
    pub fn record_login(&self, person_id: i64, now: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE people SET last_login_at = ?2 WHERE id = ?1",
                [person_id, now],
            )
            .map(|_| ())
            .map_err(sql_err("record login"))
    }
}
