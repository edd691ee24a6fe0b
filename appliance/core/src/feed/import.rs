//! Importing a feed: plan the whole change against the directory, then apply it. The plan
//! does not depend on the order of the files; applying it twice changes nothing the second
//! time; a run cut short converges when run again, since the next plan starts from what was
//! written. A complet feed that would disable more than a set share of the accounts is
//! refused unless forced: a half-delivered feed must not wipe a school.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::FeedError;
use super::aaf::{Category, Feed, FeedKind, Record};
use super::desired::{self, Desired, DesiredPerson};
use super::pedagogy::Pedagogy;
use super::siecle::{self, Delivery};
use crate::accounts::Accounts;
use crate::auth::password;
use crate::directory::{
    AccountState, Change, ClassCode, ClassRef, DirectoryRead, GroupKind, GroupRef, Jointure, Link,
    Login, NewPerson, Person, PersonQuery, PersonUpdate, Profile, Relations, Structure, Uai,
};
use crate::{Error, Result};

/// How an import behaves.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Plan and report only.
    pub dry_run: bool,
    /// Apply even above the disabling threshold.
    pub force: bool,
    /// Largest share of accounts a complet feed may disable without `force`.
    pub max_disable_share: f64,
    /// Also link (and give accounts to) the people in charge of a pupil who are not his legal
    /// responsables. Both legal responsables always are.
    pub personnes_en_charge: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            force: false,
            max_disable_share: 0.10,
            personnes_en_charge: false,
        }
    }
}

/// One line of the report: what happened to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub action: &'static str,
    pub jointure: String,
    pub login: String,
    pub detail: String,
}

/// A new account and its initial password, for the login letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub login: Login,
    pub password: String,
    pub profile: Profile,
    pub classe: String,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub disabled: usize,
    pub reactivated: usize,
    pub deleted: usize,
    pub unchanged: usize,
    pub errors: Vec<String>,
    /// What the source says that the technician should know (not applied as-is).
    pub warnings: Vec<String>,
    pub lines: Vec<ReportLine>,
    pub new_accounts: Vec<NewAccount>,
}

fn profile_category(p: Profile) -> Category {
    match p {
        Profile::Eleve => Category::Eleve,
        Profile::Responsable => Category::PersRelEleve,
        _ => Category::PersEducNat,
    }
}

/// People in charge who are not legal responsables: linked as level 2 when the configuration
/// says so, else named in the report.
fn in_charge(p: &mut DesiredPerson, link: bool, warnings: &mut Vec<String>) {
    for j in std::mem::take(&mut p.in_charge) {
        if link {
            p.responsables.entry(j).or_insert(2);
        } else {
            warnings.push(format!(
                "{} {} ({}) : {j}, personne en charge sans être responsable légal, non liée \
                 (import.personnes_en_charge)",
                p.given_name, p.family_name, p.jointure
            ));
        }
    }
}

/// The current state of one person, in the feed's terms.
fn current_desired(
    p: &Person,
    rel: &Relations,
    jointure_of: &HashMap<Login, Jointure>,
) -> Option<DesiredPerson> {
    Some(DesiredPerson {
        jointure: p.jointure.clone()?,
        profile: p.profile,
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        email: p.email.clone(),
        birth_date: None,
        classes: rel.classes.iter().map(|c| c.code.clone()).collect(),
        groups: rel
            .groups
            .iter()
            .filter(|g| g.kind == GroupKind::Groupe)
            .map(|g| g.code.clone())
            .collect(),
        responsables: rel
            .parents
            .iter()
            .filter_map(|r| Some((jointure_of.get(&r.login)?.clone(), r.level)))
            .collect(),
        in_charge: BTreeSet::new(),
        teachings: rel
            .teachings
            .iter()
            .flat_map(|t| t.subjects.iter().map(|s| (t.class.code.clone(), s.clone())))
            .collect(),
        principal_of: rel
            .teachings
            .iter()
            .filter(|t| t.principal)
            .map(|t| t.class.code.clone())
            .collect(),
    })
}

