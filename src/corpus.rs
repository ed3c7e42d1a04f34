//! Registered sources and clauses (being written).
