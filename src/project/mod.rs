//! The project file: YAML that keeps spans, the model (the single source of truth), the type tree
//! derived from it, units and dates, and the loader that validates a file into [`Data`].

pub mod date;
pub mod generate;
pub mod load;
pub mod model;
pub mod reference;
pub mod types;
pub mod units;
pub mod yaml;

pub use load::{Data, LoadLimits, Project, is_jurisdiction, load_bytes, load_document, load_path};