/// A modifyRequest replaces the attributes it names over the current state.
fn modified(base: &DesiredPerson, r: &Record) -> std::result::Result<DesiredPerson, FeedError> {
    let mut p = base.clone();
    for (name, values) in &r.attrs {
        let first = || values.first().cloned().unwrap_or_default();
        match name.as_str() {
            "sn" => p.family_name = first(),
            "givenName" => p.given_name = desired::first_name_case(&first()),
            "mail" => p.email = values.first().cloned(),
            "ENTEleveClasses" => p.classes = desired::classes(r, name)?,
            "ENTEleveGroupes" => p.groups = desired::groups(r, name)?,
            "ENTElevePersRelEleve" => (p.responsables, p.in_charge) = desired::responsables(r)?,
            "ENTAuxEnsClassesMatieres" => p.teachings = desired::teachings(r, &BTreeMap::new())?,
            "ENTAuxEnsClassesPrincipal" => p.principal_of = desired::classes(r, name)?,
            _ => {} // attributes cartable does not keep
        }
    }
    Ok(p)
}

struct Planner<'a> {
    accounts: &'a Accounts,
    uai: Uai,
    changes: Vec<Change>,
    report: ImportReport,
    /// Logins given in this plan, not yet in the directory.
    reserved: HashSet<String>,
    login_of: HashMap<Jointure, Login>,
    dry_run: bool,
}

impl Planner<'_> {
    fn line(&mut self, action: &'static str, jointure: &Jointure, login: &Login, detail: String) {
        self.report.lines.push(ReportLine {
            action,
            jointure: jointure.to_string(),
            login: login.to_string(),
            detail,
        });
    }

    async fn new_login(&mut self, given: &str, family: &str) -> Result<Login> {
        let scheme = self.accounts.login_scheme();
        for candidate in crate::directory::login::candidates(scheme, given, family) {
            if self.reserved.contains(candidate.as_str())
                || self
                    .accounts
                    .directory()
                    .login_taken(candidate.as_str())
                    .await?
            {
                continue;
            }
            self.reserved.insert(candidate.as_str().to_owned());
            return Ok(candidate);
        }
        Err(Error::Invalid {
            field: "login",
            reason: format!("aucun identifiant libre pour {given} {family}"),
        })
    }

    /// Links of a person: what to add and what to undo to go from `now` to `want`.
    fn links(&mut self, login: &Login, now: Option<&DesiredPerson>, want: &DesiredPerson) -> bool {
        let empty = DesiredPerson {
            classes: BTreeSet::new(),
            groups: BTreeSet::new(),
            responsables: BTreeMap::new(),
            in_charge: BTreeSet::new(),
            teachings: BTreeSet::new(),
            principal_of: BTreeSet::new(),
            ..want.clone()
        };
        let now = now.unwrap_or(&empty);
        let uai = self.uai.clone();
        let before = self.changes.len();
        for c in want.classes.difference(&now.classes) {
            self.changes.push(Change::AddToClass {
                uai: uai.clone(),
                class: c.clone(),
                pupil: login.clone(),
            });
        }
        for c in now.classes.difference(&want.classes) {
            self.changes.push(Change::Unlink(Link::Class {
                uai: uai.clone(),
                class: c.clone(),
                pupil: login.clone(),
            }));
        }
        for g in want.groups.difference(&now.groups) {
            self.changes.push(Change::AddToGroup {
                uai: uai.clone(),
                group: g.clone(),
                member: login.clone(),
            });
        }
        for g in now.groups.difference(&want.groups) {
            self.changes.push(Change::Unlink(Link::Group {
                uai: uai.clone(),
                group: g.clone(),
                member: login.clone(),
            }));
        }
        for (j, level) in &want.responsables {
            if now.responsables.get(j) == Some(level) {
                continue;
            }
            match self.login_of.get(j).cloned() {
                Some(parent) => self.changes.push(Change::LinkResponsable {
                    child: login.clone(),
                    parent,
                    level: *level,
                }),
                None => self.report.errors.push(format!(
                    "responsable {j} de {login} absent du flux et de l'annuaire : lien ignoré"
                )),
            }
        }
        for j in now.responsables.keys() {
            if !want.responsables.contains_key(j)
                && let Some(parent) = self.login_of.get(j).cloned()
            {
                self.changes.push(Change::Unlink(Link::Responsable {
                    child: login.clone(),
                    parent,
                }));
            }
        }
        for (c, s) in want.teachings.difference(&now.teachings) {
            self.changes.push(Change::AddTeaching {
                uai: uai.clone(),
                teacher: login.clone(),
                class: c.clone(),
                subject: s.clone(),
            });
        }
        for (c, s) in now.teachings.difference(&want.teachings) {
            self.changes.push(Change::Unlink(Link::Teaching {
                uai: uai.clone(),
                teacher: login.clone(),
                class: c.clone(),
                subject: s.clone(),
            }));
        }
        for c in want.principal_of.difference(&now.principal_of) {
            self.changes.push(Change::SetPrincipal {
                uai: uai.clone(),
                class: c.clone(),
                teacher: login.clone(),
            });
        }
        for c in now.principal_of.difference(&want.principal_of) {
            self.changes.push(Change::Unlink(Link::Principal {
                uai: uai.clone(),
                class: c.clone(),
                teacher: login.clone(),
            }));
        }
        self.changes.len() > before
    }
}

