//! The integration tests, one binary (as ripgrep does): one link step instead of one per file.
//! Each module is one former test file; `common` and `builder` are their shared support.

mod align;
mod align_cli;
mod align_local;
mod align_work;
mod align_work_committed;
mod align_work_stable_ids;
mod bad_input;
mod bad_input_workflow;
mod browser;
mod builder;
mod check_cli;
mod cli_manners;
mod common;
mod coverage;
mod coverage_cli;
mod edition;
mod edition_cli;
mod formats_cli;
mod import_cli;
mod readme;
mod record;
mod segment_cli;
mod segment_rules;
mod tei_read;
mod tei_roundtrip;
mod tei_roundtrip_prop;
mod tei_texts;
mod trace;
mod trace_errors;
mod workflow;
mod workflow_errors;
mod workflow_two_sources;
