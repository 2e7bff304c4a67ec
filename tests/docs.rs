//! The documentation where it is read: the README's rules table is the output of
//! `ruhu rules --markdown`, the README fits a page, and every measurement command of its
//! budgets table is explained in `tests/bench/README.md`.

use std::process::Command;

const BEGIN: &str = "<!-- rules:begin -->\n";
const END: &str = "<!-- rules:end -->";

fn path(name: &str) -> String {
    format!("{}/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What `ruhu rules --markdown` prints.
fn rules_markdown() -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_ruhu"))
        .args(["rules", "--markdown"])
        .output()
        .expect("the ruhu binary runs");
    assert_eq!(o.status.code(), Some(0));
    String::from_utf8(o.stdout).expect("UTF-8")
}

/// The README's text between the rules markers, and where it is.
fn between_markers(readme: &str) -> (usize, usize) {
    let start =
        readme.find(BEGIN).expect("README.md has `<!-- rules:begin -->` on a line") + BEGIN.len();
    let end = start + readme[start..].find(END).expect("README.md has `<!-- rules:end -->`");
    (start, end)
}

/// The README's rules table is generated: after a change to the catalogue, rewrite it with
/// `UPDATE_SNAPSHOTS=1 cargo test --test docs` (or paste `ruhu rules --markdown` between the
/// markers) and review the diff.
#[test]
fn readme_rules_table_is_the_catalogue() {
    let readme = read("README.md");
    let (start, end) = between_markers(&readme);
    let generated = rules_markdown();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let updated = format!("{}{generated}{}", &readme[..start], &readme[end..]);
        std::fs::write(path("README.md"), updated).unwrap();
        return;
    }
    let table = &readme[start..end];
    if table != generated {
        let first = table
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(table.lines().count().min(generated.lines().count()));
        panic!(
            "README.md's rules table is not what `ruhu rules --markdown` prints (first difference \
             at table line {}):\n  README:  {:?}\n  command: {:?}\nRewrite it with\n\
             \tUPDATE_SNAPSHOTS=1 cargo test --test docs\nand review the diff.",
            first + 1,
            table.lines().nth(first).unwrap_or("(end)"),
            generated.lines().nth(first).unwrap_or("(end)"),
        );
    }
    // One row per rule of the catalogue, so the table is the whole catalogue.
    let rows = table.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, ruhu::core::rules::CATALOG.len());
}

/// The README is where people start: what, how to start, and pointers; at most 300 lines.
#[test]
fn readme_fits_a_page() {
    let lines = read("README.md").lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines (at most 300): long answers go into module docs (`//!`), \
         src/ARCHITECTURE.md or tests/bench/README.md"
    );
}

/// Every command in the README's budgets table has its figures, date and conditions in
/// `tests/bench/README.md`.
#[test]
fn every_budget_has_its_measurement_explained() {
    let readme = read("README.md");
    let bench = read("tests/bench/README.md");
    let section =
        readme.split("\n## Budgets\n").nth(1).expect("README.md has a `## Budgets` section");
    let section = section.split("\n## ").next().unwrap();
    let commands: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---") && !l.starts_with("| budget"))
        .map(|l| {
            let last = l.trim_end_matches('|').rsplit('|').next().unwrap();
            last.split('`').nth(1).unwrap_or_else(|| panic!("no command in the row {l:?}"))
        })
        .collect();
    assert!(commands.len() >= 5, "the budgets table lists its commands: {commands:?}");
    for c in commands {
        assert!(bench.contains(c), "tests/bench/README.md does not explain `{c}`");
    }
}

/// The architecture document is the front page of the core's rustdoc.
#[test]
fn architecture_is_in_the_core_rustdoc() {
    let lib = read("src/core/lib.rs");
    assert!(lib.contains("#![doc = include_str!(\"../ARCHITECTURE.md\")]"));
    let arch = read("src/ARCHITECTURE.md");
    for section in ["## Bird's-eye view", "## Code map", "## Invariants", "## Boundaries"] {
        assert!(arch.contains(section), "src/ARCHITECTURE.md has {section}");
    }
}