/// What is imported: the desired state read from a delivery, whatever its format.
#[derive(Debug, Clone)]
pub struct Source {
    desired: Desired,
    kind: FeedKind,
    /// The UAI the delivery announces outside its content (AAF file names, `--uai`).
    announced_uai: Option<String>,
    /// An AAF delivery's records, for what it says of teaching ([`Pedagogy`]).
    records: Option<Vec<Record>>,
}

impl Source {
    pub fn aaf(feed: &Feed) -> Result<Self> {
        Ok(Self {
            desired: desired::from_records(&feed.records)?,
            kind: feed.kind,
            announced_uai: Some(feed.uai.clone()),
            records: Some(feed.records.clone()),
        })
    }

    /// SIECLE and STS-web exports are complete pictures of what they cover.
    pub fn siecle(delivery: Delivery) -> Self {
        Self {
            announced_uai: Some(delivery.uai.clone()),
            desired: delivery.desired,
            kind: FeedKind::Complet,
            records: None,
        }
    }

    /// An école's CSV; `uai` and `name` are needed when the annuaire has no établissement yet.
    pub fn ecole_csv(
        path: &std::path::Path,
        uai: Option<Uai>,
        name: Option<String>,
    ) -> Result<Self> {
        let mut desired = siecle::ecole_csv::read(path)?;
        desired.name = name.unwrap_or_default();
        desired.kind = "ECOLE".to_owned();
        desired.uai = uai;
        Ok(Self {
            desired,
            kind: FeedKind::Complet,
            announced_uai: None,
            records: None,
        })
    }

    pub fn kind(&self) -> FeedKind {
        self.kind
    }
}

/// A computed import, not yet applied: its report (with the new accounts' initial
/// passwords, to be kept before applying) and what applying it will do.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub report: ImportReport,
    /// The delivery's kind and records, for the teaching facts kept beside the annuaire.
    pedagogy: Option<(FeedKind, Vec<Record>)>,
    changes: Vec<Change>,
    to_enable: Vec<Login>,
    to_disable: Vec<Login>,
}

impl Accounts {
    /// Plans then applies an AAF feed (see the module documentation).
    pub async fn import_aaf(&self, feed: &Feed, opts: &ImportOptions) -> Result<ImportReport> {
        let plan = self.plan_aaf(feed, opts).await?;
        if opts.dry_run {
            return Ok(plan.report);
        }
        self.apply_import(plan).await
    }

    /// Computes what importing `feed` would change; writes nothing.
    pub async fn plan_aaf(&self, feed: &Feed, opts: &ImportOptions) -> Result<ImportPlan> {
        self.plan(Source::aaf(feed)?, opts).await
    }

    /// Plans then applies any source.
    pub async fn import(&self, source: Source, opts: &ImportOptions) -> Result<ImportReport> {
        let plan = self.plan(source, opts).await?;
        if opts.dry_run {
            return Ok(plan.report);
        }
        self.apply_import(plan).await
    }

