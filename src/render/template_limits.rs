//! Limits on what a theme's templates can make docket do, checked once when the theme is
//! compiled, so a hostile or mistaken theme is a clear error instead of an abort.
//!
//! Tera renders recursively on the thread's stack and has no depth limit: a template that
//! includes itself, or a macro that calls itself with nothing to stop it, ends the process
//! with "stack overflow, aborting" (exit 134), and no later guard can catch that. Both are
//! found here, before anything renders, by walking the templates' syntax trees:
//!
//! - **Include cycles**: any chain of `{% include %}` that comes back to where it started.
//!   An include takes no arguments, so nothing can make a cycle stop.
//! - **Unconditional macro recursion**: a cycle of macro calls in which every call is made
//!   whatever the data (not inside an `if` or a `for`). A recursive macro that renders a
//!   tree calls itself inside a `for` over the children, and stays allowed.
//!
//! And `range`, which builds its whole list in memory (`range(end=4000000000)` ran out of
//! memory), is replaced by one that refuses to make more than [`RANGE_LIMIT`] numbers for
//! one page in all its calls together, so nested loops over ranges cannot multiply into
//! hours of work either. A page whose HTML grows past [`PAGE_SIZE_LIMIT`] is an error.
//!
//! A macro that recurses under an `if` whose condition never turns false passes the
//! check above, and tera offers no hook to count calls. So every macro body is given one:
//! [`install`] rewrites each macro's syntax tree to call a counting function on entry and
//! on exit, and a call nested more than [`MACRO_DEPTH_LIMIT`] deep is an error naming the
//! template, long before the thread's stack runs out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

/// The most numbers `range` may make for one page, over all its calls.
pub const RANGE_LIMIT: usize = 1_000_000;

/// The largest page, in bytes, a template may render.
pub const PAGE_SIZE_LIMIT: usize = 256 << 20;

/// How deeply macro calls may nest. A theme's recursive macros follow the knowledge
/// base's structure (a provision tree is a handful of levels); one call past the limit
/// still fits a 2 MiB worker stack in a debug build (the unit tests run it there).
pub const MACRO_DEPTH_LIMIT: usize = 32;

/// The functions [`install`] puts at the start and end of every macro body.
const MACRO_ENTER: &str = "__docket_macro_enter";
const MACRO_LEAVE: &str = "__docket_macro_leave";

thread_local! {
    /// What is left of [`RANGE_LIMIT`] for the page this thread is rendering (tera renders
    /// on the calling thread).
    static RANGE_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(RANGE_LIMIT) };

    /// How many macro calls are open on this thread now.
    static MACRO_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Gives the page about to be rendered on this thread its own [`RANGE_LIMIT`], and forgets
/// macro calls a failed render left open.
pub fn start_page() {
    RANGE_LEFT.with(|left| left.set(RANGE_LIMIT));
    MACRO_DEPTH.with(|depth| depth.set(0));
}

/// A template that cannot be allowed to render: its name and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    /// The template's name (its path under `templates/`).
    pub template: String,
    /// What is wrong, and what would be right.
    pub message: String,
    /// Text in the template at the call or include that closes the loop, to point at.
    pub at: String,
}

/// Installs the limits that act while rendering: the capped `range`, and the depth count
/// in every macro body of `tera`'s templates (so call it after adding the templates).
pub fn install(tera: &mut Tera) {
    tera.register_function("range", capped_range);
    tera.register_function(MACRO_ENTER, enter_macro);
    tera.register_function(MACRO_LEAVE, leave_macro);
    for template in tera.templates.values_mut() {
        for (name, definition) in template.macros.iter_mut() {
            definition.body.insert(0, call_node(MACRO_ENTER, name));
            definition.body.push(call_node(MACRO_LEAVE, name));
        }
    }
}

/// `{{ function(name="…") }}`: a call that renders as nothing.
fn call_node(function: &str, name: &str) -> Node {
    let name = Expr::new(ExprVal::String(name.to_string()));
    let call = FunctionCall { name: function.to_string(), args: HashMap::from([("name".to_string(), name)]) };
    Node::VariableBlock(WS::default(), Expr::new(ExprVal::FunctionCall(call)))
}

