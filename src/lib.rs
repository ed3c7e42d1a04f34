//! yimi: a compliance checker for children's impact assessment (儿童影响评价).
//!
//! See `ARCHITECTURE.md` for the bird's-eye view. The library does what the `yimi` command does:
//!
//! ```
//! use yimi::engine::{self, Outcome};
//! use yimi::project::{self, LoadLimits};
//! use yimi::rules::load::{self, RuleOptions};
//!
//! // Parse and check the built-in packs once.
//! let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
//! // A 5000 m² park in Shanghai with no children's play area.
//! let yaml = "yimi: 1\nproject: {id: P-1, kind: park, jurisdiction: CN/SH/Huangpu}\n\
//!             site: {area_m2: 5000}\npark: {category: community}\nfacilities: []\n";
//! let project = project::load_bytes("park.yaml", yaml.as_bytes(), LoadLimits::default()).expect("a valid file");
//! let assessment = engine::assess(&rules.set, &project, None, engine::Options::default(), &[]).expect("a pack applies");
//! let park_rule = assessment
//!     .results
//!     .iter()
//!     .find(|result| rules.set.rules[result.rule].id == "SH-068a")
//!     .expect("the Shanghai park rule ran");
//! assert_eq!(park_rule.outcome, Outcome::Fail);
//! assert_eq!(park_rule.locations[0].to_string(), "facilities");
//! ```

#![allow(
    clippy::result_large_err,
    reason = "diagnostics are built only on the cold error path; boxing every one would add noise, not speed"
)]

// The steps in the order data flows through them; a module uses only those above it
// (`tests/layering.rs` checks it). One block a step, so that formatting keeps the order.

// What every step shares: diagnostics, bilingual text, "did you mean".
pub mod base;

// The registered source documents and their clauses.
pub mod sources;

// The project file: YAML with spans, the model, types, units, dates, loading.
pub mod project;

// The rule language: syntax, checking, the checked form, the built-in packs.
pub mod rules;

// One project against the rules: evaluation, force in time, waivers, grading, verdict.
pub mod engine;

// Reports in every format.
pub mod report;

// The job over many files: batch, streaming, output files, progress.
pub mod run;

// The tools of rule and project authors: rule tests, lints, coverage, explain, templates.
pub mod authoring;

// The local web workbench: checking submissions, filling in projects, browsing rules.
#[cfg(feature = "serve")]
pub mod serve;

// The language server: check's and lint's findings, hover, completion, definitions in an editor.
#[cfg(feature = "lsp")]
pub mod lsp;

// The command line.
pub mod cli;
