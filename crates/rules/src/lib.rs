mod date;
mod diagnostic;
mod syntax;

pub use date::Date;
pub use diagnostic::{line_column, Diagnostic};

pub fn placeholder() {}
