//! The directory's domain: identifiers as newtypes so they cannot be swapped, profiles,
//! people, classes, groups and their relations.

use std::fmt;

use crate::messages;

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }
    };
}

id_newtype!(
    /// A sign-in name (`prenom.nom`): lowercase ASCII letters, digits, `.`, `-`, `_`.
    Login
);
id_newtype!(
    /// The académie's identifier of a person (`ENTPersonJointure`).
    Jointure
);
id_newtype!(
    /// Unité administrative immatriculée: 7 digits and a letter.
    Uai
);
id_newtype!(
    /// A class code within the établissement (`6A`, `3B`).
    ClassCode
);
id_newtype!(
    /// A group code within the établissement (`4-ESP`, `profs-6A`).
    GroupCode
);

impl Login {
    /// Longest login accepted (SMB and many ENT clients limit the length).
    pub const MAX_LEN: usize = 20;

    pub fn parse(s: &str) -> Result<Self, crate::Error> {
        let ok = !s.is_empty()
            && s.len() <= Self::MAX_LEN
            && s.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
            })
            && !s.starts_with(['.', '-']);
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(crate::Error::Invalid {
                field: "login",
                reason: format!("« {s} » n'est pas un identifiant valide"),
            })
        }
    }
}

impl Jointure {
    pub fn parse(s: &str) -> Result<Self, crate::Error> {
        if !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(crate::Error::Invalid {
                field: "ENTPersonJointure",
                reason: format!("« {s} » n'est pas une jointure valide"),
            })
        }
    }
}

impl Uai {
    pub fn parse(s: &str) -> Result<Self, crate::Error> {
        let b = s.as_bytes();
        if b.len() == 8 && b[..7].iter().all(u8::is_ascii_digit) && b[7].is_ascii_uppercase() {
            Ok(Self(s.to_owned()))
        } else {
            Err(crate::Error::Invalid {
                field: "UAI",
                reason: format!("« {s} » : 7 chiffres et une lettre attendus"),
            })
        }
    }
}

impl ClassCode {
    pub fn parse(s: &str) -> Result<Self, crate::Error> {
        code(s, "classe").map(Self)
    }
}

impl GroupCode {
    pub fn parse(s: &str) -> Result<Self, crate::Error> {
        code(s, "groupe").map(Self)
    }
}

fn code(s: &str, field: &'static str) -> Result<String, crate::Error> {
    let s = s.trim();
    if !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -_.'".contains(c))
    {
        Ok(s.to_owned())
    } else {
        Err(crate::Error::Invalid {
            field,
            reason: format!("« {s} » n'est pas un code valide"),
        })
    }
}

/// A person's profile, after `ENTPersonProfils`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    Eleve,
    Responsable,
    Enseignant,
    Direction,
    VieScolaire,
    Documentaliste,
    Administratif,
    /// RUPN / administrateur ENT.
    Admin,
}

impl Profile {
    pub const ALL: [Profile; 8] = [
        Self::Eleve,
        Self::Responsable,
        Self::Enseignant,
        Self::Direction,
        Self::VieScolaire,
        Self::Documentaliste,
        Self::Administratif,
        Self::Admin,
    ];

    /// Stable name used in the store, CSV files and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eleve => "eleve",
            Self::Responsable => "responsable",
            Self::Enseignant => "enseignant",
            Self::Direction => "direction",
            Self::VieScolaire => "vie-scolaire",
            Self::Documentaliste => "documentaliste",
            Self::Administratif => "administratif",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The national code (`ENTPersonProfils`).
    pub fn national_code(self) -> &'static str {
        match self {
            Self::Eleve => "National_ELV",
            Self::Responsable => "National_TUT",
            Self::Enseignant => "National_ENS",
            Self::Direction => "National_DIR",
            Self::VieScolaire => "National_EVS",
            Self::Documentaliste => "National_DOC",
            Self::Administratif | Self::Admin => "National_ETA",
        }
    }

    /// How the profile is named to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Eleve => messages::PROFILE_ELEVE,
            Self::Responsable => messages::PROFILE_RESPONSABLE,
            Self::Enseignant => messages::PROFILE_ENSEIGNANT,
            Self::Direction => messages::PROFILE_DIRECTION,
            Self::VieScolaire => messages::PROFILE_VIE_SCOLAIRE,
            Self::Documentaliste => messages::PROFILE_DOCUMENTALISTE,
            Self::Administratif => messages::PROFILE_ADMINISTRATIF,
            Self::Admin => messages::PROFILE_ADMIN,
        }
    }

    /// Staff of the établissement (not pupils, not parents).
    pub fn is_staff(self) -> bool {
        !matches!(self, Self::Eleve | Self::Responsable)
    }
}

