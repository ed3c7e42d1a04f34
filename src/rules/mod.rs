//! The rule language: syntax ([`ast`], [`parse`], [`code`]), checking against the model and the corpus
//! ([`check`]), the checked form the evaluator runs ([`ir`], [`outcome`]), the built-in packs
//! ([`builtin`], [`compiled`]) and loading ([`load`]).

pub mod ast;
pub mod builtin;
pub mod check;
pub mod code;
pub mod compiled;
pub mod encoding;
pub mod ir;
pub mod load;
pub mod outcome;
pub mod parse;
