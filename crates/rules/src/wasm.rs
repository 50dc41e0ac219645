//! The WebAssembly module for a program, and its ABI (documented on [`Abi`]).

use serde::Serialize;
use wasm_encoder::{
    CodeSection, ExportKind, ExportSection, Function, FunctionSection, InstructionSink, MemArg,
    MemorySection, MemoryType, Module, TypeSection, ValType,
};

use crate::answers::Answers;
use crate::eval::{Evaluation, RawEvaluation};
use crate::ir::{Definition, Ir};
use crate::model::{QuestionKind, ValueType};
use crate::program::Program;
use crate::syntax::BinaryOp;

/// How a page drives the module; serialized as JSON for the page script.
///
/// The module imports nothing and exports `memory` and `evaluate: () -> i32`.
/// Every slot in memory is a little-endian `i32`: yes/no as 0 or 1, a choice
/// as its index in the question's `choices`, a date as days since 1970-01-01,
/// a whole number as itself. A page:
///
/// 1. writes one `i32` per question at `questions[i].offset`;
/// 2. calls `evaluate()`, which returns the index of the outcome in `outcomes`;
/// 3. reads one `i32` per criterion at `criteria[i].offset` (1 = passed) and
///    one per computed value at `values[i].offset`.
///
/// Only `i32` crosses the boundary, so JavaScript needs no `BigInt`. Facts are
/// folded in as constants; month arithmetic is a function in the module that
/// mirrors `Date::add_months` step for step.
///
/// ```json
/// {"memory": "memory", "evaluate": "evaluate",
///  "questions": [{"id": "role", "type": "choice", "offset": 0, "choices": ["principal", "spouse"]},
///                {"id": "applied_on", "type": "date", "offset": 4, "default": "today"},
///                {"id": "years", "type": "integer", "offset": 8, "min": 1, "max": 10}],
///  "criteria": [{"id": "applied_while_open", "type": "bool", "offset": 12}],
///  "values": [{"id": "permit_ends_on", "type": "date", "offset": 16}],
///  "outcomes": ["eligible", "not_eligible"]}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Abi {
    /// The exported memory's name.
    pub memory: String,
    /// The exported `() -> i32` function's name.
    pub evaluate: String,
    pub questions: Vec<AbiQuestion>,
    pub criteria: Vec<AbiSlot>,
    pub values: Vec<AbiSlot>,
    /// Outcome ids, indexed by what `evaluate` returns.
    pub outcomes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AbiQuestion {
    pub id: String,
    /// `bool`, `choice`, `date` or `integer`.
    #[serde(rename = "type")]
    pub kind: String,
    pub offset: u32,
    /// Choice ids, indexed by the `i32` that stands for them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// `Some("today")` when the form should start at the reader's today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AbiSlot {
    pub id: String,
    /// For values: `bool`, `integer` or `date`; criteria are always `bool`.
    #[serde(rename = "type")]
    pub kind: String,
    pub offset: u32,
}

const SLOT: u32 = 4;

struct Layout {
    criteria: u32,
    values: u32,
    end: u32,
}

fn layout(program: &Program) -> Layout {
    let criteria = program.questions().len() as u32 * SLOT;
    let values = criteria + program.criteria().len() as u32 * SLOT;
    let end = values + program.values().len() as u32 * SLOT;
    Layout {
        criteria,
        values,
        end,
    }
}

fn value_type_name(value_type: ValueType) -> &'static str {
    match value_type {
        ValueType::Bool => "bool",
        ValueType::Integer => "integer",
        ValueType::Date => "date",
    }
}