/// Where an account stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    Active,
    /// Left the school: sign-in refused, deleted after the grace period.
    Disabled,
    Deleted,
}

impl AccountState {
    /// In French, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "actif",
            Self::Disabled => "désactivé",
            Self::Deleted => "supprimé",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
            Self::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "disabled" => Some(Self::Disabled),
            "deleted" => Some(Self::Deleted),
            _ => None,
        }
    }
}

/// The établissement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Structure {
    pub uai: Uai,
    pub name: String,
    /// `CLG`, `LYC`, `ECOLE`...
    pub kind: String,
}

/// A person as the rest of the code sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub login: Login,
    pub jointure: Option<Jointure>,
    pub profile: Profile,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub state: AccountState,
    /// When the account entered its state (unix seconds): starts the grace period.
    pub state_since: i64,
    pub must_change_password: bool,
    pub birth_date: Option<time::Date>,
    /// Last successful sign-in (unix seconds).
    pub last_login: Option<i64>,
}

impl Person {
    /// "Prénom NOM".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// A new person to create; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub login: Login,
    pub jointure: Option<Jointure>,
    pub profile: Profile,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub birth_date: Option<time::Date>,
    pub password_hash: Option<String>,
    /// NT hash for Samba, when the directory wants it ([`super::DirectoryRead::wants_nt_hash`]).
    pub nt_hash: Option<String>,
    pub must_change_password: bool,
}

/// What is stored of a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHashes {
    /// argon2id PHC string; or a SHA-512-crypt hash (`$6$…`) when the password was changed on
    /// a Windows PC and came back from the domain (which only the LDAP annuaire takes).
    pub phc: String,
    /// NT hash for Samba, only where Samba integration is on.
    pub nt: Option<String>,
}

impl PasswordHashes {
    /// Whether the hash is a SHA-512-crypt one from the domain, not cartable's argon2id.
    pub fn is_crypt(&self) -> bool {
        crate::auth::password::is_crypt(&self.phc)
    }
}

/// A responsable is of level 1 or 2; anything else is refused, by every backend alike.
pub fn check_responsable_level(level: u8) -> Result<(), crate::Error> {
    if matches!(level, 1 | 2) {
        Ok(())
    } else {
        Err(crate::Error::Invalid {
            field: "niveau de responsabilité",
            reason: format!("{level} (1 ou 2 attendu)"),
        })
    }
}

impl Change {
    /// The phase a change is applied in, so links find what they name.
    pub fn phase(&self) -> u8 {
        match self {
            Self::UpsertStructure(_) => 0,
            Self::UpsertClass { .. } | Self::UpsertGroup { .. } => 1,
            Self::CreatePerson { .. } | Self::UpdatePerson { .. } => 2,
            Self::Unlink(_) => 3,
            _ => 4,
        }
    }
}

/// Fields of a person to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonUpdate {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// `Some(None)` removes the address.
    pub email: Option<Option<String>>,
}

/// A class with its code and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRef {
    pub code: ClassCode,
    pub label: String,
}

/// The équipe pédagogique of a class (`profs-<classe>`), kept by the directory itself: created
/// with the class, joined by every teacher given a teaching in it.
pub fn equipe_of(class: &ClassRef) -> GroupRef {
    GroupRef {
        code: GroupCode(format!("profs-{}", class.code)),
        label: format!("Équipe pédagogique {}", class.label),
        kind: GroupKind::Equipe,
    }
}

/// Code of a class's équipe pédagogique.
pub fn equipe_code(class: &ClassCode) -> GroupCode {
    GroupCode(format!("profs-{class}"))
}

/// A group with its code, label and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    pub code: GroupCode,
    pub label: String,
    pub kind: GroupKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// A teaching group (LV2, option...).
    Groupe,
    /// The teachers of a class (`profs-<classe>`).
    Equipe,
    /// A staff service (vie scolaire, direction).
    Service,
}

impl GroupKind {
    /// In French, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Groupe => "groupe",
            Self::Equipe => "équipe pédagogique",
            Self::Service => "service",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Groupe => "groupe",
            Self::Equipe => "equipe",
            Self::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "groupe" => Some(Self::Groupe),
            "equipe" => Some(Self::Equipe),
            "service" => Some(Self::Service),
            _ => None,
        }
    }
}

/// Someone linked to a person (a child, a parent), with the class of the pupil.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relative {
    pub login: Login,
    pub display_name: String,
    pub class: Option<ClassRef>,
    /// Responsable level (1 or 2) of the link.
    pub level: u8,
}

/// A class a teacher teaches, with the subjects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teaching {
    pub class: ClassRef,
    pub subjects: Vec<String>,
    pub principal: bool,
}

