//! The authorization matrix: every route of `cartable_web::routes::ROUTES`, asked by every
//! kind of person (nobody, two pupils of different classes, their parents, a teacher of each
//! class, vie scolaire, direction, a documentaliste, the RUPN), about targets they are and are
//! not related to, through the real daemon. A route missing from the table fails the test.

use std::collections::BTreeSet;
use std::sync::Arc;

use cartable_core::clock::SystemClock;
use cartable_core::config::DirectoryConfig;
use cartable_core::directory::{AnyDirectory, DirectoryRead, Login, Relations};
use cartable_core::store::Store;
use cartable_tests::accounts::{self, DemoLogin};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};
use cartable_web::routes::Method;

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Who asks, in the order of each row's expectations.
const PERSONAS: [&str; 11] = ["anon", "A", "B", "P", "Q", "T", "U", "V", "D", "S", "R"];

/// One row: a request, the route it exercises, and the status each persona gets.
struct Row {
    method: Method,
    route: &'static str,
    /// With `{A}`, `{A2}`, `{P}`, `{P2}`, `{T}`, `{R}`, `{X}`, `{Y}`, `{Z}` replaced.
    url: &'static str,
    form: &'static [(&'static str, &'static str)],
    /// Send the session's CSRF token.
    csrf: bool,
    expect: [u16; 11],
}

const fn row(
    method: Method,
    route: &'static str,
    url: &'static str,
    form: &'static [(&'static str, &'static str)],
    csrf: bool,
    expect: [u16; 11],
) -> Row {
    Row {
        method,
        route,
        url,
        form,
        csrf,
        expect,
    }
}

use Method::{Get, Post};

//                                              anon  A    B    P    Q    T    U    V    D    S    R
const SIGNED: [u16; 11] = [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200];
const RUPN_ONLY: [u16; 11] = [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200];
const EVERYONE: [u16; 11] = [200; 11];