fn enter_macro(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let depth = MACRO_DEPTH.with(|depth| {
        depth.set(depth.get() + 1);
        depth.get()
    });
    if depth > MACRO_DEPTH_LIMIT {
        // No ": " in the message: the diagnostic shows the last part of the error chain.
        let name = args.get("name").and_then(Value::as_str).unwrap_or("?");
        return Err(tera::Error::msg(format!(
            "macro calls nest more than {MACRO_DEPTH_LIMIT} deep at `{name}`, so a macro keeps calling itself (or a macro that calls it back); make sure the condition around the recursive call turns false"
        )));
    }
    Ok(Value::String(String::new()))
}

fn leave_macro(_: &HashMap<String, Value>) -> tera::Result<Value> {
    MACRO_DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    Ok(Value::String(String::new()))
}

/// Every include cycle and unconditional macro recursion in `tera`'s templates.
pub fn check(tera: &Tera) -> Vec<Refused> {
    let mut refused = include_cycles(tera);
    refused.extend(macro_cycles(tera));
    refused
}

fn include_cycles(tera: &Tera) -> Vec<Refused> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, template) in &tera.templates {
        let mut included = BTreeSet::new();
        walk(&template.ast, false, &mut |node, _| {
            if let Node::Include(_, names, _) = node {
                included.extend(names.iter().cloned());
            }
        });
        graph.insert(name.clone(), included);
    }
    cycles(&graph)
        .into_iter()
        .map(|cycle| Refused {
            template: cycle[0].clone(),
            at: format!("\"{}\"", cycle[1]),
            message: format!(
                "the template includes itself ({}), which would never end; remove the include that closes the loop",
                cycle.join(" → ")
            ),
        })
        .collect()
}

fn macro_cycles(tera: &Tera) -> Vec<Refused> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, template) in &tera.templates {
        let namespaces: HashMap<&str, &str> =
            template.imported_macro_files.iter().map(|(path, namespace)| (namespace.as_str(), path.as_str())).collect();
        for (name, definition) in &template.macros {
            let mut calls = BTreeSet::new();
            walk(&definition.body, false, &mut |node, conditional| {
                if conditional {
                    return;
                }
                for_each_macro_call(node, &mut |namespace, called| {
                    let target =
                        if namespace == "self" { Some(file.as_str()) } else { namespaces.get(namespace).copied() };
                    if let Some(target) = target {
                        calls.insert(format!("{target}::{called}"));
                    }
                });
            });
            graph.insert(format!("{file}::{name}"), calls);
        }
    }
    cycles(&graph)
        .into_iter()
        .map(|cycle| Refused {
            template: cycle[0].split("::").next().unwrap_or_default().to_string(),
            at: format!("::{}(", cycle[1].rsplit("::").next().unwrap_or_default()),
            message: format!(
                "a macro calls itself whatever the data ({}), which would never end; make the call depend on an `if` or a `for`",
                cycle.join(" → ")
            ),
        })
        .collect()
}

/// Calls `visit` on every node under `nodes`, saying whether it is reached only under an
/// `if` or a `for` (`conditional`).
fn walk(nodes: &[Node], conditional: bool, visit: &mut dyn FnMut(&Node, bool)) {
    for node in nodes {
        visit(node, conditional);
        match node {
            Node::Block(_, block, _) => walk(&block.body, conditional, visit),
            Node::FilterSection(_, section, _) => walk(&section.body, conditional, visit),
            Node::Forloop(_, forloop, _) => {
                walk(&forloop.body, true, visit);
                if let Some(empty) = &forloop.empty_body {
                    walk(empty, true, visit);
                }
            }
            Node::If(branches, _) => {
                for (_, _, body) in &branches.conditions {
                    walk(body, true, visit);
                }
                if let Some((_, body)) = &branches.otherwise {
                    walk(body, true, visit);
                }
            }
            _ => {}
        }
    }
}

