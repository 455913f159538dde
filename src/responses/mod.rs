//! Writing replies well: what a platform accepts (its length limit, counted its way, and
//! Meta's messaging windows), what an action costs where the platform bills it (X:
//! `pricing.rs`, `cost.rs`) and the team's library of canned responses.
//!
//! The library is a directory of files a team keeps in git (`responses/` next to the hub's
//! `config.toml`), one file per response per language: `file.rs` reads one (TOML front
//! matter, then the body), `walk.rs` finds them, `library.rs` loads them all (a broken file
//! is a located problem, the rest still load), `template.rs` fills the `{variables}` for an
//! item, `language.rs` picks the variant in the item's language, `check.rs` validates the
//! whole library (`switchboard canned check`), `pick.rs` ranks responses for the picker and
//! suggests close names, and `sample.rs` is the built-in sample library.
//!
//! Everything here is pure (no store, no network; only `library.rs` reads files), so the
//! composer can show it live and the hub can enforce the same rules before a reply is queued.

pub mod check;
pub mod cost;
pub mod file;
pub mod language;
pub mod library;
pub mod limits;
pub mod pick;
pub mod policy;
pub mod pricing;
pub mod sample;
pub mod template;
mod walk;
pub mod window;

pub use library::{CannedResponse, Field, Library, Problem, Severity};
pub use template::{Context, FillError};
