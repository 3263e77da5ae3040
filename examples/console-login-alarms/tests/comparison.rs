//! The claims made for the example: the public API only, no raw resource,
//! no hand-written statement, and no more lines than the same stack takes
//! with CDK's L2 constructs (`cdk/app.js`, counted the same way).

use std::path::{Path, PathBuf};

fn here(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Non-blank lines that are not comments (`//`, `///`, `//!`, and `/* */` in JavaScript).
fn code_lines(source: &str) -> usize {
    let mut in_block = false;
    source
        .lines()
        .map(str::trim)
        .filter(|l| {
            let was = in_block;
            if l.starts_with("/*") {
                in_block = !l.contains("*/");
                return false;
            }
            if was {
                in_block = !l.contains("*/");
                return false;
            }
            !l.is_empty() && !l.starts_with("//")
        })
        .count()
}

#[test]
fn the_module_is_written_on_the_blocks_in_no_more_lines_than_cdk_takes() {
    let rust: Vec<String> =
        ["src/lib.rs", "src/main.rs"].iter().map(|f| std::fs::read_to_string(here(f)).unwrap()).collect();
    for (needle, what) in [
        ("cfn_template::resources", "a raw L1 resource"),
        ("RawResource", "a raw L1 resource"),
        ("add_resource", "a resource added by hand"),
        ("Statement", "a hand-written policy statement"),
        ("PolicyDocument", "a hand-written policy document"),
    ] {
        assert!(rust.iter().all(|s| !s.contains(needle)), "the example uses {what} ({needle})");
    }
    let ours: usize = rust.iter().map(|s| code_lines(s)).sum();
    let cdk = code_lines(&std::fs::read_to_string(here("cdk/app.js")).unwrap());
    assert!(ours <= cdk, "{ours} lines of Rust against {cdk} of CDK");
}

#[test]
fn comments_and_blank_lines_are_not_counted() {
    assert_eq!(code_lines("// a\n/// b\n\n  x();\n/* c\n d */\ny();\n/* e */\n"), 2);
}