/// The macro calls in the expressions a node evaluates itself (not its children's).
fn for_each_macro_call(node: &Node, found: &mut dyn FnMut(&str, &str)) {
    match node {
        Node::VariableBlock(_, expr) => expr_calls(expr, found),
        Node::Set(_, set) => expr_calls(&set.value, found),
        Node::Forloop(_, forloop, _) => expr_calls(&forloop.container, found),
        Node::If(branches, _) => {
            if let Some((_, condition, _)) = branches.conditions.first() {
                expr_calls(condition, found);
            }
        }
        _ => {}
    }
}

fn expr_calls(expr: &Expr, found: &mut dyn FnMut(&str, &str)) {
    match &expr.val {
        ExprVal::MacroCall(call) => {
            found(&call.namespace, &call.name);
            call.args.values().for_each(|arg| expr_calls(arg, found));
        }
        ExprVal::Math(math) => {
            expr_calls(&math.lhs, found);
            expr_calls(&math.rhs, found);
        }
        ExprVal::Logic(logic) => {
            expr_calls(&logic.lhs, found);
            expr_calls(&logic.rhs, found);
        }
        ExprVal::FunctionCall(call) => call.args.values().for_each(|arg| expr_calls(arg, found)),
        ExprVal::Array(items) => items.iter().for_each(|item| expr_calls(item, found)),
        _ => {}
    }
}

/// One cycle per strongly connected loop of `graph`, each listed from its smallest node
/// and back to it, without repeats (a depth-first search; themes have few templates).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for start in graph.keys() {
        if reported.contains(start) {
            continue;
        }
        let mut path = vec![start.clone()];
        if let Some(cycle) = cycle_from(graph, start, &mut path, &mut BTreeSet::new()) {
            reported.extend(cycle.iter().cloned());
            found.push(cycle);
        }
    }
    found
}

fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    let last = path.last().cloned().unwrap_or_default();
    for next in graph.get(&last).into_iter().flatten() {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(start.to_string());
            return Some(cycle);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(cycle) = cycle_from(graph, start, path, seen) {
                return Some(cycle);
            }
            path.pop();
        }
    }
    None
}

