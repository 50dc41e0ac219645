//! Calendar arithmetic in WebAssembly: the month-addition helper, step for
//! step the same as `date::add_months`, on `i32` days since 1970-01-01.

use wasm_encoder::{Function, InstructionSink, ValType};

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

/// `add_months(days, months) -> days`: the date `days` moved by `months` calendar months, the
/// day clamped to the new month's length, exactly as `date::add_months` computes it.
pub(super) fn emit_add_months() -> Function {
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

/// `years_between(from, to) -> years`, step for step as `date::years_between`, calling the
/// month-addition helper (function `add_months`).
pub(super) fn emit_years_between(add_months: u32) -> Function {
    const FROM: u32 = 0;
    const TO: u32 = 1;
    const YEARS: u32 = 2;
    const STEPS: u32 = 3;
    let mut function = Function::new([(2, ValType::I32)]);
    let mut code = function.instructions();
    code.local_get(TO)
        .local_get(FROM)
        .i32_sub()
        .i32_const(400)
        .i32_mul()
        .i32_const(146_097)
        .i32_div_s()
        .i32_const(2)
        .i32_sub()
        .local_set(YEARS);
    code.block(wasm_encoder::BlockType::Empty)
        .loop_(wasm_encoder::BlockType::Empty)
        .local_get(STEPS)
        .i32_const(crate::date::YEARS_BETWEEN_STEPS)
        .i32_ge_s()
        .br_if(1)
        .local_get(FROM)
        .local_get(YEARS)
        .i32_const(1)
        .i32_add()
        .i32_const(12)
        .i32_mul()
        .call(add_months)
        .local_get(TO)
        .i32_gt_s()
        .br_if(1)
        .local_get(YEARS)
        .i32_const(1)
        .i32_add()
        .local_set(YEARS)
        .local_get(STEPS)
        .i32_const(1)
        .i32_add()
        .local_set(STEPS)
        .br(0)
        .end()
        .end()
        .local_get(YEARS)
        .end();
    function
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, ExportKind, ExportSection, FunctionSection, Module, TypeSection,
    };

    use super::*;
    use crate::date::{self, Date};
    use crate::wasm::emit::validate;

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
