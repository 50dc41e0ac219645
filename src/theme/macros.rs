//! Macros that call themselves on every call, whose rendering would never end.
//!
//! A macro may call itself, as one drawing a nested table of contents does, under an `if` or a
//! `for` that runs out. One that reaches itself again whatever its arguments (a call in its
//! body outside any `if` or `for`, directly or through other macros) recurses until the stack
//! runs out, which aborts the process rather than failing the build: such circles are errors
//! before anything renders. Recursion that is guarded but never ends cannot be told from
//! recursion that ends before it runs: [`guard_recursion`] stops it while it renders, with an
//! error naming the macro, before the stack runs out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use tera::ast::{Expr, ExprVal, Node};
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// A macro: the template that defines it, and its name.
type MacroId = (String, String);

/// Each circle of macros that call each other on every call, reported once, at the first
/// macro's definition (its template in `sources`, name → (shown path, text)).
pub(super) fn unending_macros(
    tera: &Tera,
    sources: &BTreeMap<String, (PathBuf, Arc<str>)>,
) -> Diagnostics {
    let calls = unconditional_calls(tera);
    let mut diagnostics = Diagnostics::default();
    let mut reported: BTreeSet<MacroId> = BTreeSet::new();
    for start in calls.keys() {
        if reported.contains(start) {
            continue;
        }
        let Some(circle) = circle_from(start, &calls) else {
            continue;
        };
        reported.extend(circle.iter().cloned());
        let (template, name) = start;
        let message = if circle.len() == 1 {
            format!("the macro `{name}` calls itself on every call, so it never ends")
        } else {
            let chain: Vec<String> = circle
                .iter()
                .chain(std::iter::once(start))
                .map(|(_, name)| format!("`{name}`"))
                .collect();
            format!(
                "macros call each other on every call, so they never end: {}",
                chain.join(" → ")
            )
        };
        let diagnostic = match sources.get(template) {
            Some((shown, text)) => {
                let at = definition_offset(text, name);
                Diagnostic::at(shown.clone(), text, at..at + name.len(), message)
            }
            None => Diagnostic::new(PathBuf::from(template), message),
        };
        diagnostics.push(diagnostic.with_help(
            "call a macro from itself only inside an `{% if %}` or `{% for %}` that stops it, as a table of contents stops at pages without children",
        ));
    }
    diagnostics
}

/// The start of the name of the function each macro's body calls first, one per macro.
const GUARD_PREFIX: &str = "__guide_macro_guard ";

/// Stack left below which a macro call is refused. One level of a macro costs Tera's renderer
/// some 10 to 20 KiB in a debug build, much less in a release one; what one level uses between
/// two calls of the guard stays well inside this.
const STACK_RESERVE_BYTES: usize = 1024 * 1024;

/// Makes every macro check, on each call, that the stack has room for it: a macro that calls
/// itself without end fails the page's render with an error naming it, rather than running the
/// stack out and aborting the process. The check is a call, without arguments (so a call
/// allocates nothing), to a function registered for that macro, that writes nothing; it is
/// added at the start of each macro's body once the templates are parsed (Tera has no limit of
/// its own). Macros already guarded are left as they are, so that a template added later (the
/// built-in checker template beside a theme's) can be guarded by calling this again.
pub fn guard_recursion(tera: &mut Tera) {
    let mut guards = Vec::new();
    for template in tera.templates.values_mut() {
        for (name, definition) in template.macros.iter_mut() {
            if definition.body.first().is_some_and(is_guard) {
                continue;
            }
            let function = format!("{GUARD_PREFIX}{}::{name}", template.name);
            let call = tera::ast::FunctionCall {
                name: function.clone(),
                args: Default::default(),
            };
            let guard = Node::VariableBlock(
                tera::ast::WS::default(),
                Expr::new(ExprVal::FunctionCall(call)),
            );
            definition.body.insert(0, guard);
            guards.push((
                function,
                RunawayMacro {
                    template: template.name.clone(),
                    name: name.clone(),
                },
            ));
        }
    }
    for (function, runaway) in guards {
        tera.register_function(
            &function,
            move |_: &std::collections::HashMap<String, tera::Value>| stack_guard(&runaway),
        );
    }
}

fn is_guard(node: &Node) -> bool {
    matches!(node, Node::VariableBlock(_, Expr { val: ExprVal::FunctionCall(call), .. })
        if call.name.starts_with(GUARD_PREFIX))
}