    /// Computes what importing `source` would change; writes nothing.
    pub async fn plan(&self, source: Source, opts: &ImportOptions) -> Result<ImportPlan> {
        let Source {
            desired: mut want,
            kind,
            announced_uai,
            records,
        } = source;
        let dir = self.directory().clone();
        let current_structure = dir.structure().await?;
        let uai = match (&want.uai, &current_structure) {
            (Some(u), Some(s)) if *u != s.uai => {
                return Err(FeedError::new(format!(
                    "ce flux est celui de l'établissement {u}, ce serveur sert {}",
                    s.uai
                ))
                .into());
            }
            (Some(u), _) => u.clone(),
            (None, Some(s)) => s.uai.clone(),
            (None, None) => match &announced_uai {
                Some(a) => Uai::parse(a).map_err(|e| FeedError::new(e.to_string()))?,
                None => {
                    return Err(FeedError::new(
                        "l'annuaire n'a pas encore d'établissement : précisez son UAI (--uai) \
                         et son nom (--nom)",
                    )
                    .into());
                }
            },
        };
        if let Some(a) = &announced_uai
            && uai.as_str() != a
        {
            return Err(FeedError::new(format!(
                "la livraison annonce l'établissement {a}, son contenu ou l'annuaire {uai}"
            ))
            .into());
        }
        // Both legal responsables are linked; people in charge who are not legal responsables
        // only when asked. Nothing is left out without a line in the report.
        let named_in_charge: BTreeSet<Jointure> = want
            .people
            .values()
            .flat_map(|p| p.in_charge.iter().cloned())
            .collect();
        for p in want.people.values_mut() {
            in_charge(p, opts.personnes_en_charge, &mut want.warnings);
        }
        if kind == FeedKind::Complet {
            let referenced: BTreeSet<Jointure> = want
                .people
                .values()
                .flat_map(|p| p.responsables.keys().cloned())
                .collect();
            let mut unlinked = Vec::new();
            want.people.retain(|j, p| {
                let keep = p.profile != Profile::Responsable || referenced.contains(j);
                // People in charge left out are already named with their pupil.
                if !keep && !named_in_charge.contains(j) {
                    unlinked.push(format!(
                        "{} {} ({j}) : responsable d'aucun élève du flux, pas de compte",
                        p.given_name, p.family_name
                    ));
                }
                keep
            });
            want.warnings.extend(unlinked);
        }

        // The directory as it is, by jointure.
        let everyone = self.list(PersonQuery::default()).await?;
        let jointure_of: HashMap<Login, Jointure> = everyone
            .iter()
            .filter_map(|p| Some((p.login.clone(), p.jointure.clone()?)))
            .collect();
        let by_jointure: HashMap<Jointure, Person> = everyone
            .iter()
            .filter_map(|p| Some((p.jointure.clone()?, p.clone())))
            .collect();

        let mut plan = Planner {
            accounts: self,
            uai: uai.clone(),
            changes: Vec::new(),
            report: ImportReport {
                warnings: std::mem::take(&mut want.warnings),
                ..ImportReport::default()
            },
            reserved: HashSet::new(),
            login_of: by_jointure
                .iter()
                .map(|(j, p)| (j.clone(), p.login.clone()))
                .collect(),
            dry_run: opts.dry_run,
        };

        // The établissement: as the source names it, else as it is, else by its UAI.
        if want.uai.is_some() || current_structure.is_none() {
            let name = if !want.name.is_empty() {
                want.name.clone()
            } else if let Some(s) = &current_structure {
                s.name.clone()
            } else {
                format!("Établissement {uai}")
            };
            let kind = if !want.kind.is_empty() {
                want.kind.clone()
            } else {
                current_structure
                    .as_ref()
                    .map(|s| s.kind.clone())
                    .unwrap_or_default()
            };
            if current_structure
                .as_ref()
                .is_none_or(|s| s.name != name || s.kind != kind)
            {
                plan.changes.push(Change::UpsertStructure(Structure {
                    uai: uai.clone(),
                    name,
                    kind,
                }));
            }
        }
        for (code, label) in &want.classes {
            plan.changes.push(Change::UpsertClass {
                uai: uai.clone(),
                class: ClassRef {
                    code: code.clone(),
                    label: label.clone(),
                },
            });
        }
        for (code, label) in &want.groups {
            plan.changes.push(Change::UpsertGroup {
                uai: uai.clone(),
                group: GroupRef {
                    code: code.clone(),
                    label: label.clone(),
                    kind: GroupKind::Groupe,
                },
            });
        }

        // Modified people: their current state with the replaced attributes.
        for (j, r) in &want.modified {
            let person = by_jointure.get(j).ok_or_else(|| {
                FeedError::in_file(
                    &r.file,
                    Some(r.line),
                    format!("modification de {j}, inconnu de l'annuaire"),
                )
            })?;
            let rel = dir.relations(&person.login).await?;
            let base = current_desired(person, &rel, &jointure_of).ok_or_else(|| {
                FeedError::in_file(&r.file, Some(r.line), format!("{j} sans jointure"))
            })?;
            let mut m = modified(&base, r)?;
            in_charge(&mut m, opts.personnes_en_charge, &mut want.warnings);
            want.people.insert(j.clone(), m);
        }

        // New people first get their logins, so links to them can be planned.
        let mut new_people = Vec::new();
        for (j, p) in &want.people {
            if !by_jointure.contains_key(j) {
                let login = plan.new_login(&p.given_name, &p.family_name).await?;
                plan.login_of.insert(j.clone(), login.clone());
                new_people.push((j.clone(), login));
            }
        }
        let mut to_enable = Vec::new();
        for (j, p) in &want.people {
            match by_jointure.get(j) {
                None => {
                    let login = plan
                        .login_of
                        .get(j)
                        .cloned()
                        .ok_or_else(|| Error::NotFound(j.to_string()))?;
                    let password = if plan.dry_run {
                        String::new()
                    } else {
                        password::generate_readable(&mut rand::rng(), 10)
                    };
                    plan.changes.push(Change::CreatePerson {
                        uai: Some(uai.clone()),
                        person: NewPerson {
                            login: login.clone(),
                            jointure: Some(j.clone()),
                            profile: p.profile,
                            given_name: p.given_name.clone(),
                            family_name: p.family_name.clone(),
                            email: p.email.clone(),
                            birth_date: p.birth_date,
                            password_hash: None,
                            nt_hash: None,
                            must_change_password: true,
                        },
                    });
                    plan.links(&login, None, p);
                    let classe = p
                        .classes
                        .iter()
                        .map(ClassCode::as_str)
                        .collect::<Vec<_>>()
                        .join(",");
                    plan.line("création", j, &login, p.profile.as_str().to_owned());
                    plan.report.created += 1;
                    plan.report.new_accounts.push(NewAccount {
                        login,
                        password,
                        profile: p.profile,
                        classe,
                    });
                }
                Some(person) => {
                    let rel = dir.relations(&person.login).await?;
                    let now = current_desired(person, &rel, &jointure_of);
                    let kept;
                    let p = match (&now, want.keep_teachings) {
                        (Some(n), true) => {
                            kept = DesiredPerson {
                                teachings: n.teachings.clone(),
                                ..p.clone()
                            };
                            &kept
                        }
                        _ => p,
                    };
                    let mut update = PersonUpdate::default();
                    if person.given_name != p.given_name {
                        update.given_name = Some(p.given_name.clone());
                    }
                    if person.family_name != p.family_name {
                        update.family_name = Some(p.family_name.clone());
                    }
                    if person.email != p.email {
                        update.email = Some(p.email.clone());
                    }
                    let attrs_changed = update != PersonUpdate::default();
                    if attrs_changed {
                        plan.changes.push(Change::UpdatePerson {
                            login: person.login.clone(),
                            update,
                        });
                    }
                    let links_changed = plan.links(&person.login, now.as_ref(), p);
                    let back = person.state == AccountState::Disabled;
                    if back {
                        to_enable.push(person.login.clone());
                        plan.line("réactivation", j, &person.login, String::new());
                        plan.report.reactivated += 1;
                    }
                    if attrs_changed || links_changed {
                        plan.line("mise à jour", j, &person.login, String::new());
                        plan.report.updated += 1;
                    } else if !back {
                        plan.report.unchanged += 1;
                    }
                }
            }
        }

        // Who leaves: absent from a complet feed (for the categories it delivers), or
        // removed by a delta.
        let mut to_disable = Vec::new();
        for (j, person) in &by_jointure {
            if person.state != AccountState::Active {
                continue;
            }
            let gone = match kind {
                FeedKind::Complet => {
                    want.categories.contains(&profile_category(person.profile))
                        && !want.people.contains_key(j)
                }
                FeedKind::Delta => want.removed.contains(j),
            };
            if gone {
                to_disable.push(person.login.clone());
                plan.line("désactivation", j, &person.login, String::new());
                plan.report.disabled += 1;
            }
        }
        if kind == FeedKind::Complet && !opts.force {
            let managed = by_jointure
                .values()
                .filter(|p| {
                    p.state == AccountState::Active
                        && want.categories.contains(&profile_category(p.profile))
                })
                .count();
            if managed > 0 && to_disable.len() as f64 > opts.max_disable_share * managed as f64 {
                return Err(FeedError::new(format!(
                    "ce flux complet désactiverait {} comptes sur {managed} (plus de {:.0} %) : \
                     livraison incomplète ? Relancez avec --force si c'est voulu",
                    to_disable.len(),
                    opts.max_disable_share * 100.0
                ))
                .into());
            }
        }
        plan.report
            .lines
            .sort_by(|a, b| (a.action, &a.jointure).cmp(&(b.action, &b.jointure)));
        Ok(ImportPlan {
            report: plan.report,
            pedagogy: records.map(|r| (kind, r)),
            changes: plan.changes,
            to_enable,
            to_disable,
        })
    }

