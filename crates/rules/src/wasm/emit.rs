//! Emitting the module: `evaluate` and the helper functions it calls.

use wasm_encoder::{
    CodeSection, ExportKind, ExportSection, Function, FunctionSection, InstructionSink, MemArg,
    MemorySection, MemoryType, Module, TypeSection, ValType,
};

use super::abi::{layout, Layout, SLOT};
use super::calendar::{emit_add_months, emit_years_between};
use crate::ir::{Definition, Ir};
use crate::program::Program;
use crate::syntax::BinaryOp;

/// Checks that `bytes` is a valid WebAssembly module.
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    wasmparser::validate(bytes)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// Helper functions, emitted only when some expression needs them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Helper {
    AddMonths,
    /// Calls the month-addition helper, at this function index.
    YearsBetween(u32),
    Min,
    Max,
}

struct Emitter<'p> {
    program: &'p Program,
    layout: Layout,
    helpers: Vec<Helper>,
    /// Locals of `evaluate` used so far: one per table lookup, to hold its key.
    locals: u32,
}

fn slot(offset: u32) -> MemArg {
    MemArg {
        offset: offset.into(),
        align: 2,
        memory_index: 0,
    }
}

impl Emitter<'_> {
    /// Index of a helper; `evaluate` is function 0.
    fn helper(&mut self, helper: Helper) -> u32 {
        let position = match self.helpers.iter().position(|known| *known == helper) {
            Some(position) => position,
            None => {
                self.helpers.push(helper);
                self.helpers.len() - 1
            }
        };
        position as u32 + 1
    }

    fn load(code: &mut InstructionSink<'_>, offset: u32) {
        code.i32_const(0).i32_load(slot(offset));
    }

    fn expr(&mut self, ir: &Ir, code: &mut InstructionSink<'_>) {
        match ir {
            Ir::Const(value) => {
                code.i32_const(*value);
            }
            Ir::Answer(index, _) => Self::load(code, *index as u32 * SLOT),
            Ir::Answered(index) => Self::load(code, self.layout.asked + *index as u32 * SLOT),
            Ir::Value(index) => Self::load(code, self.layout.values + *index as u32 * SLOT),
            Ir::Criterion(index) => Self::load(code, self.layout.criteria + *index as u32 * SLOT),
            Ir::Not(operand) => {
                self.expr(operand, code);
                code.i32_eqz();
            }
            Ir::Negate(operand) => {
                code.i32_const(0);
                self.expr(operand, code);
                code.i32_sub();
            }
            Ir::Binary(op, left, right) => {
                self.expr(left, code);
                self.expr(right, code);
                match op {
                    BinaryOp::And => code.i32_and(),
                    BinaryOp::Or => code.i32_or(),
                    BinaryOp::Equal => code.i32_eq(),
                    BinaryOp::NotEqual => code.i32_ne(),
                    BinaryOp::Less => code.i32_lt_s(),
                    BinaryOp::LessOrEqual => code.i32_le_s(),
                    BinaryOp::Greater => code.i32_gt_s(),
                    BinaryOp::GreaterOrEqual => code.i32_ge_s(),
                    BinaryOp::Add => code.i32_add(),
                    BinaryOp::Subtract => code.i32_sub(),
                    BinaryOp::Multiply => code.i32_mul(),
                    BinaryOp::At => unreachable!("lowering leaves no `at`"),
                };
            }
            Ir::AddMonths(date, months) => {
                self.expr(date, code);
                self.expr(months, code);
                let function = self.helper(Helper::AddMonths);
                code.call(function);
            }
            Ir::If(condition, then, otherwise) => {
                self.expr(condition, code);
                code.if_(wasm_encoder::BlockType::Result(ValType::I32));
                self.expr(then, code);
                code.else_();
                self.expr(otherwise, code);
                code.end();
            }
            Ir::YearsBetween(from, to) => {
                self.expr(from, code);
                self.expr(to, code);
                let add_months = self.helper(Helper::AddMonths);
                let function = self.helper(Helper::YearsBetween(add_months));
                code.call(function);
            }
            Ir::Lookup(key, rows) => {
                // The key once into a local; then `if key in row 1 then value 1 else if ...`,
                // 0 when no row holds it.
                self.expr(key, code);
                let local = self.locals;
                self.locals += 1;
                code.local_set(local);
                for row in rows {
                    code.local_get(local)
                        .i32_const(row.low)
                        .i32_ge_s()
                        .local_get(local)
                        .i32_const(row.high)
                        .i32_le_s()
                        .i32_and()
                        .if_(wasm_encoder::BlockType::Result(ValType::I32))
                        .i32_const(row.value)
                        .else_();
                }
                code.i32_const(0);
                for _ in rows {
                    code.end();
                }
            }
            Ir::TimesTwelve(operand) => {
                self.expr(operand, code);
                code.i32_const(12).i32_mul();
            }
            Ir::In(subject, choices) => {
                if choices.is_empty() {
                    code.i32_const(0);
                }
                for (position, choice) in choices.iter().enumerate() {
                    self.expr(subject, code);
                    code.i32_const(*choice).i32_eq();
                    if position > 0 {
                        code.i32_or();
                    }
                }
            }
            Ir::Min(arguments) | Ir::Max(arguments) => {
                let helper = if matches!(ir, Ir::Min(_)) {
                    Helper::Min
                } else {
                    Helper::Max
                };
                let function = self.helper(helper);
                for (position, argument) in arguments.iter().enumerate() {
                    self.expr(argument, code);
                    if position > 0 {
                        code.call(function);
                    }
                }
            }
        }
    }

    fn evaluate_function(&mut self) -> Function {
        let program = self.program;
        let lookups: u32 = program
            .ask_code
            .iter()
            .flatten()
            .chain(program.valid_code.iter().flatten())
            .chain(&program.value_code)
            .chain(&program.criterion_code)
            .chain(program.outcome_code.iter().flatten())
            .map(count_lookups)
            .sum();
        let mut function = Function::new([(lookups, ValType::I32)]);
        let mut code = function.instructions();
        // Which questions are asked, in order; one that is not holds its unasked value.
        for (index, condition) in program.ask_code.iter().enumerate() {
            let asked = self.layout.asked + index as u32 * SLOT;
            // Only a conditional question's flag is ever read (`answered` of any other is 1).
            let Some(condition) = condition else {
                continue;
            };
            code.i32_const(0);
            self.expr(condition, &mut code);
            code.i32_store(slot(asked));
            Self::load(&mut code, asked);
            code.i32_eqz()
                .if_(wasm_encoder::BlockType::Empty)
                .i32_const(0)
                .i32_const(program.unasked[index])
                .i32_store(slot(index as u32 * SLOT))
                .end();
        }
        // Whether each asked question's answer meets its `valid_if` (1 for one not asked).
        for (index, condition) in program.valid_code.iter().enumerate() {
            let Some(condition) = condition else {
                continue;
            };
            code.i32_const(0);
            if program.ask_code[index].is_some() {
                Self::load(&mut code, self.layout.asked + index as u32 * SLOT);
                code.if_(wasm_encoder::BlockType::Result(ValType::I32));
                self.expr(condition, &mut code);
                code.else_().i32_const(1).end();
            } else {
                self.expr(condition, &mut code);
            }
            code.i32_store(slot(self.layout.valid + index as u32 * SLOT));
        }
        for definition in &program.order {
            let (ir, offset) = match *definition {
                Definition::Value(index) => (
                    &program.value_code[index],
                    self.layout.values + index as u32 * SLOT,
                ),
                Definition::Criterion(index) => (
                    &program.criterion_code[index],
                    self.layout.criteria + index as u32 * SLOT,
                ),
            };
            code.i32_const(0);
            self.expr(ir, &mut code);
            code.i32_store(slot(offset));
        }
        let last = program.outcomes().len().saturating_sub(1);
        for (index, condition) in program.outcome_code.iter().enumerate() {
            if let Some(condition) = condition {
                self.expr(condition, &mut code);
                code.if_(wasm_encoder::BlockType::Empty)
                    .i32_const(index as i32)
                    .return_()
                    .end();
            }
        }
        code.i32_const(last as i32).end();
        function
    }
}

