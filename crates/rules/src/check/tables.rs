//! The rules file's own point tables (`[[tables]]`); tables may also come from facts.

use toml::Spanned;

use super::Checker;
use crate::model::Table;
use crate::schema::TableEntry;

impl Checker<'_> {
    pub(super) fn check_tables(&mut self, entries: &[Spanned<TableEntry>]) {
        for entry in entries {
            let table = entry.get_ref();
            if !self.check_id(&table.id, "table") {
                continue;
            }
            if self.tables.contains_key(table.id.get_ref()) {
                self.duplicate(&table.id, "table");
                continue;
            }
            if table.columns.get_ref().is_empty() {
                self.reporter.error_with_help(
                    table.columns.span(),
                    format!("the table `{}` has no columns", table.id.get_ref()),
                    "name its columns, as in `columns = [\"single\", \"with_spouse\"]`",
                );
                continue;
            }
            let rows: Vec<toml::Table> =
                table.rows.iter().map(|row| row.get_ref().clone()).collect();
            match Table::from_rows(table.columns.get_ref().clone(), &rows) {
                Ok(checked) => {
                    self.tables.insert(table.id.get_ref().clone(), checked);
                }
                Err((index, message)) => {
                    self.broken_tables.push(table.id.get_ref().clone());
                    let span = table
                        .rows
                        .get(index)
                        .map_or_else(|| entry.span(), Spanned::span);
                    self.reporter.error(
                        span,
                        format!("in the table `{}`: {message}", table.id.get_ref()),
                    );
                }
            }
        }
    }
}