/// Writes nothing while the stack has room; refuses the macro call once it has not.
fn stack_guard(runaway: &RunawayMacro) -> tera::Result<tera::Value> {
    let room = stacker::remaining_stack().is_none_or(|left| left > STACK_RESERVE_BYTES);
    if room {
        return Ok(tera::Value::String(String::new()));
    }
    Err(tera::Error::chain(
        "stopped before the stack ran out",
        runaway.clone(),
    ))
}

/// A macro stopped by [`guard_recursion`]: the cause of its render error, which
/// `Theme::render_error` points at the macro's definition.
#[derive(Debug, Clone)]
pub(super) struct RunawayMacro {
    pub template: String,
    pub name: String,
}

impl std::fmt::Display for RunawayMacro {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the macro `{}` of `{}` calls itself deeper than the stack allows: its recursion \
             does not stop, or not soon enough",
            self.name, self.template
        )
    }
}

impl std::error::Error for RunawayMacro {}

impl RunawayMacro {
    /// The one behind `error`, if a runaway macro is its cause.
    pub(super) fn behind(error: &tera::Error) -> Option<&RunawayMacro> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(cause) = current {
            if let Some(runaway) = cause.downcast_ref::<RunawayMacro>() {
                return Some(runaway);
            }
            current = cause.source();
        }
        None
    }

    /// Where the macro is defined in `text`, its template's: its name after `macro`.
    pub(super) fn span(&self, text: &str) -> std::ops::Range<usize> {
        let at = definition_offset(text, &self.name);
        at..at + self.name.len()
    }
}

/// The help a runaway macro's error carries.
pub(super) const RUNAWAY_HELP: &str = "call a macro from itself only under an `{% if %}` that turns false, or in a `{% for %}` over something that gets smaller, as a table of contents ends at pages without children";

/// Each macro, with the macros it calls on every call.
fn unconditional_calls(tera: &Tera) -> BTreeMap<MacroId, BTreeSet<MacroId>> {
    let mut calls = BTreeMap::new();
    for name in tera.get_template_names() {
        let Ok(template) = tera.get_template(name) else {
            continue;
        };
        for (macro_name, definition) in &template.macros {
            let mut found = Vec::new();
            nodes_calls(&definition.body, &mut found);
            let callees = found
                .into_iter()
                .filter_map(|(namespace, callee)| {
                    let file = if namespace == "self" {
                        Some(template.name.clone())
                    } else {
                        template
                            .imported_macro_files
                            .iter()
                            .find(|(_, imported)| *imported == namespace)
                            .map(|(file, _)| file.clone())
                    };
                    file.map(|file| (file, callee))
                })
                .collect();
            calls.insert((template.name.clone(), macro_name.clone()), callees);
        }
    }
    calls
}

/// The macros `start` reaches again on every call, in order from it, when it does.
fn circle_from(
    start: &MacroId,
    calls: &BTreeMap<MacroId, BTreeSet<MacroId>>,
) -> Option<Vec<MacroId>> {
    // Depth first, keeping the path: the graph is a few dozen macros.
    let mut path = vec![start.clone()];
    let mut visited: BTreeSet<MacroId> = BTreeSet::new();
    fn walk(
        path: &mut Vec<MacroId>,
        visited: &mut BTreeSet<MacroId>,
        calls: &BTreeMap<MacroId, BTreeSet<MacroId>>,
    ) -> bool {
        let Some(current) = path.last().cloned() else {
            return false;
        };
        for next in calls.get(&current).into_iter().flatten() {
            if *next == path[0] {
                return true;
            }
            if visited.insert(next.clone()) {
                path.push(next.clone());
                if walk(path, visited, calls) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(&mut path, &mut visited, calls).then_some(path)
}

/// The macro calls `nodes` make whatever the data: not those under an `if` or in a `for`'s
/// body (which may run no time), as (namespace, name).
fn nodes_calls(nodes: &[Node], found: &mut Vec<(String, String)>) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => expr_calls(expr, found),
            Node::Set(_, set) => expr_calls(&set.value, found),
            Node::FilterSection(_, section, _) => nodes_calls(&section.body, found),
            Node::Block(_, block, _) => nodes_calls(&block.body, found),
            Node::Forloop(_, forloop, _) => expr_calls(&forloop.container, found),
            Node::If(condition, _) => {
                if let Some((_, first, _)) = condition.conditions.first() {
                    expr_calls(first, found);
                }
            }
            _ => {}
        }
    }
}