fn abi(program: &Program) -> Abi {
    let layout = layout(program);
    let questions = program
        .questions()
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let mut described = AbiQuestion {
                id: question.id.clone(),
                kind: String::new(),
                offset: index as u32 * SLOT,
                choices: Vec::new(),
                default: None,
                min: None,
                max: None,
            };
            described.kind = match &question.kind {
                QuestionKind::Bool => "bool",
                QuestionKind::Choice { choices } => {
                    described.choices = choices.iter().map(|choice| choice.id.clone()).collect();
                    "choice"
                }
                QuestionKind::Date { default_today } => {
                    described.default = default_today.then(|| "today".to_string());
                    "date"
                }
                QuestionKind::Integer { min, max } => {
                    described.min = *min;
                    described.max = *max;
                    "integer"
                }
            }
            .to_string();
            described
        })
        .collect();
    Abi {
        memory: "memory".to_string(),
        evaluate: "evaluate".to_string(),
        questions,
        criteria: program
            .criteria()
            .iter()
            .enumerate()
            .map(|(index, criterion)| AbiSlot {
                id: criterion.id.clone(),
                kind: "bool".to_string(),
                offset: layout.criteria + index as u32 * SLOT,
            })
            .collect(),
        values: program
            .values()
            .iter()
            .enumerate()
            .map(|(index, value)| AbiSlot {
                id: value.id.clone(),
                kind: value_type_name(value.value_type).to_string(),
                offset: layout.values + index as u32 * SLOT,
            })
            .collect(),
        outcomes: program
            .outcomes()
            .iter()
            .map(|outcome| outcome.id.clone())
            .collect(),
    }
}

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
    Min,
    Max,
}