    /// Applies a plan: passwords hashed off the executor, one batch of directory changes,
    /// then reactivations, disablings and the lifecycle sweep.
    pub async fn apply_import(&self, plan: ImportPlan) -> Result<ImportReport> {
        let ImportPlan {
            pedagogy,
            mut changes,
            mut report,
            to_enable,
            to_disable,
        } = plan;
        let dir = self.directory().clone();
        let wants_nt = dir.wants_nt_hash();
        let logins: Vec<Login> = report
            .new_accounts
            .iter()
            .map(|a| a.login.clone())
            .collect();
        let clear: Vec<String> = report
            .new_accounts
            .iter()
            .map(|a| a.password.clone())
            .collect();
        let nts: Vec<Option<String>> = clear
            .iter()
            .map(|pw| wants_nt.then(|| password::nt_hash(pw)))
            .collect();
        // Generated, printed and changed at first sign-in: a fast salted hash (see password.rs).
        let phcs = password::hash_initial_many(clear).await?;
        let hashes: HashMap<Login, (String, Option<String>)> =
            logins.into_iter().zip(phcs.into_iter().zip(nts)).collect();
        for c in &mut changes {
            if let Change::CreatePerson { person, .. } = c
                && let Some((h, nt)) = hashes.get(&person.login)
            {
                person.password_hash = Some(h.clone());
                person.nt_hash = nt.clone();
            }
        }
        // Creations before the links that name them (the directory applies by phase too).
        changes.sort_by_key(Change::phase);
        self.apply("import", changes).await?;
        for login in &to_enable {
            self.enable("import", login).await?;
        }
        for login in &to_disable {
            self.disable("import", login).await?;
        }
        report.deleted = self.sweep("import").await?.deleted.len();
        if let Some((kind, records)) = pedagogy {
            // After the annuaire: a run cut short before this line leaves the facts of the
            // previous delivery, which the next run (the same delivery again) replaces.
            self.store()
                .write(move |w| {
                    let p = Pedagogy::from_records(&records, &|j| w.pedagogy_of(j).ok().flatten());
                    w.record_pedagogy(kind == FeedKind::Complet, &p)
                })
                .await?;
        }
        if let Some(domain) = self.domain() {
            // The new accounts reach the domain with their passwords, which only this run has.
            let passwords = report
                .new_accounts
                .iter()
                .map(|a| (a.login.as_str().to_owned(), a.password.clone()))
                .collect();
            if let Err(e) = domain.sync(self.directory(), &passwords).await {
                tracing::warn!(error = %e, "domain: not reached after the import; passwords owed");
                domain.owe(passwords.keys()).await;
            }
        }
        Ok(report)
    }
}
