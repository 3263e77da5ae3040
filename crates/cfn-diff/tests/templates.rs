//! The project's committed templates are valid inputs: every pair diffs,
//! each template against itself is no change, and the differences between
//! samples are the ones their configs make.

mod common;

use cfn_diff::{diff, render, ChangeKind, Format, Graph, Impact, RenderOptions};
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

/// Turning Object Lock on for the bucket of a deployed stack (`s3-only` to
/// `sec-17a-4`): the default retention (`ObjectLockConfiguration`) updates in
/// place by every source, while `ObjectLockEnabled` may replace the bucket
/// (the schema's in-place update against CloudFormation's documented and
/// observed replacement). A replacement of the named, retained bucket would
/// fail on its name, so the diff must not call the change harmless.
#[test]
fn turning_object_lock_on_may_replace_the_bucket() {
    let d =
        diff(&load(&root().join("templates/s3-only.json")), &load(&root().join("templates/sec-17a-4.json")));
    let bucket = d.resources.iter().find(|r| r.logical_id == "InvocationLogsBucket").expect("bucket changes");
    assert_eq!(bucket.kind, ChangeKind::Modified);
    let change =
        |path: &str| bucket.properties.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("{path}"));
    let enabled = change("ObjectLockEnabled");
    assert_eq!(enabled.impact, Impact::MayReplace, "{}", enabled.reason);
    assert!(enabled.reason.contains("cloudformation-coverage-roadmap#1929"), "{}", enabled.reason);
    assert_eq!(change("ObjectLockConfiguration").impact, Impact::Update);
    assert_eq!(bucket.impact, Impact::MayReplace);
    // Everything else that changes only follows the bucket's possible replacement.
    for r in d.resources.iter().filter(|r| r.logical_id != "InvocationLogsBucket") {
        assert!(
            r.properties.iter().all(|p| p.caused_by.as_deref() == Some("InvocationLogsBucket")),
            "{}: {:?}",
            r.logical_id,
            r.properties
        );
    }
}
