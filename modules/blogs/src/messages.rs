//! What the blogs say, in French, in one place.

pub const TITLE: &str = "Blogs";
pub const TILE: &str = "Les blogs des classes et des projets";
pub const RETENTION_WHAT: &str = "les blogs de classe et de projet, leurs billets (titre, texte, auteur, dates) et les commentaires";
pub const RETENTION_HOW_LONG: &str = "un an après le dernier billet d'un blog ; les commentaires d'une personne disparaissent avec son compte";
pub const NO_BLOG: &str = "Aucun blog pour vous pour l'instant.";
pub const NO_POST: &str = "Aucun billet publié pour l'instant.";
pub const NO_COMMENT: &str = "Aucun commentaire.";
pub const FORMER_MEMBER: &str = "Ancien membre";

pub const WAITING_KIND: &str = "Billet ou commentaire à valider sur un blog que vous animez";

pub const NEED_TITLE: &str = "Donnez un titre.";
pub const NEED_BODY: &str = "Écrivez le texte.";
pub const BODY_TOO_LONG: &str = "Le texte est trop long (20 000 caractères au plus).";
pub const NEED_PLACE: &str = "Choisissez une de vos classes ou un de vos groupes.";
pub const NO_COMMENTS_HERE: &str = "Les commentaires sont fermés sur ce blog.";
pub const TOO_MANY_COMMENTS: &str = "Ce billet a atteint 500 commentaires.";
pub const CONFIRM: &str = "Cochez la case pour confirmer la suppression.";

pub const BLOG_OPENED: &str = "Blog créé.";
pub const POSTED: &str = "Billet publié.";
pub const SUBMITTED: &str = "Billet envoyé : un enseignant le publiera.";
pub const PUBLISHED: &str = "Billet publié.";
pub const POST_DELETED: &str = "Billet supprimé.";
pub const COMMENT_SENT: &str = "Commentaire envoyé : il paraîtra une fois validé.";
pub const COMMENT_PUBLISHED: &str = "Commentaire publié.";
pub const COMMENT_REFUSED: &str = "Commentaire refusé et supprimé.";

pub fn waiting(n: usize) -> String {
    match n {
        1 => "1 billet ou commentaire attend votre validation".into(),
        n => format!("{n} billets ou commentaires attendent votre validation"),
    }
}