/// Tera's `range` (`start`, `end`, `step_by`), refusing to make more than [`RANGE_LIMIT`]
/// numbers instead of allocating them.
fn capped_range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |key: &str, default: Option<usize>| -> tera::Result<usize> {
        match args.get(key) {
            Some(value) => value.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| {
                tera::Error::msg(format!("`range` got {key}={value}, but {key} must be a whole number"))
            }),
            None => default.ok_or_else(|| tera::Error::msg(format!("`range` needs `{key}`"))),
        }
    };
    let (start, end, step) = (number("start", Some(0))?, number("end", None)?, number("step_by", Some(1))?);
    if step == 0 {
        return Err(tera::Error::msg("`range` got step_by=0, which would never end"));
    }
    if start > end {
        return Err(tera::Error::msg(format!("`range` got start={start} after end={end}")));
    }
    let count = (end - start).div_ceil(step);
    let left = RANGE_LEFT.with(std::cell::Cell::get);
    if count > left {
        return Err(tera::Error::msg(format!(
            "range(start={start}, end={end}) would make {count} numbers, and a page's templates may make at most {RANGE_LIMIT} in all"
        )));
    }
    RANGE_LEFT.with(|cell| cell.set(left - count));
    Ok(Value::Array((start..end).step_by(step).map(Value::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).expect("compiles");
        install(&mut tera);
        tera
    }

    /// Finding 3: a template including itself aborted docket with a stack overflow.
    #[test]
    fn include_cycles_are_refused_naming_the_templates() {
        let refused = check(&tera(&[("a.html", "{% include \"b.html\" %}"), ("b.html", "x{% include \"a.html\" %}")]));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0].template, "a.html");
        assert!(refused[0].message.contains("a.html → b.html → a.html"), "{}", refused[0].message);
        assert_eq!(check(&tera(&[("self.html", "{% if x %}{% include \"self.html\" %}{% endif %}")])).len(), 1);
    }

    /// Finding 3: a recursive macro aborted docket; one that recurses over data is fine.
    #[test]
    fn unconditional_macro_recursion_is_refused_and_recursion_over_data_allowed() {
        let endless = "{% macro m(n) %}{{ self::m(n=n+1) }}{% endmacro m %}";
        let refused = check(&tera(&[("macros.html", endless)]));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].message.contains("macros.html::m → macros.html::m"), "{}", refused[0].message);
        let tree = "{% macro tree(node) %}{% for child in node.children %}{{ self::tree(node=child) }}{% endfor %}{% endmacro tree %}";
        let page = "{% import \"tree.html\" as t %}{{ t::tree(node=root) }}";
        assert!(check(&tera(&[("tree.html", tree), ("page.html", page)])).is_empty());
    }

    /// Finding 3: `range(end=4000000000)` ran out of memory.
    #[test]
    fn a_huge_range_is_an_error_and_a_small_one_works() {
        let tera = tera(&[
            ("big.html", "{% for i in range(end=4000000000) %}{{ i }}{% endfor %}"),
            ("small.html", "{% for i in range(start=1, end=7, step_by=2) %}{{ i }}{% endfor %}"),
        ]);
        let context = tera::Context::new();
        start_page();
        let error = tera.render("big.html", &context).expect_err("refused");
        let chain = crate::render::theme::error_chain(&error);
        assert!(chain.contains("big.html") && chain.contains("at most 1000000"), "{chain}");
        start_page();
        assert_eq!(tera.render("small.html", &context).expect("renders"), "135");
    }

    /// Finding 3: a macro recursing under an `if` that never turns false passed the check
    /// and overflowed the stack; now the call that nests too deep is an error.
    #[test]
    fn a_macro_recursing_without_end_under_an_if_is_an_error() {
        let endless = "{% macro m(n) %}{% if n >= 0 %}{{ self::m(n=n+1) }}{% endif %}{% endmacro m %}";
        let page = "{% import \"macros.html\" as x %}{{ x::m(n=0) }}";
        let tera = tera(&[("macros.html", endless), ("page.html", page)]);
        assert!(check(&tera).is_empty(), "the static check cannot see it");
        let run = std::thread::Builder::new().stack_size(2 << 20).spawn(move || {
            start_page();
            crate::render::theme::error_chain(&tera.render("page.html", &tera::Context::new()).expect_err("refused"))
        });
        let chain = run.expect("thread").join().expect("no overflow on a 2 MiB stack");
        assert!(chain.contains("page.html") && chain.contains("nest more than 32 deep"), "{chain}");
    }

    /// A recursive macro over data as deep as the limit renders, and the count goes back
    /// down: calls after a deep one start again from zero.
    #[test]
    fn recursion_within_the_limit_renders_and_the_depth_unwinds() {
        let countdown =
            "{% macro down(n) %}{{ n }}{% if n > 1 %},{{ self::down(n=n-1) }}{% endif %}{% endmacro down %}";
        let page =
            "{% import \"m.html\" as m %}{{ m::down(n=32) | length }} {{ m::down(n=32) | length }} {{ m::down(n=2) }}";
        let tera = tera(&[("m.html", countdown), ("page.html", page)]);
        start_page();
        let html = tera.render("page.html", &tera::Context::new()).expect("renders");
        assert!(html.ends_with("2,1"), "{html}");
        assert!(html.starts_with("86 86"), "{html}");
    }

    /// Nested loops over ranges each within the limit multiply: the limit is per page.
    #[test]
    fn nested_ranges_share_one_limit_per_page() {
        let nested = "{% for i in range(end=1000) %}{% for j in range(end=2000) %}{% endfor %}{% endfor %}";
        let tera = tera(&[("nested.html", nested), ("fine.html", "{% for i in range(end=3) %}{% endfor %}ok")]);
        start_page();
        let error = tera.render("nested.html", &tera::Context::new()).expect_err("refused");
        assert!(crate::render::theme::error_chain(&error).contains("in all"));
        start_page();
        assert_eq!(tera.render("fine.html", &tera::Context::new()).expect("renders"), "ok");
    }
}
