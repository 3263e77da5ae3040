//! Renderings of a few pairs, reviewed as snapshots.

mod common;

use cfn_diff::{diff, render, Format, Graph, RenderOptions};
use common::{fixture, load, pair, pair_templates};

fn snap(name: &str, text: String) {
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn security_pair() {
    let d = pair("security");
    snap("security.txt", render(&d, Format::Text, &RenderOptions::default()));
    snap("security.md", render(&d, Format::Markdown, &RenderOptions::default()));
}

#[test]
fn replacement_pair_with_its_graph() {
    let (old, new) = pair_templates("replacement");
    let d = diff(&old, &new);
    let g = Graph::of_diff(&old, &new, &d);
    snap("replacement.txt", render(&d, Format::Text, &RenderOptions::default()));
    snap(
        "replacement.md",
        render(&d, Format::Markdown, &RenderOptions { color: false, mermaid: Some(g.mermaid()) }),
    );
    snap("replacement.json", render(&d, Format::Json, &RenderOptions::default()));
    snap("replacement.dot", g.dot());
}

#[test]
fn colours_only_when_asked() {
    let d = pair("lifecycle");
    let plain = render(&d, Format::Text, &RenderOptions::default());
    assert!(!plain.contains('\x1b'));
    let coloured = render(&d, Format::Text, &RenderOptions { color: true, mermaid: None });
    assert!(coloured.contains("\x1b[1;31m[!]\x1b[0m AuditBucket"), "{coloured}");
    snap("lifecycle.txt", plain);
}

#[test]
fn code_pair_markdown_folds_the_line_diff() {
    snap("code.md", render(&pair("code"), Format::Markdown, &RenderOptions::default()));
}

#[test]
fn mdaa_logical_rename() {
    let d = diff(&load(&fixture("mdaa-baseline.json")), &load(&fixture("mdaa-logical-rename.json")));
    snap("mdaa-logical-rename.txt", render(&d, Format::Text, &RenderOptions::default()));
}
