//! Running the emitted module in wasmi, to check it against the native evaluator.

use super::abi::{layout, Layout, SLOT};
use crate::answers::Answers;
use crate::eval::{Evaluation, RawEvaluation};
use crate::program::Program;

/// The emitted module, instantiated once in an interpreter, for checking it
/// against the native evaluator.
pub struct WasmEvaluator<'p> {
    program: &'p Program,
    store: wasmi::Store<()>,
    memory: wasmi::Memory,
    evaluate: wasmi::TypedFunc<(), i32>,
    layout: Layout,
}

impl<'p> WasmEvaluator<'p> {
    pub fn new(program: &'p Program) -> Result<WasmEvaluator<'p>, String> {
        let bytes = program.emit_wasm();
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, &bytes).map_err(|error| error.to_string())?;
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .map_err(|error| error.to_string())?;
        let memory = instance
            .get_memory(&store, "memory")
            .ok_or("the module exports no memory")?;
        let evaluate = instance
            .get_typed_func::<(), i32>(&store, "evaluate")
            .map_err(|error| error.to_string())?;
        Ok(WasmEvaluator {
            program,
            store,
            memory,
            evaluate,
            layout: layout(program),
        })
    }

    pub fn evaluate(&mut self, answers: &Answers) -> Result<Evaluation, String> {
        let raw = self.evaluate_raw(answers.encoded())?;
        Ok(self.program.describe(&raw))
    }

    pub(crate) fn evaluate_raw(&mut self, answers: &[i32]) -> Result<RawEvaluation, String> {
        let memory = self.memory.data_mut(&mut self.store);
        for (index, answer) in answers.iter().enumerate() {
            let offset = index * SLOT as usize;
            memory[offset..offset + 4].copy_from_slice(&answer.to_le_bytes());
        }
        let outcome = self
            .evaluate
            .call(&mut self.store, ())
            .map_err(|error| error.to_string())?;
        let memory = self.memory.data(&self.store);
        let read = |start: u32, count: usize| -> Vec<i32> {
            (0..count)
                .map(|index| {
                    let offset = start as usize + index * SLOT as usize;
                    i32::from_le_bytes([
                        memory[offset],
                        memory[offset + 1],
                        memory[offset + 2],
                        memory[offset + 3],
                    ])
                })
                .collect()
        };
        let outcome = usize::try_from(outcome)
            .ok()
            .filter(|outcome| *outcome < self.program.outcomes().len())
            .ok_or_else(|| format!("`evaluate` returned {outcome}, which is no outcome"))?;
        Ok(RawEvaluation {
            asked: read(self.layout.asked, self.program.questions().len())
                .into_iter()
                .zip(&self.program.ask_code)
                .map(|(asked, condition)| if condition.is_some() { asked } else { 1 })
                .collect(),
            valid: read(self.layout.valid, self.program.questions().len())
                .into_iter()
                .zip(&self.program.valid_code)
                .map(|(valid, condition)| if condition.is_some() { valid } else { 1 })
                .collect(),
            outcome,
            criteria: read(self.layout.criteria, self.program.criteria().len()),
            values: read(self.layout.values, self.program.values().len()),
        })
    }
}