struct Emitter<'p> {
    program: &'p Program,
    layout: Layout,
    helpers: Vec<Helper>,
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
            Ir::Answer(index) => Self::load(code, *index as u32 * SLOT),
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
                };
            }
            Ir::AddMonths(date, months) => {
                self.expr(date, code);
                self.expr(months, code);
                let function = self.helper(Helper::AddMonths);
                code.call(function);
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
        let mut function = Function::new([]);
        let mut code = function.instructions();
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

// Locals of the month-addition helper; 0 and 1 are its parameters.
const DAYS: u32 = 0;
const MONTHS: u32 = 1;
const ERA: u32 = 2;
const DAY_OF_ERA: u32 = 3;
const YEAR_OF_ERA: u32 = 4;
const YEAR: u32 = 5;
const DAY_OF_YEAR: u32 = 6;
const SHIFTED_MONTH: u32 = 7;
const DAY: u32 = 8;
const MONTH: u32 = 9;
const TOTAL: u32 = 10;

/// `local = floor(local / denominator)`, as `date::floor_div` computes it.
fn floor_div(code: &mut InstructionSink<'_>, local: u32, denominator: i32, target: u32) {
    code.local_get(local)
        .local_get(local)
        .i32_const(denominator - 1)
        .i32_sub()
        .local_get(local)
        .i32_const(0)
        .i32_ge_s()
        .select()
        .i32_const(denominator)
        .i32_div_s()
        .local_set(target);
}

/// `local / divisor` pushed on the stack.
fn quotient(code: &mut InstructionSink<'_>, local: u32, divisor: i32) {
    code.local_get(local).i32_const(divisor).i32_div_s();
}

/// `(year_of_era * 365 + year_of_era / 4 - year_of_era / 100)` pushed on the stack.
fn days_before_year_of_era(code: &mut InstructionSink<'_>) {
    code.local_get(YEAR_OF_ERA).i32_const(365).i32_mul();
    quotient(code, YEAR_OF_ERA, 4);
    code.i32_add();
    quotient(code, YEAR_OF_ERA, 100);
    code.i32_sub();
}

/// `(shifted_month * 153 + 2) / 5` pushed on the stack.
fn days_before_shifted_month(code: &mut InstructionSink<'_>) {
    code.local_get(SHIFTED_MONTH)
        .i32_const(153)
        .i32_mul()
        .i32_const(2)
        .i32_add()
        .i32_const(5)
        .i32_div_s();
}

fn emit_add_months() -> Function {
    let mut function = Function::new([(9, ValType::I32)]);
    let mut code = function.instructions();
    // civil_from_days
    code.local_get(DAYS)
        .i32_const(719_468)
        .i32_add()
        .local_set(DAYS);
    floor_div(&mut code, DAYS, 146_097, ERA);
    code.local_get(DAYS)
        .local_get(ERA)
        .i32_const(146_097)
        .i32_mul()
        .i32_sub()
        .local_set(DAY_OF_ERA);
    code.local_get(DAY_OF_ERA);
    quotient(&mut code, DAY_OF_ERA, 1460);
    code.i32_sub();
    quotient(&mut code, DAY_OF_ERA, 36_524);
    code.i32_add();
    quotient(&mut code, DAY_OF_ERA, 146_096);
    code.i32_sub()
        .i32_const(365)
        .i32_div_s()
        .local_set(YEAR_OF_ERA);
    code.local_get(YEAR_OF_ERA)
        .local_get(ERA)
        .i32_const(400)
        .i32_mul()
        .i32_add()
        .local_set(YEAR);
    code.local_get(DAY_OF_ERA);
    days_before_year_of_era(&mut code);
    code.i32_sub().local_set(DAY_OF_YEAR);
    code.local_get(DAY_OF_YEAR)
        .i32_const(5)
        .i32_mul()
        .i32_const(2)
        .i32_add()
        .i32_const(153)
        .i32_div_s()
        .local_set(SHIFTED_MONTH);
    code.local_get(DAY_OF_YEAR);
    days_before_shifted_month(&mut code);
    code.i32_sub().i32_const(1).i32_add().local_set(DAY);
    code.local_get(SHIFTED_MONTH)
        .i32_const(3)
        .i32_add()
        .local_get(SHIFTED_MONTH)
        .i32_const(9)
        .i32_sub()
        .local_get(SHIFTED_MONTH)
        .i32_const(10)
        .i32_lt_s()
        .select()
        .local_set(MONTH);
    code.local_get(YEAR)
        .local_get(MONTH)
        .i32_const(2)
        .i32_le_s()
        .i32_add()
        .local_set(YEAR);
    // Move by whole months, then clamp the day to the new month's length.
    code.local_get(YEAR)
        .i32_const(12)
        .i32_mul()
        .local_get(MONTH)
        .i32_const(1)
        .i32_sub()
        .i32_add()
        .local_get(MONTHS)
        .i32_add()
        .local_set(TOTAL);
    floor_div(&mut code, TOTAL, 12, YEAR);
    code.local_get(TOTAL)
        .local_get(YEAR)
        .i32_const(12)
        .i32_mul()
        .i32_sub()
        .i32_const(1)
        .i32_add()
        .local_set(MONTH);
    // February: 28 + leap year.
    code.i32_const(28)
        .local_get(YEAR)
        .i32_const(4)
        .i32_rem_s()
        .i32_eqz()
        .local_get(YEAR)
        .i32_const(100)
        .i32_rem_s()
        .i32_const(0)
        .i32_ne()
        .local_get(YEAR)
        .i32_const(400)
        .i32_rem_s()
        .i32_eqz()
        .i32_or()
        .i32_and()
        .i32_add();
    // Other months: 30 + ((month + month / 8) & 1).
    code.i32_const(30)
        .local_get(MONTH)
        .local_get(MONTH)
        .i32_const(8)
        .i32_div_s()
        .i32_add()
        .i32_const(1)
        .i32_and()
        .i32_add();
    code.local_get(MONTH)
        .i32_const(2)
        .i32_eq()
        .select()
        .local_set(DAY_OF_YEAR);
    code.local_get(DAY)
        .local_get(DAY_OF_YEAR)
        .local_get(DAY)
        .local_get(DAY_OF_YEAR)
        .i32_le_s()
        .select()
        .local_set(DAY);
    // days_from_civil
    code.local_get(YEAR)
        .local_get(MONTH)
        .i32_const(2)
        .i32_le_s()
        .i32_sub()
        .local_set(YEAR);
    floor_div(&mut code, YEAR, 400, ERA);
    code.local_get(YEAR)
        .local_get(ERA)
        .i32_const(400)
        .i32_mul()
        .i32_sub()
        .local_set(YEAR_OF_ERA);
    code.local_get(MONTH)
        .i32_const(3)
        .i32_sub()
        .local_get(MONTH)
        .i32_const(9)
        .i32_add()
        .local_get(MONTH)
        .i32_const(2)
        .i32_gt_s()
        .select()
        .local_set(SHIFTED_MONTH);
    days_before_shifted_month(&mut code);
    code.local_get(DAY)
        .i32_add()
        .i32_const(1)
        .i32_sub()
        .local_set(DAY_OF_YEAR);
    code.local_get(ERA).i32_const(146_097).i32_mul();
    days_before_year_of_era(&mut code);
    code.i32_add()
        .local_get(DAY_OF_YEAR)
        .i32_add()
        .i32_const(719_468)
        .i32_sub()
        .end();
    function
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

fn emit(program: &Program) -> Vec<u8> {
    let mut emitter = Emitter {
        program,
        layout: layout(program),
        helpers: Vec::new(),
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

impl Program {
    /// The WebAssembly module; see [`Abi`] for how a page drives it.
    pub fn emit_wasm(&self) -> Vec<u8> {
        emit(self)
    }

    /// Where the module reads answers and writes results.
    pub fn abi(&self) -> Abi {
        abi(self)
    }
}

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
            outcome,
            criteria: read(self.layout.criteria, self.program.criteria().len()),
            values: read(self.layout.values, self.program.values().len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{self, Date};

    /// A module that exports the month-addition helper alone.
    fn add_months_module() -> Vec<u8> {
        let mut types = TypeSection::new();
        types
            .ty()
            .function([ValType::I32, ValType::I32], [ValType::I32]);
        let mut functions = FunctionSection::new();
        functions.function(0);
        let mut exports = ExportSection::new();
        exports.export("add_months", ExportKind::Func, 0);
        let mut codes = CodeSection::new();
        codes.function(&emit_add_months());
        let mut module = Module::new();
        module
            .section(&types)
            .section(&functions)
            .section(&exports)
            .section(&codes);
        module.finish()
    }

    #[test]
    fn emitted_month_addition_matches_the_native_one() {
        let bytes = add_months_module();
        validate(&bytes).unwrap();
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, &bytes).unwrap();
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .unwrap();
        let add_months = instance
            .get_typed_func::<(i32, i32), i32>(&store, "add_months")
            .unwrap();
        let mut check = |days: i32, months: i32| {
            let emitted = add_months.call(&mut store, (days, months)).unwrap();
            assert_eq!(
                emitted,
                date::add_months(days, months),
                "{} + {months} months",
                Date::from_days(days)
            );
        };
        // Every day around leap years that do and do not follow the four-year
        // rule, and around year zero, by a spread of month counts.
        for (first, last) in [
            ("2023-11-01", "2025-04-01"),
            ("1999-11-01", "2001-04-01"),
            ("2099-11-01", "2101-04-01"),
            ("0000-01-01", "0001-04-01"),
        ] {
            let first = Date::parse(first).unwrap().days();
            let last = Date::parse(last).unwrap().days();
            for days in first..last {
                for months in [-1201, -25, -13, -12, -1, 0, 1, 2, 11, 12, 13, 48] {
                    check(days, months);
                }
            }
        }
        let extremes = [
            i32::MIN,
            i32::MIN + 1,
            -719_469,
            -719_468,
            -1,
            0,
            i32::MAX - 1,
            i32::MAX,
        ];
        for days in extremes {
            for months in extremes {
                check(days, months);
            }
        }
    }
}