//                                              anon  A    B    P    Q    T    U    V    D    S    R
/// A class's space (X = 6A): its pupils (A) and its teacher (T); nobody else sees it.
const CLASS_X_READ: [u16; 11] = [303, 200, 404, 404, 404, 200, 404, 404, 404, 404, 404];
/// Everyone with a space of their own: pupils and staff, not parents.
const HAS_SPACE: [u16; 11] = [303, 200, 200, 404, 404, 200, 200, 200, 200, 200, 200];
/// A class's `travail` (X = 6A) written: its pupils and its teacher (sent back to the folder).
const CLASS_X_WRITE: [u16; 11] = [303, 303, 404, 404, 404, 303, 404, 404, 404, 404, 404];
/// The documentaliste moderates the groups he is a member of, and is in none in the demo.
const FORUMS_S_REPORTS: u16 = 403;
const MATRIX: &[Row] = &[
    row(Get, "/", "/", &[], false, SIGNED),
    row(
        Get,
        "/login",
        "/login",
        &[],
        false,
        [200, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        Post,
        "/login",
        "/login",
        &[("login", "x"), ("password", "y")],
        false,
        [403; 11],
    ),
    row(
        Post,
        "/logout",
        "/logout",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    row(
        Post,
        "/logout/partout",
        "/logout/partout",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    row(Get, "/compte", "/compte", &[], false, SIGNED),
    row(
        Get,
        "/compte/mot-de-passe",
        "/compte/mot-de-passe",
        &[],
        false,
        SIGNED,
    ),
    row(
        Post,
        "/compte/mot-de-passe",
        "/compte/mot-de-passe",
        &[("actuel", "x")],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    // A pupil's page: himself, his parents, his teachers, vie scolaire, direction, RUPN.
    row(
        Get,
        "/personnes/{login}",
        "/personnes/{A}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 200, 200, 404, 200],
    ),
    // A parent's page: himself, his child's teachers, vie scolaire, direction, RUPN.
    row(
        Get,
        "/personnes/{login}",
        "/personnes/{P}",
        &[],
        false,
        [303, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200],
    ),
    // A teacher's page: himself, direction, RUPN — not vie scolaire, not families.
    row(
        Get,
        "/personnes/{login}",
        "/personnes/{T}",
        &[],
        false,
        [303, 404, 404, 404, 404, 200, 404, 404, 200, 404, 200],
    ),
    // A RUPN's page: only a RUPN.
    row(
        Get,
        "/personnes/{login}",
        "/personnes/{R}",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200],
    ),
    row(
        Get,
        "/personnes/{login}",
        "/personnes/personne.inconnue",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // New passwords: the teachers of the class and the RUPN, for pupils and their parents.
    row(
        Post,
        "/personnes/{login}/mot-de-passe",
        "/personnes/{A2}/mot-de-passe",
        &[("confirme", "1")],
        true,
        [303, 404, 404, 404, 404, 200, 404, 403, 403, 404, 200],
    ),
    row(
        Post,
        "/personnes/{login}/mot-de-passe",
        "/personnes/{P2}/mot-de-passe",
        &[("confirme", "1")],
        true,
        [303, 404, 404, 404, 404, 200, 404, 403, 403, 404, 200],
    ),
    // Without the session's CSRF token, nobody gets anything done.
    row(
        Post,
        "/personnes/{login}/mot-de-passe",
        "/personnes/{A}/mot-de-passe",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    // Disabling: the RUPN only (he is redirected back to the page).
    row(
        Post,
        "/personnes/{login}/etat",
        "/personnes/{A2}/etat",
        &[("etat", "desactiver"), ("confirme", "1")],
        true,
        [303, 404, 404, 404, 404, 403, 404, 403, 403, 404, 303],
    ),
    row(
        Post,
        "/personnes/{login}/etat",
        "/personnes/{A2}/etat",
        &[("etat", "activer")],
        true,
        [303, 404, 404, 404, 404, 403, 404, 403, 403, 404, 303],
    ),
    // A person's quota: the RUPN only.
    row(
        Post,
        "/personnes/{login}/quota",
        "/personnes/{A2}/quota",
        &[("mio", "2048")],
        true,
        [303, 404, 404, 404, 404, 403, 404, 403, 403, 404, 303],
    ),
    // Classes: their teachers, vie scolaire, direction, RUPN.
    row(
        Get,
        "/classes/{code}",
        "/classes/{X}",
        &[],
        false,
        [303, 403, 403, 403, 403, 200, 403, 200, 200, 403, 200],
    ),
    row(
        Get,
        "/classes/{code}",
        "/classes/{Y}",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 200, 200, 200, 403, 200],
    ),
    row(
        Get,
        "/classes/{code}",
        "/classes/NOPE",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // A whole class's letters: its teachers and the RUPN.
    row(
        Post,
        "/classes/{code}/courriers",
        "/classes/{Z}/courriers",
        &[("confirme", "1")],
        true,
        [303, 403, 403, 403, 403, 403, 200, 403, 403, 403, 200],
    ),
    row(Get, "/admin", "/admin", &[], false, RUPN_ONLY),
    row(
        Get,
        "/admin",
        "/admin?q=a&profil=eleve",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/classes",
        "/admin/classes",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/groupes",
        "/admin/groupes",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/services",
        "/admin/services",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/modules",
        "/admin/modules",
        &[],
        false,
        RUPN_ONLY,
    ),
    // Saved with every profile ticked, so the module stays open for the rows below.
    row(
        Post,
        "/admin/modules",
        "/admin/modules",
        &[
            ("module", "emploi-du-temps"),
            ("p-eleve", "1"),
            ("p-responsable", "1"),
            ("p-enseignant", "1"),
            ("p-direction", "1"),
            ("p-vie-scolaire", "1"),
            ("p-documentaliste", "1"),
            ("p-administratif", "1"),
            ("p-admin", "1"),
        ],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 303],
    ),
    row(
        Get,
        "/compte/donnees",
        "/compte/donnees",
        &[],
        false,
        SIGNED,
    ),
    // Emploi du temps: my week; a pupil's (himself, his parents, his class's teachers, vie
    // scolaire, direction — the RUPN sees the person, not the timetable); a class's.
    row(
        Get,
        "/emploi-du-temps",
        "/emploi-du-temps",
        &[],
        false,
        SIGNED,
    ),
    row(
        Get,
        "/emploi-du-temps",
        "/emploi-du-temps?enfant={A}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 200, 200, 404, 403],
    ),
    row(
        Get,
        "/emploi-du-temps",
        "/emploi-du-temps?classe={X}",
        &[],
        false,
        [303, 403, 403, 403, 403, 200, 403, 200, 200, 403, 403],
    ),
    row(
        Get,
        "/emploi-du-temps/gerer",
        "/emploi-du-temps/gerer",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    // Not multipart: refused once the person may import.
    row(
        Post,
        "/emploi-du-temps/importer",
        "/emploi-du-temps/importer",
        &[("format", "csv")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 400, 403, 400],
    ),
    row(
        Post,
        "/emploi-du-temps/semaine-a",
        "/emploi-du-temps/semaine-a",
        &[("date", "2026-08-31")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 303, 403, 303],
    ),
    // A course of class X put back as planned: its teachers, vie scolaire, direction.
    row(
        Post,
        "/emploi-du-temps/changement",
        "/emploi-du-temps/changement",
        &[
            ("cours", "{C}"),
            ("date", "{CD}"),
            ("action", "retablir"),
            ("retour", "/emploi-du-temps"),
        ],
        true,
        [303, 403, 403, 403, 403, 303, 403, 303, 303, 403, 403],
    ),
    row(
        Post,
        "/emploi-du-temps/abonnement",
        "/emploi-du-temps/abonnement",
        &[],
        true,
        [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        Post,
        "/emploi-du-temps/abonnement/supprimer",
        "/emploi-du-temps/abonnement/supprimer",
        &[],
        true,
        [303; 11],
    ),
    // Agenda: everyone keeps his own; the direction, vie scolaire and RUPN publish.
    // Vie scolaire: pupils are sent to their own page; closed to documentaliste and RUPN.
    row(
        Get,
        "/vie-scolaire",
        "/vie-scolaire",
        &[],
        false,
        [303, 303, 303, 200, 200, 200, 200, 200, 200, 404, 404],
    ),
    row(
        Get,
        "/vie-scolaire/appel/{id}",
        "/vie-scolaire/appel/999999",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/appel/{id}",
        "/vie-scolaire/appel/999999",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // A course added for a class: its teacher only.
    row(
        Post,
        "/vie-scolaire/ajouter",
        "/vie-scolaire/ajouter",
        &[
            ("pour", "classe:{X}"),
            ("matiere", "Remplacement"),
            ("debut", "07:00"),
            ("fin", "07:30"),
        ],
        true,
        [303, 403, 403, 403, 403, 303, 403, 403, 403, 404, 404],
    ),
    // The établissement's lists of motifs and punitions: vie scolaire and direction.
    row(
        Get,
        "/vie-scolaire/listes",
        "/vie-scolaire/listes",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 200, 200, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/listes/motif",
        "/vie-scolaire/listes/motif",
        &[("libelle", "Motif ajouté")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 303, 303, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/listes/punition",
        "/vie-scolaire/listes/punition",
        &[("libelle", "Punition ajoutée")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 303, 303, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/listes/{liste}/{code}/retirer",
        "/vie-scolaire/listes/motif/autre/retirer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 303, 303, 404, 404],
    ),
    // Counting settings, rates, sorties and dispenses: vie scolaire and direction.
    row(
        Post,
        "/vie-scolaire/listes/decompte",
        "/vie-scolaire/listes/decompte",
        &[("unite", "demi-journee"), ("seuil", "4")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 303, 303, 404, 404],
    ),
    row(
        Get,
        "/vie-scolaire/taux",
        "/vie-scolaire/taux",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 200, 200, 404, 404],
    ),
    row(
        Get,
        "/vie-scolaire/sorties",
        "/vie-scolaire/sorties",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 200, 200, 404, 404],
    ),
    // Refused as incomplete once allowed (422: the form again).
    row(
        Post,
        "/vie-scolaire/sorties",
        "/vie-scolaire/sorties",
        &[("libelle", "Musée")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 422, 422, 404, 404],
    ),
    row(
        Get,
        "/vie-scolaire/sortie/{id}",
        "/vie-scolaire/sortie/999999",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/sortie/{id}",
        "/vie-scolaire/sortie/999999",
        &[("eleve", "{A}")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/sortie/{id}/annuler",
        "/vie-scolaire/sortie/999999/annuler",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/eleve/{login}/dispense",
        "/vie-scolaire/eleve/{A}/dispense",
        &[],
        true,
        [303, 403, 404, 403, 404, 403, 404, 422, 422, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/dispense/{id}/retirer",
        "/vie-scolaire/dispense/999999/retirer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // The export: vie scolaire and direction (without a period: sent back to the board).
    row(
        Get,
        "/vie-scolaire/export",
        "/vie-scolaire/export",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 303, 303, 404, 404],
    ),
    // A pupil's absences: himself, his parents, his class's professeur principal (T), vie
    // scolaire, direction.
    row(
        Get,
        "/vie-scolaire/eleve/{login}",
        "/vie-scolaire/eleve/{A}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 200, 200, 404, 404],
    ),
    // Justified by his parents only (not multipart here: refused as malformed once allowed).
    row(
        Post,
        "/vie-scolaire/eleve/{login}/justifier",
        "/vie-scolaire/eleve/{A}/justifier",
        &[("motif", "maladie")],
        true,
        [303, 403, 404, 400, 404, 403, 404, 403, 403, 404, 404],
    ),
    // The pupil's file and the letter to the family: vie scolaire and direction.
    row(
        Post,
        "/vie-scolaire/eleve/{login}/suivi",
        "/vie-scolaire/eleve/{A}/suivi",
        &[],
        true,
        [303, 403, 404, 403, 404, 403, 404, 303, 303, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/eleve/{login}/absence",
        "/vie-scolaire/eleve/{A}/absence",
        &[],
        true,
        [303, 403, 404, 403, 404, 403, 404, 303, 303, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/eleve/{login}/courrier",
        "/vie-scolaire/eleve/{A}/courrier",
        &[],
        true,
        [303, 403, 404, 403, 404, 403, 404, 200, 200, 404, 404],
    ),
    // Punitions: the pupil's teachers (T), vie scolaire, direction; sanctions: the direction
    // (an empty form is refused once allowed: 422, the page again).
    row(
        Post,
        "/vie-scolaire/eleve/{login}/punition",
        "/vie-scolaire/eleve/{A}/punition",
        &[],
        true,
        [303, 403, 404, 403, 404, 422, 404, 422, 422, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/eleve/{login}/sanction",
        "/vie-scolaire/eleve/{A}/sanction",
        &[],
        true,
        [303, 403, 404, 403, 404, 403, 404, 403, 422, 404, 404],
    ),
    row(
        Post,
        "/vie-scolaire/sanction/{id}/courrier",
        "/vie-scolaire/sanction/999999/courrier",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Notes. E: an évaluation of T's in class X (the demo's), ES its subject.
    row(
        Get,
        "/notes",
        "/notes",
        &[],
        false,
        [303, 303, 303, 303, 303, 200, 200, 200, 200, 200, 200],
    ),
    // A teacher's form, refused as incomplete; nobody else has one.
    row(
        Post,
        "/notes/evaluations",
        "/notes/evaluations",
        &[],
        true,
        [303, 403, 403, 403, 403, 422, 422, 403, 403, 403, 403],
    ),
    row(
        Get,
        "/notes/evaluation/{id}",
        "/notes/evaluation/{E}",
        &[],
        false,
        [303, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/notes/evaluation/{id}",
        "/notes/evaluation/{E}",
        &[("colonne", "")],
        true,
        [303, 404, 404, 404, 404, 303, 404, 404, 404, 404, 404],
    ),
    // Its settings and its deletion: its teacher only (an empty form is refused: 422, and
    // nothing is deleted without the confirmation).
    row(
        Post,
        "/notes/evaluation/{id}/modifier",
        "/notes/evaluation/{E}/modifier",
        &[],
        true,
        [303, 404, 404, 404, 404, 422, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/notes/evaluation/{id}/supprimer",
        "/notes/evaluation/{E}/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 422, 404, 404, 404, 404, 404],
    ),
    // A pupil's marks: himself, his parents, his teachers, the direction.
    row(
        Get,
        "/notes/eleve/{login}",
        "/notes/eleve/{A}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 404, 200, 404, 404],
    ),
    row(
        Get,
        "/notes/eleve/{login}/moyenne",
        "/notes/eleve/{A}/moyenne?matiere={ES}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 404, 200, 404, 404],
    ),
    // The direction sets the periods and the avis (an empty form is refused: 422).
    row(
        Get,
        "/notes/reglages",
        "/notes/reglages",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403],
    ),
    row(
        Post,
        "/notes/reglages",
        "/notes/reglages",
        &[],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 422, 403, 403],
    ),
    // A teacher's appréciations of his own course (T: 6A in ES); nothing typed, nothing
    // changed.
    row(
        Get,
        "/notes/appreciations",
        "/notes/appreciations?cours={X}%7C{ES}",
        &[],
        false,
        [303, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/notes/appreciations",
        "/notes/appreciations",
        &[("cours", "{X}|{ES}")],
        true,
        [303, 404, 404, 404, 404, 303, 404, 404, 404, 404, 404],
    ),
    // The conseil of X: its professeur principal (T), the vie scolaire, the direction.
    row(
        Get,
        "/notes/conseil/{classe}",
        "/notes/conseil/{X}",
        &[],
        false,
        [303, 404, 404, 404, 404, 200, 404, 200, 200, 404, 404],
    ),
    row(
        Post,
        "/notes/conseil/{classe}",
        "/notes/conseil/{X}",
        &[],
        true,
        [303, 404, 404, 404, 404, 303, 404, 303, 303, 404, 404],
    ),
    // The bilan de fin de cycle of X (a 6e): its PP and the direction.
    row(
        Get,
        "/notes/bilan/{classe}",
        "/notes/bilan/{X}",
        &[],
        false,
        [303, 404, 404, 404, 404, 200, 404, 404, 200, 404, 404],
    ),
    row(
        Post,
        "/notes/bilan/{classe}",
        "/notes/bilan/{X}",
        &[],
        true,
        [303, 404, 404, 404, 404, 303, 404, 404, 303, 404, 404],
    ),
    // Bulletins: the direction generates and publishes (an empty publication is refused).
    row(
        Get,
        "/notes/bulletins",
        "/notes/bulletins",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403],
    ),
    row(
        Post,
        "/notes/bulletins/generer",
        "/notes/bulletins/generer",
        &[],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 303, 403, 403],
    ),
    row(
        Get,
        "/notes/bulletins/{classe}",
        "/notes/bulletins/{X}",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404],
    ),
    row(
        Post,
        "/notes/bulletins/{classe}/generer",
        "/notes/bulletins/{X}/generer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 303, 404, 404],
    ),
    row(
        Post,
        "/notes/bulletins/{classe}/publier",
        "/notes/bulletins/{X}/publier",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 422, 404, 404],
    ),
    // A's published bulletin (BN): himself, his parents, his teachers, the direction.
    row(
        Get,
        "/notes/bulletin/{id}",
        "/notes/bulletin/{BN}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 404, 200, 404, 404],
    ),
    // Messagerie. M: the direction's announcement to the parents of the 6e (P and Q hold it,
    // D sent it); nobody reads another's mail.
    row(Get, "/messagerie", "/messagerie", &[], false, SIGNED),
    row(
        Get,
        "/messagerie/message/{id}",
        "/messagerie/message/{M}",
        &[],
        false,
        [303, 404, 404, 200, 200, 404, 404, 404, 200, 404, 404],
    ),
    row(
        Post,
        "/messagerie/message/{id}",
        "/messagerie/message/{M}",
        &[("action", "non-lu")],
        true,
        [303, 404, 404, 303, 303, 404, 404, 404, 303, 404, 404],
    ),
    // Only its sender recalls a message (here too late: sent an hour ago).
    row(
        Post,
        "/messagerie/message/{id}/rappeler",
        "/messagerie/message/{M}/rappeler",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 303, 404, 404],
    ),
    // Only its recipients report it (without a motif: back to the message).
    row(
        Post,
        "/messagerie/message/{id}/signaler",
        "/messagerie/message/{M}/signaler",
        &[("motif", "")],
        true,
        [303, 404, 404, 303, 303, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/messagerie/piece/{id}",
        "/messagerie/piece/999999",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Asked first: the confirmation page.
    row(
        Post,
        "/messagerie/corbeille/vider",
        "/messagerie/corbeille/vider",
        &[],
        true,
        [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        Post,
        "/messagerie/dossiers",
        "/messagerie/dossiers",
        &[("nom", "")],
        true,
        [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        Post,
        "/messagerie/dossier/{id}/supprimer",
        "/messagerie/dossier/999999/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/messagerie/ecrire",
        "/messagerie/ecrire",
        &[],
        false,
        SIGNED,
    ),
    // A multipart form: this matrix's plain forms are refused as malformed (the rules on
    // sending are the messagerie test's property).
    row(
        Post,
        "/messagerie/ecrire",
        "/messagerie/ecrire",
        &[],
        true,
        [303, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400],
    ),
    row(
        Get,
        "/messagerie/carnet",
        "/messagerie/carnet",
        &[],
        false,
        SIGNED,
    ),
    // The rules, the switches and the reports: the direction and the RUPN (a malformed form
    // once allowed, so nothing changes).
    row(
        Get,
        "/messagerie/regles",
        "/messagerie/regles",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Post,
        "/messagerie/regles",
        "/messagerie/regles",
        &[("r.personne.x", "1")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 400, 403, 400],
    ),
    row(
        Post,
        "/messagerie/regles/defaut",
        "/messagerie/regles/defaut",
        &[],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Post,
        "/messagerie/suspension",
        "/messagerie/suspension",
        &[("qui", "personne")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 400, 403, 400],
    ),
    row(
        Post,
        "/messagerie/limites",
        "/messagerie/limites",
        &[("m.eleve", "0"), ("d.eleve", "0")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 422, 403, 422],
    ),
    row(
        Get,
        "/messagerie/signalements",
        "/messagerie/signalements",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Post,
        "/messagerie/signalement/{id}/traite",
        "/messagerie/signalement/999999/traite",
        &[],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Post,
        "/vie-scolaire/punition/{id}/presence",
        "/vie-scolaire/punition/999999/presence",
        &[("presence", "oui")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/vie-scolaire/justification/{id}/piece",
        "/vie-scolaire/justification/999999/piece",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Decided by the vie scolaire and the direction.
    row(
        Post,
        "/vie-scolaire/justification/{id}/decision",
        "/vie-scolaire/justification/999999/decision",
        &[("decision", "accepter")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 404, 404, 404, 404],
    ),
    // Actualités: who writes is the channels' business (V contributes to « Vie du collège » and
    // publishes the canteen's menus in the demo; D and R publish everywhere); AN is the demo's
    // notice to the parents of 6A, written by V.
    row(Get, "/actualites", "/actualites", &[], false, SIGNED),
    row(
        Get,
        "/actualites/ecrire",
        "/actualites/ecrire",
        &[],
        false,
        [303, 303, 303, 303, 303, 303, 303, 200, 200, 303, 200],
    ),
    row(
        Post,
        "/actualites/ecrire",
        "/actualites/ecrire",
        &[("titre", "Sans public")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 422, 422, 403, 422],
    ),
    row(
        Get,
        "/actualites/rubriques",
        "/actualites/rubriques",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Post,
        "/actualites/rubriques",
        "/actualites/rubriques",
        &[("nom", "")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 303, 403, 303],
    ),
    row(
        Post,
        "/actualites/rubriques/{id}/role",
        "/actualites/rubriques/999999/role",
        &[("identifiant", "{T}"), ("role", "contributeur")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Get,
        "/actualites/{id}",
        "/actualites/{AN}",
        &[],
        false,
        [303, 404, 404, 200, 404, 404, 404, 200, 200, 404, 200],
    ),
    row(
        Get,
        "/actualites/{id}",
        "/actualites/999999",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/actualites/image/{name}",
        "/actualites/image/0123456789abcdef.png",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/actualites/{id}/lu",
        "/actualites/{AN}/lu",
        &[],
        true,
        [303, 404, 404, 303, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Already published: nothing left to decide (D and R see it: the queue says so).
    row(
        Post,
        "/actualites/{id}/valider",
        "/actualites/{AN}/valider",
        &[],
        true,
        [303, 404, 404, 403, 404, 404, 404, 403, 303, 404, 303],
    ),
    row(
        Post,
        "/actualites/{id}/refuser",
        "/actualites/999999/refuser",
        &[("motif", "Non")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/actualites/{id}/supprimer",
        "/actualites/999999/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Forums: closed to parents (P, Q: 404 everywhere); a forum is its class's (X = 6A: A and
    // T) or group's, moderated by its teachers and by V, D and R; FS is the demo's subject in
    // X's forum, FM its first message.
    row(
        Get,
        "/forums",
        "/forums",
        &[],
        false,
        [303, 200, 200, 404, 404, 200, 200, 200, 200, 200, 200],
    ),
    row(
        Get,
        "/forums/signalements",
        "/forums/signalements",
        &[],
        false,
        [
            303,
            403,
            403,
            404,
            404,
            200,
            200,
            200,
            200,
            FORUMS_S_REPORTS,
            200,
        ],
    ),
    row(
        Post,
        "/forums/signalement/{id}/garder",
        "/forums/signalement/999999/garder",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/forums/forum/{kind}/{code}",
        "/forums/forum/classe/{X}",
        &[],
        false,
        [303, 200, 404, 404, 404, 200, 404, 200, 200, 404, 200],
    ),
    row(
        Post,
        "/forums/forum/{kind}/{code}",
        "/forums/forum/classe/{X}",
        &[("titre", ""), ("texte", "Sans titre")],
        true,
        [303, 422, 404, 404, 404, 422, 404, 422, 422, 404, 422],
    ),
    row(
        Get,
        "/forums/sujet/{id}",
        "/forums/sujet/{FS}",
        &[],
        false,
        [303, 200, 404, 404, 404, 200, 404, 200, 200, 404, 200],
    ),
    row(
        Post,
        "/forums/sujet/{id}/repondre",
        "/forums/sujet/{FS}/repondre",
        &[("texte", "")],
        true,
        [303, 422, 404, 404, 404, 422, 404, 422, 422, 404, 422],
    ),
    row(
        Post,
        "/forums/sujet/{id}/epingler",
        "/forums/sujet/999999/epingler",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Each moderator toggles the lock: an even number of them leaves it as it was.
    row(
        Post,
        "/forums/sujet/{id}/verrouiller",
        "/forums/sujet/{FS}/verrouiller",
        &[],
        true,
        [303, 403, 404, 404, 404, 303, 404, 303, 303, 404, 303],
    ),
    row(
        Post,
        "/forums/sujet/{id}/supprimer",
        "/forums/sujet/999999/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/forums/message/{id}/signaler",
        "/forums/message/999999/signaler",
        &[("motif", "x")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Without a reason: refused back to the subject, for a moderator; forbidden to others.
    row(
        Post,
        "/forums/message/{id}/masquer",
        "/forums/message/{FM}/masquer",
        &[("motif", "")],
        true,
        [303, 403, 404, 404, 404, 303, 404, 303, 303, 404, 303],
    ),
    row(
        Post,
        "/forums/message/{id}/supprimer",
        "/forums/message/999999/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Blogs: BL is the demo's blog of X (6A, pupils may write), BP a published post in it; its
    // readers are X's pupils and teachers, their families, D and R (who moderate every blog).
    row(Get, "/blogs", "/blogs", &[], false, SIGNED),
    row(
        Post,
        "/blogs",
        "/blogs",
        &[("titre", ""), ("lieu", "")],
        true,
        [303, 403, 403, 403, 403, 422, 422, 403, 422, 403, 422],
    ),
    row(
        Get,
        "/blogs/{id}",
        "/blogs/{BL}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 404, 200, 404, 200],
    ),
    row(
        Post,
        "/blogs/{id}/billet",
        "/blogs/{BL}/billet",
        &[("titre", ""), ("texte", "")],
        true,
        [303, 422, 404, 403, 404, 422, 404, 404, 422, 404, 422],
    ),
    row(
        Get,
        "/blogs/billet/{id}",
        "/blogs/billet/{BP}",
        &[],
        false,
        [303, 200, 404, 200, 404, 200, 404, 404, 200, 404, 200],
    ),
    row(
        Post,
        "/blogs/billet/{id}/commentaire",
        "/blogs/billet/{BP}/commentaire",
        &[("texte", "")],
        true,
        [303, 422, 404, 422, 404, 422, 404, 404, 422, 404, 422],
    ),
    row(
        Post,
        "/blogs/billet/{id}/publier",
        "/blogs/billet/999999/publier",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Unconfirmed: sent back, for a teacher of the blog; forbidden to its other readers.
    row(
        Post,
        "/blogs/billet/{id}/supprimer",
        "/blogs/billet/{BP}/supprimer",
        &[],
        true,
        [303, 403, 404, 403, 404, 303, 404, 404, 303, 404, 303],
    ),
    row(
        Post,
        "/blogs/commentaire/{id}/valider",
        "/blogs/commentaire/999999/valider",
        &[("decision", "publier")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Réservations: closed to pupils and parents (A, B, P, Q); the demo's types may be booked
    // by teachers, the vie scolaire and documentalistes (T, U, V, S); D and R manage (RS is the
    // demo's set of tablets).
    row(
        Get,
        "/reservations",
        "/reservations",
        &[],
        false,
        [303, 404, 404, 404, 404, 200, 200, 200, 200, 200, 200],
    ),
    row(
        Post,
        "/reservations",
        "/reservations",
        &[("ressource", "0")],
        true,
        [303, 404, 404, 404, 404, 422, 422, 422, 403, 422, 403],
    ),
    row(
        Get,
        "/reservations/a-valider",
        "/reservations/a-valider",
        &[],
        false,
        [303, 404, 404, 404, 404, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Get,
        "/reservations/gestion",
        "/reservations/gestion",
        &[],
        false,
        [303, 404, 404, 404, 404, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Post,
        "/reservations/gestion/type",
        "/reservations/gestion/type",
        &[("nom", "")],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 303, 403, 303],
    ),
    row(
        Post,
        "/reservations/gestion/ressource",
        "/reservations/gestion/ressource",
        &[("type", "0")],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 303, 403, 303],
    ),
    row(
        Post,
        "/reservations/gestion/type/{id}",
        "/reservations/gestion/type/999999",
        &[("confirmer", "1")],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Post,
        "/reservations/gestion/type/{id}/supprimer",
        "/reservations/gestion/type/999999/supprimer",
        &[("confirmer", "1")],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Post,
        "/reservations/gestion/ressource/{id}",
        "/reservations/gestion/ressource/999999",
        &[("confirmer", "1")],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Post,
        "/reservations/gestion/ressource/{id}/supprimer",
        "/reservations/gestion/ressource/999999/supprimer",
        &[("confirmer", "1")],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Get,
        "/reservations/ressource/{id}",
        "/reservations/ressource/{RS}",
        &[],
        false,
        [303, 404, 404, 404, 404, 200, 200, 200, 200, 200, 200],
    ),
    row(
        Post,
        "/reservations/{id}/annuler",
        "/reservations/999999/annuler",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/reservations/{id}/valider",
        "/reservations/999999/valider",
        &[],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Post,
        "/reservations/{id}/refuser",
        "/reservations/999999/refuser",
        &[("motif", "Non")],
        true,
        [303, 404, 404, 404, 404, 403, 403, 403, 404, 403, 404],
    ),
    row(
        Post,
        "/reservations/abonnement",
        "/reservations/abonnement",
        &[],
        true,
        [303, 404, 404, 404, 404, 200, 200, 200, 200, 200, 200],
    ),
    row(
        Post,
        "/reservations/abonnement/supprimer",
        "/reservations/abonnement/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 303, 303, 303, 303, 303, 303],
    ),
    row(
        Get,
        "/reservations/ical/{token}",
        "/reservations/ical/0123456789abcdef0123456789abcdef.ics",
        &[],
        false,
        [404; 11],
    ),
    // Médiacentre: MR (the demo's encyclopedia) is offered to pupils, teachers and the
    // documentaliste; only T teaches X (6A) to share a link with; S, D and R manage.
    row(Get, "/mediacentre", "/mediacentre", &[], false, SIGNED),
    row(
        Get,
        "/mediacentre/ouvrir/{id}",
        "/mediacentre/ouvrir/{MR}",
        &[],
        false,
        [303, 303, 303, 404, 404, 303, 303, 404, 404, 303, 404],
    ),
    row(
        Post,
        "/mediacentre/favori/{id}",
        "/mediacentre/favori/{MR}",
        &[],
        true,
        [303, 303, 303, 404, 404, 303, 303, 404, 404, 303, 404],
    ),
    row(
        Post,
        "/mediacentre/signets",
        "/mediacentre/signets",
        &[
            ("titre", "Lien pour la classe"),
            ("adresse", "https://exemple.fr/"),
            ("classe", "{X}"),
        ],
        true,
        [303, 422, 422, 422, 422, 303, 422, 422, 422, 422, 422],
    ),
    row(
        Post,
        "/mediacentre/signet/{id}/supprimer",
        "/mediacentre/signet/999999/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/mediacentre/gestion",
        "/mediacentre/gestion",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 200, 200],
    ),
    row(
        Post,
        "/mediacentre/gestion",
        "/mediacentre/gestion",
        &[("titre", "")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 422, 422, 422],
    ),
    row(
        Get,
        "/mediacentre/gestion/{id}",
        "/mediacentre/gestion/{MR}",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 200, 200],
    ),
    row(
        Post,
        "/mediacentre/gestion/{id}",
        "/mediacentre/gestion/{MR}",
        &[("titre", "")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 422, 422, 422],
    ),
    row(
        Post,
        "/mediacentre/gestion/{id}/supprimer",
        "/mediacentre/gestion/{MR}/supprimer",
        &[],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 303, 303, 303],
    ),
    // Carnet d'adresses: open to everyone signed in, each seeing only whom he may reach and
    // what each chose to show (tested per profile pair in carnet.rs).
    row(Get, "/carnet", "/carnet?q=a", &[], false, SIGNED),
    row(Get, "/carnet/fiche", "/carnet/fiche", &[], false, SIGNED),
    row(
        Post,
        "/carnet/fiche",
        "/carnet/fiche",
        &[("telephone", "05 49 00 00 00"), ("montrer_telephone", "1")],
        true,
        [303; 11],
    ),
    row(
        Get,
        "/carnet/vcard",
        "/carnet/vcard?q=a",
        &[],
        false,
        SIGNED,
    ),
    row(Get, "/agenda", "/agenda", &[], false, SIGNED),
    row(
        Post,
        "/agenda/evenement",
        "/agenda/evenement",
        &[("titre", "Rendez-vous"), ("jour", "2026-11-27")],
        true,
        [303; 11],
    ),
    row(
        Post,
        "/agenda/evenement",
        "/agenda/evenement",
        &[
            ("titre", "Conseil"),
            ("jour", "2026-11-27"),
            ("pour", "personnels"),
        ],
        true,
        [303, 403, 403, 403, 403, 403, 403, 303, 303, 403, 303],
    ),
    row(
        Post,
        "/agenda/evenement/{id}/supprimer",
        "/agenda/evenement/999999/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/agenda/abonnement",
        "/agenda/abonnement",
        &[],
        true,
        [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        Post,
        "/agenda/abonnement/supprimer",
        "/agenda/abonnement/supprimer",
        &[],
        true,
        [303; 11],
    ),
    row(
        Get,
        "/agenda/ical/{token}",
        "/agenda/ical/0123456789abcdef0123456789abcdef.ics",
        &[],
        false,
        [404; 11],
    ),
    // Cahier de textes: the class's teachers write; the professeur principal and the
    // direction read it whole and export it; a pupil's work for him, his parents, his
    // teachers, vie scolaire, direction.
    row(
        Get,
        "/cahier-de-textes",
        "/cahier-de-textes",
        &[],
        false,
        SIGNED,
    ),
    row(
        Get,
        "/cahier-de-textes",
        "/cahier-de-textes?enfant={A}",
        &[],
        false,
        [303, 200, 200, 200, 404, 200, 404, 200, 200, 404, 403],
    ),
    row(
        Get,
        "/cahier-de-textes/classe/{code}",
        "/cahier-de-textes/classe/{X}",
        &[],
        false,
        [303, 403, 403, 403, 403, 200, 403, 200, 200, 403, 403],
    ),
    row(
        Get,
        "/cahier-de-textes/classe/{code}/pdf",
        "/cahier-de-textes/classe/{X}/pdf",
        &[],
        false,
        // T is the professeur principal of X in the demo.
        [303, 403, 403, 403, 403, 200, 403, 200, 200, 403, 403],
    ),
    row(
        Post,
        "/cahier-de-textes/seance",
        "/cahier-de-textes/seance",
        &[
            ("classe", "{X}"),
            ("matiere", "Mathématiques"),
            ("date", "2026-11-23"),
            ("contenu", "Séance de la matrice"),
        ],
        true,
        [303, 403, 403, 403, 403, 303, 403, 403, 403, 403, 403],
    ),
    row(
        Post,
        "/cahier-de-textes/seance/{id}/supprimer",
        "/cahier-de-textes/seance/999999/supprimer",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/cahier-de-textes/piece/{id}",
        "/cahier-de-textes/piece/999999",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/emploi-du-temps/ical/{token}",
        "/emploi-du-temps/ical/0123456789abcdef0123456789abcdef.ics",
        &[],
        false,
        [404; 11],
    ),
    row(
        Get,
        "/admin",
        "/admin?groupe=profs-6A",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/export/{name}",
        "/admin/export/groupes.csv",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/etablissement",
        "/admin/etablissement",
        &[],
        false,
        RUPN_ONLY,
    ),
    // Not multipart, no token: refused before anything is read, for the RUPN too.
    row(
        Post,
        "/admin/etablissement",
        "/admin/etablissement",
        &[("nom", "x")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 400],
    ),
    row(
        Get,
        "/etablissement/logo",
        "/etablissement/logo",
        &[],
        false,
        [404; 11],
    ),
    row(
        Get,
        "/admin/journal",
        "/admin/journal",
        &[],
        false,
        RUPN_ONLY,
    ),
    // The usage figures: the direction (D) and the RUPN; a year out of range is refused.
    row(
        Get,
        "/usages",
        "/usages",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Get,
        "/usages",
        "/usages?annee=1999",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 400, 403, 400],
    ),
    row(
        Get,
        "/usages/usages.csv",
        "/usages/usages.csv",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Get,
        "/usages/conseil",
        "/usages/conseil",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Get,
        "/usages/conseil.pdf",
        "/usages/conseil.pdf?annee=2026",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    ),
    row(
        Get,
        "/admin/serveur",
        "/admin/serveur",
        &[],
        false,
        RUPN_ONLY,
    ),
    // The demo has no backup destination: the RUPN is sent back with why nothing started.
    row(
        Post,
        "/admin/serveur/sauvegarder",
        "/admin/serveur/sauvegarder",
        &[],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 303],
    ),
    row(
        Get,
        "/admin/serveur/imports/{name}",
        "/admin/serveur/imports/2026-09-01-AAF-001",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 404],
    ),
    row(
        Get,
        "/admin/export/{name}",
        "/admin/export/personnes.csv",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/export/{name}",
        "/admin/export/journal.csv",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Get,
        "/admin/export/{name}",
        "/admin/export/inconnu.csv",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 404],
    ),
    // Files: the space in the request decides; a space one may not read is "not found".
    row(Get, "/fichiers", "/fichiers", &[], false, SIGNED),
    row(
        Get,
        "/fichiers/dossier",
        "/fichiers/dossier?e=perso",
        &[],
        false,
        HAS_SPACE,
    ),
    row(
        Get,
        "/fichiers/dossier",
        "/fichiers/dossier?e=classes/{X}/donnees",
        &[],
        false,
        CLASS_X_READ,
    ),
    row(
        Get,
        "/fichiers/dossier",
        "/fichiers/dossier?e=classes/{X}/travail",
        &[],
        false,
        CLASS_X_READ,
    ),
    row(
        Get,
        "/fichiers/dossier",
        "/fichiers/dossier?e=commun",
        &[],
        false,
        HAS_SPACE,
    ),
    row(
        Get,
        "/fichiers/dossier",
        "/fichiers/dossier?e=classes/{X}/donnees&p=../../../perso",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/fichiers/dossier",
        "/fichiers/dossier?e=../etc",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Get,
        "/fichiers/telecharger",
        "/fichiers/telecharger?e=commun&p=Bienvenue.txt",
        &[],
        false,
        HAS_SPACE,
    ),
    row(
        Get,
        "/fichiers/telecharger",
        "/fichiers/telecharger?e=classes/{X}/donnees&p=Fournitures%20de%20la%20rentr%C3%A9e.txt",
        &[],
        false,
        CLASS_X_READ,
    ),
    // The corbeille is for those who may delete.
    row(
        Get,
        "/fichiers/corbeille",
        "/fichiers/corbeille?e=classes/{X}/donnees",
        &[],
        false,
        [303, 403, 404, 404, 404, 200, 404, 404, 404, 404, 404],
    ),
    // donnees: written by the class's teacher only; the pupils read it.
    row(
        Post,
        "/fichiers/nouveau-dossier",
        "/fichiers/nouveau-dossier",
        &[
            ("e", "classes/6A/donnees"),
            ("p", ""),
            ("nom", "Séquence 1"),
        ],
        true,
        [303, 403, 404, 404, 404, 303, 404, 404, 404, 404, 404],
    ),
    // commun: written by staff, read by pupils.
    row(
        Post,
        "/fichiers/nouveau-dossier",
        "/fichiers/nouveau-dossier",
        &[("e", "commun"), ("p", ""), ("nom", "Infos")],
        true,
        [303, 403, 403, 404, 404, 303, 303, 303, 303, 303, 303],
    ),
    // Not multipart: refused by the policy first, then as a malformed upload.
    row(
        Post,
        "/fichiers/envoyer",
        "/fichiers/envoyer?e=classes/{X}/donnees&p=",
        &[("x", "y")],
        true,
        [303, 403, 404, 404, 404, 400, 404, 404, 404, 404, 404],
    ),
    // travail: pupils and teacher of the class write.
    row(
        Post,
        "/fichiers/renommer",
        "/fichiers/renommer",
        &[
            ("e", "classes/6A/travail"),
            ("p", "absent.txt"),
            ("nom", "x.txt"),
        ],
        true,
        CLASS_X_WRITE,
    ),
    row(
        Post,
        "/fichiers/deplacer",
        "/fichiers/deplacer",
        &[
            ("e", "classes/6A/donnees"),
            ("p", "Séquence 1"),
            ("vers", ""),
        ],
        true,
        [303, 403, 404, 404, 404, 303, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/fichiers/supprimer",
        "/fichiers/supprimer",
        &[("e", "classes/6A/donnees"), ("p", "Séquence 1")],
        true,
        [303, 403, 404, 404, 404, 303, 404, 404, 404, 404, 404],
    ),
    // Without the session's token nothing is deleted, even by those who may.
    row(
        Post,
        "/fichiers/supprimer",
        "/fichiers/supprimer",
        &[("e", "commun"), ("p", "Bienvenue.txt")],
        false,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    row(
        Post,
        "/fichiers/restaurer",
        "/fichiers/restaurer",
        &[("e", "classes/6A/travail"), ("id", "0-0")],
        true,
        CLASS_X_WRITE,
    ),
    row(
        Post,
        "/fichiers/corbeille/vider",
        "/fichiers/corbeille/vider",
        &[("e", "classes/6A/travail")],
        true,
        CLASS_X_WRITE,
    ),
    // Devoirs: teachers, for their own classes and groups.
    row(
        Get,
        "/fichiers/devoirs",
        "/fichiers/devoirs",
        &[],
        false,
        [303, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403],
    ),
    row(
        Post,
        "/fichiers/devoirs",
        "/fichiers/devoirs",
        &[
            ("pour", "classe:6A"),
            ("titre", "DM"),
            ("fichier", "absent.odt"),
        ],
        true,
        // The teacher of 6A: refused (no such file), the form comes back as typed.
        [303, 403, 403, 403, 403, 422, 403, 403, 403, 403, 403],
    ),
    row(
        Post,
        "/fichiers/devoirs/{id}/{etape}",
        "/fichiers/devoirs/1/ramasser",
        &[],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // Notifications: one's own only; another's is not found.
    row(Get, "/notifications", "/notifications", &[], false, SIGNED),
    row(
        Get,
        "/notifications/{id}",
        "/notifications/999999",
        &[],
        false,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/notifications/tout-lu",
        "/notifications/tout-lu",
        &[],
        true,
        [303; 11],
    ),
    row(
        Get,
        "/compte/notifications",
        "/compte/notifications",
        &[],
        false,
        SIGNED,
    ),
    // Without quiet hours the form is refused, kept (422).
    row(
        Post,
        "/compte/notifications",
        "/compte/notifications",
        &[],
        true,
        [303, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422],
    ),
    // No relay configured here: no address to give.
    row(
        Post,
        "/compte/courriel",
        "/compte/courriel",
        &[("courriel", "a@b.fr")],
        true,
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        Post,
        "/compte/courriel/supprimer",
        "/compte/courriel/supprimer",
        &[],
        true,
        [303; 11],
    ),
    row(
        Get,
        "/compte/courriel/verifier",
        "/compte/courriel/verifier?jeton=faux",
        &[],
        false,
        [303; 11],
    ),
    row(Get, "/healthz", "/healthz", &[], false, EVERYONE),
    row(Get, "/metrics", "/metrics", &[], false, EVERYONE),
    // A pupil's work to hand in: pupils only.
    row(
        Get,
        "/fichiers/travail",
        "/fichiers/travail",
        &[],
        false,
        [303, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    // The school calendar: the RUPN's.
    row(
        Get,
        "/admin/calendrier",
        "/admin/calendrier",
        &[],
        false,
        RUPN_ONLY,
    ),
    row(
        Post,
        "/admin/calendrier",
        "/admin/calendrier",
        &[("nom", "Pont"), ("du", "2027-05-07"), ("au", "2027-05-08")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 303],
    ),
    // Not multipart: refused by the policy first, then as a malformed upload.
    row(
        Post,
        "/admin/calendrier/importer",
        "/admin/calendrier/importer",
        &[("fichier", "x")],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 400],
    ),
    row(
        Post,
        "/admin/calendrier/{id}/supprimer",
        "/admin/calendrier/999999/supprimer",
        &[],
        true,
        [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 303],
    ),
    // The annuaire: vie scolaire, direction, RUPN.
    row(
        Get,
        "/annuaire",
        "/annuaire",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 200, 200, 403, 200],
    ),
    row(
        Get,
        "/annuaire",
        "/annuaire?q=a&profil=enseignant&classe={X}&page=1",
        &[],
        false,
        [303, 403, 403, 403, 403, 403, 403, 200, 200, 403, 200],
    ),
    row(
        Get,
        "/static/cartable.css",
        "/static/cartable.css",
        &[],
        false,
        EVERYONE,
    ),
    row(
        Get,
        "/static/icons/{name}",
        "/static/icons/compte.svg",
        &[],
        false,
        EVERYONE,
    ),
    row(
        Get,
        "/static/favicon.svg",
        "/static/favicon.svg",
        &[],
        false,
        EVERYONE,
    ),
    // CAS: no service, to the portal or the sign-in; an unregistered one, refused to all.
    row(Get, "/cas/login", "/cas/login", &[], false, [303; 11]),
    row(
        Get,
        "/cas/login",
        "/cas/login?service=https%3A%2F%2Fpirate.example%2F",
        &[],
        false,
        [403; 11],
    ),
    // Validation answers everyone (the ticket is the credential): here, a failure.
    row(
        Get,
        "/cas/serviceValidate",
        "/cas/serviceValidate?service=x&ticket=ST-x",
        &[],
        false,
        EVERYONE,
    ),
    row(
        Get,
        "/cas/proxyValidate",
        "/cas/proxyValidate?service=x&ticket=PT-x",
        &[],
        false,
        EVERYONE,
    ),
    row(
        Get,
        "/cas/p3/serviceValidate",
        "/cas/p3/serviceValidate",
        &[],
        false,
        EVERYONE,
    ),
    row(
        Get,
        "/cas/p3/proxyValidate",
        "/cas/p3/proxyValidate",
        &[],
        false,
        EVERYONE,
    ),
    row(
        Get,
        "/cas/proxy",
        "/cas/proxy?pgt=PGT-x&targetService=x",
        &[],
        false,
        EVERYONE,
    ),
    // A link from anywhere only asks the signed-in person to confirm.
    row(
        Get,
        "/cas/logout",
        "/cas/logout",
        &[],
        false,
        [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    // Last: it ends every session.
    row(Post, "/cas/logout", "/cas/logout", &[], true, [303; 11]),
];

/// The people of the matrix, chosen in the demo so that each relation holds or not as the
/// rows assume.
struct Cast {
    logins: std::collections::BTreeMap<&'static str, DemoLogin>,
    names: Vec<(&'static str, String)>,
}

async fn cast(data: &std::path::Path) -> Result<Cast, BoxError> {
    let demo = accounts::read(data)?;
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    let dir = AnyDirectory::from_config(
        &DirectoryConfig::Embedded,
        store.clone(),
        Arc::new(SystemClock),
    )
    .await?;
    let rel = |l: &str| {
        let dir = dir.clone();
        let l = l.to_owned();
        async move { Ok::<Relations, BoxError>(dir.relations(&Login::parse(&l)?).await?) }
    };
    let (x, y, z) = ("6A", "6B", "4B");
    let pupils = |class: &str| {
        demo.iter()
            .filter(|d| d.profile == "eleve" && d.classe == class)
            .cloned()
            .collect::<Vec<_>>()
    };
    // A and A2 in X, not siblings; B in Y, in no family of theirs.
    let mut x_pupils = Vec::new();
    for p in pupils(x) {
        let r = rel(&p.login).await?;
        x_pupils.push((p, r));
    }
    let parents_of = |r: &Relations| -> BTreeSet<String> {
        r.parents.iter().map(|p| p.login.to_string()).collect()
    };
    let (a, a_rel) = x_pupils.first().cloned().ok_or("no pupil in 6A")?;
    let (a2, a2_rel) = x_pupils
        .iter()
        .find(|(p, r)| p.login != a.login && parents_of(r).is_disjoint(&parents_of(&a_rel)))
        .cloned()
        .ok_or("no second family in 6A")?;
    let mut b = None;
    for p in pupils(y) {
        let r = rel(&p.login).await?;
        let family = parents_of(&r);
        if family.is_disjoint(&parents_of(&a_rel)) && family.is_disjoint(&parents_of(&a2_rel)) {
            b = Some((p, r));
            break;
        }
    }
    let (b, b_rel) = b.ok_or("no separate family in 6B")?;
    let level1 = |r: &Relations| {
        r.parents
            .iter()
            .find(|p| p.level == 1)
            .map(|p| p.login.to_string())
    };
    let find = |login: Option<String>| -> Result<DemoLogin, BoxError> {
        let login = login.ok_or("no level-1 parent")?;
        Ok(demo
            .iter()
            .find(|d| d.login == login)
            .cloned()
            .ok_or("parent not in the CSV")?)
    };
    let p = find(level1(&a_rel))?;
    let p2 = find(level1(&a2_rel))?;
    let q = find(level1(&b_rel))?;
    // T teaches X but neither Y nor Z; U teaches Y and Z, not X.
    let mut t = None;
    let mut u = None;
    for d in demo.iter().filter(|d| d.profile == "enseignant") {
        let r = rel(&d.login).await?;
        let teaches = |c: &str| r.teachings.iter().any(|t| t.class.code.as_str() == c);
        // T is the professeur principal of X (he sits on its conseil).
        let principal = r
            .teachings
            .iter()
            .any(|t| t.class.code.as_str() == x && t.principal);
        if t.is_none() && principal && !teaches(y) && !teaches(z) {
            t = Some(d.clone());
        } else if u.is_none() && teaches(y) && teaches(z) && !teaches(x) {
            u = Some(d.clone());
        }
    }
    let first = |profile: &str| accounts::first(&demo, profile).ok_or(format!("no {profile}"));
    let logins = [
        ("A", a),
        ("B", b),
        ("P", p),
        ("Q", q),
        (
            "T",
            t.ok_or("no professeur principal of 6A teaching neither 6B nor 4B")?,
        ),
        ("U", u.ok_or("no teacher of 6B and 4B but not 6A")?),
        ("V", first("vie-scolaire")?),
        ("D", first("direction")?),
        ("S", first("documentaliste")?),
        ("R", first("admin")?),
    ]
    .into_iter()
    .collect::<std::collections::BTreeMap<_, _>>();
    let mut names: Vec<(&'static str, String)> =
        logins.iter().map(|(k, v)| (*k, v.login.clone())).collect();
    names.push(("A2", a2.login));
    names.push(("P2", p2.login));
    names.extend([
        ("X", x.to_owned()),
        ("Y", y.to_owned()),
        ("Z", z.to_owned()),
    ]);
    store.close();
    Ok(Cast { logins, names })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_role_as_the_matrix_says() -> TestResult {
    // Every route has rows; a route added without them fails here.
    let covered: BTreeSet<(bool, &str)> =
        MATRIX.iter().map(|r| (r.method == Get, r.route)).collect();
    let mounted = cartable_web::module::Mounted::from_config(
        vec![
            std::sync::Arc::new(cartable_actualites::Actualites),
            std::sync::Arc::new(cartable_emploi_du_temps::EmploiDuTemps),
            std::sync::Arc::new(cartable_cahier_de_textes::CahierDeTextes),
            std::sync::Arc::new(cartable_agenda::Agenda),
            std::sync::Arc::new(cartable_vie_scolaire::VieScolaire),
            std::sync::Arc::new(cartable_messagerie::Messagerie),
            std::sync::Arc::new(cartable_carnet::Carnet),
            std::sync::Arc::new(cartable_forums::Forums),
            std::sync::Arc::new(cartable_blogs::Blogs),
            std::sync::Arc::new(cartable_reservations::Reservations),
            std::sync::Arc::new(cartable_mediacentre::Mediacentre),
            std::sync::Arc::new(cartable_notes::Notes),
        ],
        &Default::default(),
    )?;
    let routes = cartable_web::module::all_routes(&mounted);
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, path, _)| !covered.contains(&(*m == Get, path.as_str())))
        .map(|(m, path, _)| format!("{m:?} {path}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );

    let (_tmp, data) = demo_data()?;
    let cast = cast(&data).await?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    // A Monday course of class X in the demo timetable the daemon laid out.
    let mut names = cast.names.clone();
    {
        let x = names
            .iter()
            .find(|(k, _)| *k == "X")
            .map(|(_, v)| v.clone())
            .ok_or("no class X")?;
        let store = Store::open(&data.join("cartable.sqlite")).await?;
        let courses = store.read(cartable_emploi_du_temps::store::courses).await?;
        let course = courses
            .iter()
            .find(|c| {
                c.day == 1
                    && c.audience == cartable_emploi_du_temps::model::Audience::Class(x.clone())
            })
            .ok_or("no Monday course of class X in the demo timetable")?;
        names.push(("C", course.id.to_string()));
        // The direction's announcement to the parents of the 6e in the demo messagerie.
        let m: i64 = store
            .read(|r| {
                r.sql()
                    .query_row(
                        "SELECT id FROM msg_messages WHERE subject LIKE 'Réunion parents%'",
                        [],
                        |row| row.get(0),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo message"))
            })
            .await?;
        // An évaluation of T's in class X, and its subject.
        let t = names
            .iter()
            .find(|(k, _)| *k == "T")
            .map(|(_, v)| v.clone())
            .ok_or("no T")?;
        let xx = x.clone();
        let (e, es): (i64, String) = store
            .read(move |r| {
                r.sql()
                    .query_row(
                        "SELECT id, subject FROM notes_evaluations WHERE teacher = ?1 AND class = ?2
                         ORDER BY id LIMIT 1",
                        [&t, &xx],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo evaluation"))
            })
            .await?;
        // A's published bulletin.
        let a = names
            .iter()
            .find(|(k, _)| *k == "A")
            .map(|(_, v)| v.clone())
            .ok_or("no A")?;
        let bn: i64 = store
            .read(move |r| {
                r.sql()
                    .query_row(
                        "SELECT id FROM notes_bulletins WHERE pupil = ?1
                         AND published_from IS NOT NULL ORDER BY id LIMIT 1",
                        [&a],
                        |row| row.get(0),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo bulletin"))
            })
            .await?;
        // The demo's important notice to the parents of 6A.
        let an: i64 = store
            .read(|r| {
                r.sql()
                    .query_row(
                        "SELECT id FROM actu_items WHERE important = 1 ORDER BY id LIMIT 1",
                        [],
                        |row| row.get(0),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo notice"))
            })
            .await?;
        // The demo's pinned subject in X's forum, and its first message.
        let (fs, fm): (i64, i64) = store
            .read(|r| {
                r.sql()
                    .query_row(
                        "SELECT s.id, MIN(p.id) FROM forum_subjects s
                         JOIN forum_posts p ON p.subject_id = s.id
                         WHERE s.forum = 'classe:6A' AND s.pinned = 1 GROUP BY s.id",
                        [],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo forum"))
            })
            .await?;
        // The demo's blog of X and its first published post.
        let (bl, bp): (i64, i64) = store
            .read(|r| {
                r.sql()
                    .query_row(
                        "SELECT b.id, MIN(p.id) FROM blog_blogs b
                         JOIN blog_posts p ON p.blog_id = b.id AND p.status = 'publie'
                         WHERE b.place = 'classe:6A' GROUP BY b.id",
                        [],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo blog"))
            })
            .await?;
        // The demo's set of tablets.
        let rs: i64 = store
            .read(|r| {
                r.sql()
                    .query_row(
                        "SELECT id FROM resa_resources WHERE room = '' ORDER BY quantity DESC, id LIMIT 1",
                        [],
                        |row| row.get(0),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo resource"))
            })
            .await?;
        // The demo's encyclopedia, offered to pupils, teachers and the documentaliste.
        let mr: i64 = store
            .read(|r| {
                r.sql()
                    .query_row(
                        "SELECT id FROM mediacentre_resources WHERE title LIKE 'Encyclop%'",
                        [],
                        |row| row.get(0),
                    )
                    .map_err(cartable_core::store::module_sql_err("demo médiacentre"))
            })
            .await?;
        names.push(("MR", mr.to_string()));
        store.close();
        names.push(("RS", rs.to_string()));
        names.push(("BL", bl.to_string()));
        names.push(("BP", bp.to_string()));
        names.push(("FS", fs.to_string()));
        names.push(("FM", fm.to_string()));
        names.push(("AN", an.to_string()));
        names.push(("BN", bn.to_string()));
        names.push(("M", m.to_string()));
        names.push(("E", e.to_string()));
        names.push(("ES", es));
        // Any Monday will do: the form's date must fall on the course's day.
        names.push(("CD", "2026-11-23".to_owned()));
    }
    let mut clients = Vec::new();
    for who in PERSONAS {
        let c = client(&daemon.ca())?;
        let csrf = if who == "anon" {
            String::new()
        } else {
            let l = &cast.logins[who];
            assert_eq!(
                sign_in(&c, &base, &l.login, &l.password).await?.as_u16(),
                303,
                "{who}"
            );
            let home = c.get(format!("{base}/")).send().await?.text().await?;
            csrf_in(&home).ok_or("no CSRF token on the portal")?
        };
        clients.push((who, c, csrf));
    }
    let mut failures = Vec::new();
    let mut cells = 0;
    for r in MATRIX {
        let mut url = r.url.to_owned();
        for (k, v) in &names {
            url = url.replace(&format!("{{{k}}}"), v);
        }
        for (i, (who, c, csrf)) in clients.iter().enumerate() {
            let res = match r.method {
                Get => c.get(format!("{base}{url}")).send().await?,
                Post => {
                    let filled: Vec<(&str, String)> = r
                        .form
                        .iter()
                        .map(|(k, v)| {
                            let mut v = (*v).to_owned();
                            for (name, value) in &names {
                                v = v.replace(&format!("{{{name}}}"), value);
                            }
                            (*k, v)
                        })
                        .collect();
                    let mut form: Vec<(&str, &str)> =
                        filled.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    if r.csrf {
                        form.push(("csrf", csrf));
                    }
                    c.post(format!("{base}{url}")).form(&form).send().await?
                }
            };
            cells += 1;
            let got = res.status().as_u16();
            if got != r.expect[i] {
                failures.push(format!(
                    "{:?} {url} as {who}: {got}, expected {}",
                    r.method, r.expect[i]
                ));
            }
            if got == 200 && url.ends_with("mot-de-passe") && r.method == Post {
                let pdf = res.bytes().await?;
                assert!(pdf.starts_with(b"%PDF-"), "{url} as {who}: not a PDF");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "authorization matrix: {} rows, {cells} cells, {} routes",
        MATRIX.len(),
        routes.len()
    );
    Ok(())
}