/// How many locals `evaluate` needs for `ir`: one per table lookup.
fn count_lookups(ir: &Ir) -> u32 {
    let own = matches!(ir, Ir::Lookup(..)) as u32;
    own + ir.children().into_iter().map(count_lookups).sum::<u32>()
}

/// `min` (`keep_smaller`) or `max` of two `i32`s, picking like `Ir::evaluate`.
fn emit_pick(keep_smaller: bool) -> Function {
    let mut function = Function::new([]);
    let mut code = function.instructions();
    code.local_get(0).local_get(1).local_get(0).local_get(1);
    if keep_smaller {
        code.i32_lt_s();
    } else {
        code.i32_gt_s();
    }
    code.select().end();
    function
}

pub(super) fn emit(program: &Program) -> Vec<u8> {
    let mut emitter = Emitter {
        program,
        layout: layout(program),
        helpers: Vec::new(),
        locals: 0,
    };
    let evaluate = emitter.evaluate_function();

    let mut types = TypeSection::new();
    types.ty().function([], [ValType::I32]);
    types
        .ty()
        .function([ValType::I32, ValType::I32], [ValType::I32]);
    let mut functions = FunctionSection::new();
    functions.function(0);
    for _ in &emitter.helpers {
        functions.function(1);
    }
    let mut memories = MemorySection::new();
    let pages = u64::from(emitter.layout.end).div_ceil(65_536).max(1);
    memories.memory(MemoryType {
        minimum: pages,
        maximum: Some(pages),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("evaluate", ExportKind::Func, 0);
    let mut codes = CodeSection::new();
    codes.function(&evaluate);
    for helper in &emitter.helpers {
        let function = match helper {
            Helper::AddMonths => emit_add_months(),
            Helper::YearsBetween(add_months) => emit_years_between(*add_months),
            Helper::Min => emit_pick(true),
            Helper::Max => emit_pick(false),
        };
        codes.function(&function);
    }

    let mut module = Module::new();
    module
        .section(&types)
        .section(&functions)
        .section(&memories)
        .section(&exports)
        .section(&codes);
    module.finish()
}