/// The macro calls evaluating `expr` makes whatever the data: `and` and `or` may stop at
/// their left side, so only that side counts.
fn expr_calls(expr: &Expr, found: &mut Vec<(String, String)>) {
    match &expr.val {
        ExprVal::MacroCall(call) => {
            found.push((call.namespace.clone(), call.name.clone()));
            for argument in call.args.values() {
                expr_calls(argument, found);
            }
        }
        ExprVal::FunctionCall(call) => {
            for argument in call.args.values() {
                expr_calls(argument, found);
            }
        }
        ExprVal::Math(math) => {
            expr_calls(&math.lhs, found);
            expr_calls(&math.rhs, found);
        }
        ExprVal::Logic(logic) => expr_calls(&logic.lhs, found),
        ExprVal::Array(items) => items.iter().for_each(|item| expr_calls(item, found)),
        ExprVal::In(within) => {
            expr_calls(&within.lhs, found);
            expr_calls(&within.rhs, found);
        }
        _ => {}
    }
    for filter in &expr.filters {
        for argument in filter.args.values() {
            expr_calls(argument, found);
        }
    }
}

/// Where the name of macro `name` is written in its `{% macro name(` tag, or 0.
fn definition_offset(text: &str, name: &str) -> usize {
    let mut from = 0;
    while let Some(found) = text[from..].find("macro") {
        let at = from + found + "macro".len();
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix(name) {
            if after.trim_start().starts_with('(') && rest.len() > trimmed.len() {
                return at + rest.len() - trimmed.len();
            }
        }
        from = at;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let sources: BTreeMap<String, (PathBuf, Arc<str>)> = files
            .iter()
            .map(|(name, text)| {
                let shown = PathBuf::from(format!("templates/{name}"));
                (name.to_string(), (shown, Arc::from(*text)))
            })
            .collect();
        let mut tera = Tera::default();
        tera.add_raw_templates(files.iter().copied())
            .expect("the templates parse");
        unending_macros(&tera, &sources)
            .iter()
            .map(|diagnostic| (diagnostic.location(), diagnostic.message.clone()))
            .collect()
    }

    #[test]
    fn a_macro_calling_itself_outside_any_condition_is_an_error_at_its_name() {
        let found = check(&[(
            "m.html",
            "{% macro other() %}x{% endmacro other %}\n{% macro f(n) %}{{ self::f(n=n+1) }}{% endmacro f %}",
        )]);
        assert_eq!(
            found,
            [(
                "templates/m.html:2:10".to_string(),
                "the macro `f` calls itself on every call, so it never ends".to_string()
            )]
        );
        // In an argument, a `set`, a filter section or a loop's list: still every call.
        for body in [
            "{{ self::other(x=self::f(n=1)) }}",
            "{% set x = self::f(n=1) %}",
            "{% filter upper %}{{ self::f(n=1) }}{% endfilter %}",
            "{% for x in [self::f(n=1)] %}{% endfor %}",
        ] {
            let text = format!(
                "{{% macro other(x) %}}x{{% endmacro other %}}{{% macro f(n) %}}{body}{{% endmacro f %}}"
            );
            assert_eq!(check(&[("m.html", &text)]).len(), 1, "{body}");
        }
    }

    #[test]
    fn macros_calling_each_other_in_a_circle_across_files_are_one_error() {
        let found = check(&[
            (
                "a.html",
                "{% import \"b.html\" as b %}{% macro f() %}{{ b::g() }}{% endmacro f %}",
            ),
            (
                "b.html",
                "{% import \"a.html\" as a %}{% macro g() %}{{ a::f() }}{% endmacro g %}",
            ),
        ]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].1,
            "macros call each other on every call, so they never end: `f` → `g` → `f`"
        );
    }

    #[test]
    fn recursion_under_a_condition_or_in_a_loop_is_allowed() {
        assert!(check(&[(
            "toc.html",
            "{% macro toc(items) %}<ul>{% for item in items %}<li>{{ self::toc(items=item.children) }}</li>{% endfor %}</ul>{% endmacro toc %}\n\
             {% macro count(n) %}{% if n > 0 %}{{ self::count(n=n-1) }}{% endif %}{% endmacro count %}\n\
             {% macro either(n) %}{{ n > 0 and self::either(n=n-1) }}{% endmacro either %}",
        )])
        .is_empty());
    }
}
