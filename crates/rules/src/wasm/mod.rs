//! The WebAssembly module for a program, and its ABI (documented on [`Abi`]).
//!
//! `abi` says where a page writes answers and reads results, `emit` writes the
//! module (with `calendar`'s month arithmetic), and `run` runs it in wasmi.

mod abi;
mod calendar;
mod emit;
mod run;

pub use abi::{Abi, AbiQuestion, AbiQuestionType, AbiSlot};
pub use emit::validate;
pub use run::WasmEvaluator;

use crate::program::Program;

impl Program {
    /// The WebAssembly module; see [`Abi`] for how a page drives it.
    pub fn emit_wasm(&self) -> Vec<u8> {
        emit::emit(self)
    }

    /// Where the module reads answers and writes results.
    pub fn abi(&self) -> Abi {
        abi::abi(self)
    }
}