/// The unix identities the directory gives accounts and groups (`posixAccount`,
/// `posixGroup`): what the file tree is owned by and what smbd puts in a session's token. Only
/// the LDAP directory has them; with the embedded one, files belong to the service alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Posix {
    pub accounts: Vec<PosixAccount>,
    pub groups: Vec<PosixGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosixAccount {
    pub login: Login,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosixGroup {
    pub of: PosixGroupOf,
    pub gid: u32,
    pub members: Vec<Login>,
}

/// What a unix group stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PosixGroupOf {
    Class(ClassCode),
    Group(GroupCode, GroupKind),
}

impl Posix {
    pub fn account(&self, login: &Login) -> Option<&PosixAccount> {
        self.accounts.iter().find(|a| &a.login == login)
    }

    pub fn class(&self, code: &ClassCode) -> Option<&PosixGroup> {
        self.groups
            .iter()
            .find(|g| matches!(&g.of, PosixGroupOf::Class(c) if c == code))
    }

    pub fn group(&self, code: &GroupCode) -> Option<&PosixGroup> {
        self.groups
            .iter()
            .find(|g| matches!(&g.of, PosixGroupOf::Group(c, _) if c == code))
    }
}

/// Everything the portal shows about a person's place in the établissement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    /// Classes the person is a pupil of.
    pub classes: Vec<ClassRef>,
    pub groups: Vec<GroupRef>,
    /// For a responsable: the pupils in his charge.
    pub children: Vec<Relative>,
    /// For a pupil: his responsables.
    pub parents: Vec<Relative>,
    /// For a teacher: classes taught.
    pub teachings: Vec<Teaching>,
}

/// A change to the directory. A batch is applied in phases — structure, classes and groups,
/// people, links undone, links added — whatever the order it is given in.
#[derive(Debug, Clone)]
pub enum Change {
    UpsertStructure(Structure),
    UpsertClass {
        uai: Uai,
        class: ClassRef,
    },
    UpsertGroup {
        uai: Uai,
        group: GroupRef,
    },
    CreatePerson {
        uai: Option<Uai>,
        person: NewPerson,
    },
    /// Changes a person's names or e-mail (what the académie feed corrects).
    UpdatePerson {
        login: Login,
        update: PersonUpdate,
    },
    AddToClass {
        uai: Uai,
        class: ClassCode,
        pupil: Login,
    },
    AddToGroup {
        uai: Uai,
        group: GroupCode,
        member: Login,
    },
    LinkResponsable {
        child: Login,
        parent: Login,
        level: u8,
    },
    AddTeaching {
        uai: Uai,
        teacher: Login,
        class: ClassCode,
        subject: String,
    },
    SetPrincipal {
        uai: Uai,
        class: ClassCode,
        teacher: Login,
    },
    /// Undoes a link; nothing happens if it is not there.
    Unlink(Link),
}

/// A link between people, classes and groups, as [`Change::Unlink`] removes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Class {
        uai: Uai,
        class: ClassCode,
        pupil: Login,
    },
    Group {
        uai: Uai,
        group: GroupCode,
        member: Login,
    },
    Responsable {
        child: Login,
        parent: Login,
    },
    /// One subject in a class; the teacher leaves the class's équipe with the last one.
    Teaching {
        uai: Uai,
        teacher: Login,
        class: ClassCode,
        subject: String,
    },
    Principal {
        uai: Uai,
        class: ClassCode,
        teacher: Login,
    },
}

/// A search of people, paged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonQuery {
    /// Matches login, first name or last name (substring, case and accents as stored).
    pub text: Option<String>,
    pub profile: Option<Profile>,
    pub state: Option<AccountState>,
    /// In this class: its pupils and the teachers who teach it.
    pub class: Option<ClassCode>,
    /// Members of this group (groupe, équipe or service).
    pub group: Option<GroupCode>,
    /// 0-based page.
    pub page: usize,
    /// Page size; 0 means the default (50).
    pub per_page: usize,
}

impl PersonQuery {
    pub const DEFAULT_PAGE: usize = 50;
    pub const MAX_PAGE: usize = 1000;

    pub fn page_size(&self) -> usize {
        match self.per_page {
            0 => Self::DEFAULT_PAGE,
            n => n.min(Self::MAX_PAGE),
        }
    }
}

/// One page of people, sorted by family name, first name, login.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonPage {
    pub people: Vec<Person>,
    /// How many match in all.
    pub total: usize,
}

/// What signing in with a login and password gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthOutcome {
    Accepted(Person),
    /// Unknown login or wrong password (not told apart, on purpose).
    BadCredentials,
    /// Right password, but the account is disabled.
    Disabled,
}
