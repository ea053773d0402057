//! tei-align: align the language layers of a document held as TEI XML, sentence by sentence, and
//! record for every aligned segment where it came from (its provenance chain).
//!
//! The modules follow the data flow of `DESIGN.md`:
//! [`segment`] splits text into sentences, [`tei`] reads and writes layers and the standoff
//! alignment, [`align`] aligns two layers, [`provenance`] follows the derivation graph and composes
//! N-way segments, [`coverage`] and [`edition`] are the outputs scholars read, and [`formats`]
//! exchanges alignments with other tools. [`project`] finds a work's files from any directory and
//! reads, locks and writes its alignment for the commands. [`model`] holds the plain data shared by all of them.

#![deny(missing_docs)]

pub mod align;
pub mod check;
pub mod coverage;
pub mod edition;
pub mod embed;
pub mod formats;
pub mod fsutil;
pub mod fuzz;
pub mod model;
pub mod project;
pub mod provenance;
pub mod review;
pub mod segment;
pub mod tei;

/// The tool's version, recorded in every file it writes (`<application version>`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
