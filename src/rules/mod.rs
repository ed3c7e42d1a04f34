//! The rule language: syntax ([`ast`], [`parse`]), checking against the model and the corpus
//! ([`check`]), and the checked form the evaluator runs ([`ir`]).

pub mod ast;
pub mod check;
pub mod compiled;
pub mod ir;
pub mod lint;
pub mod load;
pub mod parse;
pub mod testing;
