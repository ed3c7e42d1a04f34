//! The registered source documents: the manifest, the cleaned texts and their clauses, which
//! rules cite and quote.

pub mod corpus;
