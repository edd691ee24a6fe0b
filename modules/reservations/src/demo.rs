//! The demo's resources and a week of bookings: the computer room and the lab (rooms of the
//! timetable), two sets of tablets and a projector, the CDI (validated by the direction);
//! bookings this week, one waiting for validation.

use cartable_core::dates::{instant_in_france, monday_of, today_in_france};
use cartable_core::directory::{DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::Duration;

use crate::model::{Booking, Resource, ResourceType, Status};
use crate::store;

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    if !state.store.read(store::types).await?.is_empty() {
        return Ok(());
    }
    let teachers = state
        .directory
        .search(&PersonQuery {
            profile: Some(Profile::Enseignant),
            per_page: 3,
            ..PersonQuery::default()
        })
        .await?;
    let [t1, t2, ..] = teachers.people.as_slice() else {
        return Ok(());
    };
    let (t1, t2) = (t1.login.to_string(), t2.login.to_string());
    let now = state.clock.now();
    let monday = monday_of(today_in_france(now));
    let at = move |day: i64, minutes: u16| {
        instant_in_france(monday + Duration::days(day), minutes).map_or(0, |t| t.unix_timestamp())
    };
    let created = now.unix_timestamp();
    let staff = vec![
        Profile::Enseignant,
        Profile::VieScolaire,
        Profile::Documentaliste,
    ];
    state
        .store
        .write(move |w| {
            let ty = |name: &str, days_ahead, validation| ResourceType {
                id: 0,
                name: name.into(),
                profiles: staff.clone(),
                days_ahead,
                validation,
            };
            let rooms = store::add_type(w, &ty("Salles", 60, false))?.unwrap_or(0);
            let kit = store::add_type(w, &ty("Matériel", 90, false))?.unwrap_or(0);
            let cdi = store::add_type(w, &ty("CDI", 30, true))?.unwrap_or(0);
            let res = |kind, name: &str, quantity, room: &str| Resource {
                id: 0,
                kind,
                name: name.into(),
                quantity,
                room: room.into(),
            };
            let info = store::add_resource(w, &res(rooms, "Salle informatique", 1, "Salle info"))?
                .unwrap_or(0);
            store::add_resource(w, &res(rooms, "Laboratoire de sciences", 1, "Labo 1"))?;
            let tablets =
                store::add_resource(w, &res(kit, "Valise de tablettes (15)", 2, ""))?.unwrap_or(0);
            store::add_resource(w, &res(kit, "Vidéoprojecteur mobile", 1, ""))?;
            let cdi_room =
                store::add_resource(w, &res(cdi, "CDI — salle de travail", 1, ""))?.unwrap_or(0);
            let booking =
                |resource, login: &str, start, end, quantity, status, reason: &str| Booking {
                    id: 0,
                    resource,
                    login: login.into(),
                    start,
                    end,
                    quantity,
                    status,
                    reason: reason.into(),
                    series: None,
                    refusal: String::new(),
                };
            for b in [
                booking(
                    tablets,
                    &t1,
                    at(1, 10 * 60),
                    at(1, 11 * 60),
                    1,
                    Status::Validated,
                    "Recherche documentaire",
                ),
                booking(
                    tablets,
                    &t2,
                    at(3, 14 * 60),
                    at(3, 16 * 60),
                    2,
                    Status::Validated,
                    "Évaluation en ligne",
                ),
                booking(
                    info,
                    &t2,
                    at(2, 17 * 60),
                    at(2, 18 * 60),
                    1,
                    Status::Validated,
                    "Club robotique",
                ),
                booking(
                    cdi_room,
                    &t1,
                    at(4, 9 * 60),
                    at(4, 11 * 60),
                    1,
                    Status::Waiting,
                    "Exposés des 6e A",
                ),
            ] {
                store::add_bookings(w, &[b], created)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
