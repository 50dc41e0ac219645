//! The order in which values and criteria are computed, each after what it uses,
//! and the cycles that make such an order impossible.

use toml::Spanned;

use super::{Checker, Declared};
use crate::ir::Definition;
use crate::schema::{CriterionEntry, ValueEntry};
use crate::syntax::{Expr, ExprKind};

impl Checker<'_> {
    /// Orders values and criteria so each comes after what it uses; reports
    /// cycles and marks the definitions on them.
    pub(super) fn order_definitions(
        &mut self,
        definitions: &[(Definition, &Spanned<String>, Option<Expr>)],
        values: &[&ValueEntry],
        criteria: &[&CriterionEntry],
    ) -> (Vec<usize>, Vec<bool>) {
        let position_of = |declared: Declared| match declared {
            Declared::Value(index) => Some(index),
            Declared::Criterion(index) => Some(values.len() + index),
            Declared::Question(_) => None,
        };
        let uses: Vec<Vec<usize>> = definitions
            .iter()
            .map(|(_, _, expr)| {
                let mut names = Vec::new();
                if let Some(expr) = expr {
                    collect_names(expr, &mut names);
                }
                let mut uses: Vec<usize> = names
                    .iter()
                    .filter_map(|name| self.declared.get(*name).copied().and_then(position_of))
                    .collect();
                uses.dedup();
                uses
            })
            .collect();
        let name_of = |position: usize| {
            if position < values.len() {
                values[position].id.get_ref().as_str()
            } else {
                criteria[position - values.len()].id.get_ref().as_str()
            }
        };

        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut marks = vec![Mark::New; definitions.len()];
        let mut cyclic = vec![false; definitions.len()];
        let mut order = Vec::new();
        for root in 0..definitions.len() {
            if marks[root] != Mark::New {
                continue;
            }
            // Iterative depth-first search; `path` is the chain of open definitions.
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            marks[root] = Mark::Open;
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                if let Some(&used) = uses[node].get(*next) {
                    *next += 1;
                    match marks[used] {
                        Mark::New => {
                            marks[used] = Mark::Open;
                            path.push((used, 0));
                        }
                        Mark::Open => {
                            let start =
                                path.iter().position(|(open, _)| *open == used).unwrap_or(0);
                            let cycle: Vec<usize> =
                                path[start..].iter().map(|(open, _)| *open).collect();
                            if cycle.iter().any(|member| cyclic[*member]) {
                                continue;
                            }
                            let mut names: Vec<&str> =
                                cycle.iter().map(|member| name_of(*member)).collect();
                            names.push(name_of(used));
                            let text = definitions[used].1;
                            self.reporter.error_with_help(
                                text.span(),
                                format!(
                                    "`{}` depends on itself: {}",
                                    name_of(used),
                                    names.join(" → ")
                                ),
                                "computed values and criteria must not use each other in a circle",
                            );
                            for member in cycle {
                                cyclic[member] = true;
                            }
                        }
                        Mark::Done => {}
                    }
                } else {
                    marks[node] = Mark::Done;
                    order.push(node);
                    path.pop();
                }
            }
        }
        // Whatever uses a definition on a cycle cannot be typed either.
        for &position in &order {
            if uses[position].iter().any(|used| cyclic[*used]) {
                cyclic[position] = true;
            }
        }
        (order, cyclic)
    }
}

fn collect_names<'e>(expr: &'e Expr, names: &mut Vec<&'e str>) {
    match &expr.kind {
        ExprKind::Name(name) => names.push(name),
        ExprKind::Bool(_) | ExprKind::Integer(_) | ExprKind::Date(_) | ExprKind::Fact(_) => {}
        ExprKind::Not(operand) | ExprKind::Negate(operand) | ExprKind::Duration(operand, _) => {
            collect_names(operand, names)
        }
        ExprKind::Binary(_, left, right) => {
            collect_names(left, names);
            collect_names(right, names);
        }
        ExprKind::In(subject, _) => collect_names(subject, names),
        ExprKind::If(condition, then, otherwise) => {
            collect_names(condition, names);
            collect_names(then, names);
            collect_names(otherwise, names);
        }
        ExprKind::Call(_, arguments) => {
            for argument in arguments {
                collect_names(argument, names);
            }
        }
    }
}
