//! Running the job over many files: finding them, checking them in parallel in a stable order,
//! and writing reports a file at a time to atomically replaced outputs.

pub mod batch;
pub mod job;
pub mod output;
pub mod progress;
