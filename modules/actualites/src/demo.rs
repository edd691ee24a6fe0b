//! The demo établissement's actualités: four channels, the vie scolaire contributing to one
//! of them, a term's worth of news since the rentrée, an important notice to the parents of
//! the 6e A with some of them having read it, this week's and next week's canteen menus,
//! one item waiting for the direction's validation and one scheduled.

use cartable_core::dates::{monday_of, today_in_france};
use cartable_core::directory::{DirectoryRead, PersonQuery, Profile};
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::Duration;

use crate::model::{Audience, ChannelRole, Item, Kind, Status};
use crate::store;

async fn first(state: &AppState, profile: Profile) -> Result<Option<String>, WebError> {
    Ok(state
        .directory
        .search(&PersonQuery {
            profile: Some(profile),
            per_page: 1,
            ..PersonQuery::default()
        })
        .await?
        .people
        .first()
        .map(|p| p.login.to_string()))
}

fn at(day: time::Date, minutes: u16) -> i64 {
    cartable_core::dates::instant_in_france(day, minutes).map_or(0, |t| t.unix_timestamp())
}

/// A past item of the demo: days after the rentrée, channel, title, text, audiences.
type Past<'a> = (i64, &'a str, &'a str, &'a str, Vec<Audience>);

pub async fn seed(state: &AppState) -> Result<(), WebError> {
    if !state.store.read(store::channels).await?.is_empty() {
        return Ok(());
    }
    let (Some(direction), Some(cpe)) = (
        first(state, Profile::Direction).await?,
        first(state, Profile::VieScolaire).await?,
    ) else {
        return Ok(());
    };
    let classes = crate::people::classes(state).await?;
    let (class, class_label) = classes
        .iter()
        .find(|(c, _)| c == "6A")
        .or(classes.first())
        .cloned()
        .unwrap_or_default();
    let now = state.clock.now();
    let today = today_in_france(now);
    let created = now.unix_timestamp();
    // The rentrée: 1 September of the school year.
    let year = if today.month() as u8 >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let rentree = time::Date::from_calendar_date(year, time::Month::September, 1)
        .unwrap_or(today - Duration::days(90));
    // (days after the rentrée, channel, title, text, audiences)
    let news: Vec<Past<'_>> = vec![
        (
            0,
            "Vie du collège",
            "Bonne rentrée à tous !",
            "L'équipe du collège souhaite une **bonne rentrée** à tous les élèves et à leurs familles.\n\n- emplois du temps distribués le jour de la rentrée ;\n- carnets de liaison à faire signer avant vendredi.",
            vec![Audience::Everyone],
        ),
        (
            9,
            "CA",
            "Conseil d'administration du 12 septembre",
            "Le compte rendu du conseil d'administration est disponible au secrétariat. Ordre du jour : **budget**, voyages scolaires, règlement intérieur.",
            vec![Audience::Staff, Audience::Parents],
        ),
        (
            16,
            "Vie du collège",
            "Photos de classe",
            "Les photos de classe auront lieu la semaine prochaine. Pensez à rendre le bon de commande au professeur principal.",
            vec![Audience::Pupils, Audience::Parents],
        ),
        (
            23,
            "Association des parents",
            "Assemblée générale de l'association des parents",
            "L'association des parents d'élèves tiendra son assemblée générale au réfectoire à 18h30. Tous les parents sont les bienvenus.",
            vec![Audience::Parents],
        ),
        (
            37,
            "Vie du collège",
            "Cross du collège",
            "Le cross aura lieu au stade municipal. Prévoir une tenue de sport et une bouteille d'eau. [Plan d'accès](https://www.openstreetmap.org/)",
            vec![Audience::Everyone],
        ),
        (
            58,
            "Vie du collège",
            "Semaine de la laïcité",
            "Expositions au CDI et débats en vie de classe toute la semaine.",
            vec![Audience::Everyone],
        ),
        (
            72,
            "CA",
            "Élections des représentants des parents : résultats",
            "Les résultats des élections sont affichés dans le hall et publiés ici. Participation : 41 %.",
            vec![Audience::Parents, Audience::Staff],
        ),
    ];
    let cs = state
        .store
        .write(move |w| {
            let mut ids = Vec::new();
            for name in ["Vie du collège", "Cantine", "CA", "Association des parents"] {
                ids.push((name, store::add_channel(w, name, created)?.unwrap_or(0)));
            }
            Ok(ids)
        })
        .await?;
    let channel = |name: &str| cs.iter().find(|(n, _)| *n == name).map_or(0, |(_, id)| *id);
    let mut items = Vec::new();
    for (days, ch, title, body, audiences) in news {
        let day = rentree + Duration::days(days);
        if day > today {
            continue;
        }
        items.push(Item {
            id: 0,
            channel: channel(ch),
            kind: Kind::News,
            title: title.into(),
            body: body.into(),
            audiences,
            from: at(day, 8 * 60),
            until: None,
            pinned: false,
            headline: false,
            important: false,
            status: Status::Published,
            refusal: String::new(),
            author: direction.clone(),
            publisher: Some(direction.clone()),
            created,
        });
    }
    // This week's news: a pinned headline for everyone, an important notice to 6A's parents.
    items.push(Item {
        id: 0,
        channel: channel("Vie du collège"),
        kind: Kind::News,
        title: "Portes ouvertes du collège".into(),
        body: "Le collège ouvre ses portes aux familles des futurs élèves de 6e samedi matin, de **9h à 12h** : visite, rencontre avec les professeurs, présentation des options.".into(),
        audiences: vec![Audience::Everyone],
        from: at(today - Duration::days(1), 8 * 60),
        until: Some(at(today + Duration::days(21), 0)),
        pinned: true,
        headline: true,
        important: false,
        status: Status::Published,
        refusal: String::new(),
        author: direction.clone(),
        publisher: Some(direction.clone()),
        created,
    });
    items.push(Item {
        id: 0,
        channel: channel("Vie du collège"),
        kind: Kind::News,
        title: format!("Sortie au musée de la classe {class_label}"),
        body: "La classe se rendra au musée **jeudi prochain**. Départ 8h15 devant le collège, retour vers 16h30. Merci de fournir un pique-nique.\n\nL'autorisation de sortie est à rendre signée au professeur principal.".into(),
        audiences: vec![Audience::ParentsOf(class.clone())],
        // An hour ago, whatever the hour the demo starts.
        from: created - 3600,
        until: Some(at(today + Duration::days(10), 0)),
        pinned: false,
        headline: true,
        important: true,
        status: Status::Published,
        refusal: String::new(),
        author: cpe.clone(),
        publisher: Some(direction.clone()),
        created,
    });
    // The canteen's menus: this week and next.
    for week in [0, 1] {
        let monday = monday_of(today) + Duration::weeks(week);
        items.push(Item {
            id: 0,
            channel: channel("Cantine"),
            kind: Kind::Menu,
            title: crate::messages::menu_title(&cartable_core::dates::long_date(monday)),
            body: "Lundi : Carottes râpées, poulet basquaise, riz, yaourt\nMardi : Potage de légumes, lasagnes, salade verte, fruit\nJeudi : Taboulé, poisson pané, haricots verts, crème dessert\nVendredi : Betteraves, omelette, pommes de terre sautées, compote".into(),
            audiences: vec![Audience::Everyone],
            from: at(monday - Duration::days(3), 8 * 60),
            until: Some(at(monday + Duration::days(5), 0)),
            pinned: false,
            headline: false,
            important: false,
            status: Status::Published,
            refusal: String::new(),
            author: cpe.clone(),
            publisher: Some(direction.clone()),
            created,
        });
    }
    // The vie scolaire's draft waiting for validation, and a scheduled item.
    items.push(Item {
        id: 0,
        channel: channel("Vie du collège"),
        kind: Kind::News,
        title: "Rappel : carnets de correspondance".into(),
        body: "Chaque élève doit avoir son carnet de correspondance sur lui **tous les jours**."
            .into(),
        audiences: vec![Audience::Pupils, Audience::Parents],
        from: created,
        until: None,
        pinned: false,
        headline: false,
        important: false,
        status: Status::Pending,
        refusal: String::new(),
        author: cpe.clone(),
        publisher: None,
        created,
    });
    items.push(Item {
        id: 0,
        channel: channel("Vie du collège"),
        kind: Kind::News,
        title: "Vacances de Noël".into(),
        body: "Les cours s'arrêtent vendredi après la classe et reprennent le lundi de la rentrée de janvier. Bonnes fêtes à tous !".into(),
        audiences: vec![Audience::Everyone],
        from: at(today + Duration::days(7), 8 * 60),
        until: None,
        pinned: false,
        headline: false,
        important: false,
        status: Status::Published,
        refusal: String::new(),
        author: direction.clone(),
        publisher: Some(direction.clone()),
        created,
    });
    let vie = channel("Vie du collège");
    let cantine = channel("Cantine");
    let cpe2 = cpe.clone();
    let ids = state
        .store
        .write(move |w| {
            store::set_role(w, vie, &cpe2, Some(ChannelRole::Contributor))?;
            store::set_role(w, cantine, &cpe2, Some(ChannelRole::Publisher))?;
            let mut ids = Vec::new();
            for it in &items {
                ids.push((store::save(w, it)?, it.clone()));
            }
            // Already told: the demo does not send a term's notifications (nor their e-mails,
            // when a relay is set) on its first start; the scheduled one will be told.
            for (id, it) in &ids {
                if it.status == Status::Published && it.from <= created {
                    store::announced(w, *id, created)?;
                }
            }
            Ok(ids)
        })
        .await?;
    // A few of 6A's parents have read the notice.
    if let Some((id, it)) = ids.iter().find(|(_, it)| it.important) {
        let members = crate::people::members(state, &it.audiences).await?;
        let readers: Vec<String> = members.keys().step_by(3).cloned().collect();
        let id = *id;
        state
            .store
            .write(move |w| {
                for l in &readers {
                    store::read_by(w, id, l, created)?;
                }
                Ok(())
            })
            .await?;
    }
    Ok(())
}
