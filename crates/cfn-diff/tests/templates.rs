//! The project's committed templates are valid inputs: every pair diffs,
//! each template against itself is no change, and the differences between
//! samples are the ones their configs make.

mod common;

use cfn_diff::{diff, render, ChangeKind, Format, Graph, RenderOptions};
use common::{load, root};

fn templates() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("templates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 2, "the workspace has committed templates");
    paths
}

#[test]
fn every_pair_diffs_and_renders() {
    for a in templates() {
        let old = load(&a);
        assert!(diff(&old, &old).is_empty(), "{} against itself", a.display());
        for b in templates().into_iter().filter(|b| *b != a) {
            let new = load(&b);
            let d = diff(&old, &new);
            assert!(!d.is_empty(), "{} and {} differ", a.display(), b.display());
            for format in [Format::Text, Format::Markdown, Format::Json] {
                let mermaid = Some(Graph::of_diff(&old, &new, &d).mermaid());
                assert!(!render(&d, format, &RenderOptions { color: true, mermaid }).is_empty());
            }
        }
    }
}

#[test]
fn dropping_the_bucket_orphans_it() {
    let d = diff(
        &load(&root().join("templates/both-destinations.json")),
        &load(&root().join("templates/cloudwatch-only.json")),
    );
    let orphaned: Vec<&str> =
        d.resources.iter().filter(|r| r.orphans.is_some()).map(|r| r.logical_id.as_str()).collect();
    assert!(orphaned.contains(&"InvocationLogsBucket"), "{orphaned:?}");
    assert!(d.resources.iter().filter(|r| r.orphans.is_some()).all(|r| r.kind == ChangeKind::Removed));
}
