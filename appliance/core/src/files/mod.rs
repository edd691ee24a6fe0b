//! The file spaces: names and paths people type are checked here before any file is touched,
//! and opened beneath a space's root without following symbolic links, so neither `..`, an
//! absolute path nor a link planted over SMB can lead outside. The tree of spaces is kept in
//! step with the directory, with unix owners and ACLs that smbd enforces for school PCs.

pub mod acl;
pub mod copy;
pub mod devoirs;
pub mod keep;
pub mod name;
pub mod ops;
pub mod path;
pub mod quota;
pub mod samba;
pub mod spaces;
pub mod summary;
pub mod trash;
pub mod tree;
pub mod unix;

pub use name::{NameError, SafeName};
pub use path::{RelPath, open_beneath};
pub use tree::{ClassPart, Roster, SyncReport, Tree};
