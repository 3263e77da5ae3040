//! Broken mdaa.yaml files and module configs get every problem at once, in
//! file order, each with file, line, column, key, what was expected and,
//! for near misses, a suggestion. The snapshots show the exact text.

use std::path::Path;

use mdaa::{resolve, Estate, KeyPath, SourceFile};

fn broken() -> Vec<(String, String)> {
    let mut files: Vec<_> =
        std::fs::read_dir("tests/fixtures/broken").unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap())).collect()
}

#[test]
fn every_broken_estate_is_refused_with_located_messages() {
    for (path, text) in broken() {
        let err = Estate::parse(SourceFile::new(&path, text), &mdaa::no_env).expect_err(&path);
        let message = err.to_string();
        assert!(
            err.0.iter().all(|d| d.position.is_some()),
            "{path} has an error without a position:\n{message}"
        );
        let positions: Vec<_> = err.0.iter().map(|d| d.position).collect();
        let mut sorted = positions.clone();
        sorted.sort();
        assert_eq!(positions, sorted, "{path}: not in file order");
        let stem = Path::new(&path).file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("estate-{stem}"), message);
    }
}

#[test]
fn typos_get_a_suggestion_and_the_key_path() {
    let (_, text) = broken().into_iter().find(|(p, _)| p.ends_with("several-problems.yaml")).unwrap();
    let err = Estate::parse(SourceFile::new("m.yaml", text), &mdaa::no_env).unwrap_err();
    let typo = err.0.iter().find(|d| d.key.as_deref() == Some("domains.shared.enviroments")).unwrap();
    assert_eq!(typo.position, Some((16, 5)));
    assert_eq!(typo.help.as_deref(), Some("did you mean `environments`?"));
    let module = err
        .0
        .iter()
        .find(|d| d.key.as_deref() == Some("domains.Data_Lake.environments.test.modules.audit.module_confgs"))
        .unwrap();
    assert_eq!(module.help.as_deref(), Some("did you mean `module_configs`?"));
}

#[test]
fn a_broken_template_reference_lists_the_templates_there_are() {
    let (_, text) = broken().into_iter().find(|(p, _)| p.ends_with("template-problems.yaml")).unwrap();
    let err = Estate::parse(SourceFile::new("m.yaml", text), &mdaa::no_env).unwrap_err();
    let d = err.0.iter().find(|d| d.problem.contains("no env template `goverend`")).unwrap();
    assert_eq!(
        d.expected.as_deref(),
        Some("one of `governed`, `lake` (from the top level and `domains.shared`)")
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `governed`?"));
}

#[test]
fn placeholders_that_cannot_resolve_are_located_in_the_config() {
    let estate =
        Estate::read(Path::new("tests/fixtures/placeholders/mdaa.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let config = SourceFile::read(Path::new("tests/fixtures/placeholders/bad-config.yaml")).unwrap();
    let scope = estate.scope(&estate.instances[0], &mdaa::no_env);
    let err = resolve(&config.parse().unwrap(), &KeyPath::root(), &config, &scope).unwrap_err();
    assert!(err.0.iter().all(|d| d.position.is_some()), "{err}");
    insta::assert_snapshot!("placeholders-bad-config", err.to_string());
}

/// Any prefix of a real estate, and pathological input, gives a result or
/// a located error: never a panic, never a stack overflow.
#[test]
fn odd_input_never_panics() {
    for path in ["tests/fixtures/estate/mdaa.yaml", "tests/fixtures/broken/several-problems.yaml"] {
        let text = std::fs::read_to_string(path).unwrap();
        for cut in (0..text.len()).filter(|i| text.is_char_boundary(*i)).step_by(7) {
            let _ = Estate::parse(SourceFile::new(path, &text[..cut]), &mdaa::no_env);
        }
    }
    let deep = format!("organization: o\ndomains: {}\n", "[".repeat(50_000));
    assert!(Estate::parse(SourceFile::new("deep.yaml", deep), &mdaa::no_env).is_err());

    let mut chain = String::from("organization: o\ncontext:\n");
    for i in 0..500 {
        chain.push_str(&format!("  c{i}: '{{{{context:c{}}}}}'\n", i + 1));
    }
    chain.push_str("  c500: end\ndomains:\n  d:\n    environments:\n      e:\n        modules:\n          m:\n            module_path: '@aws-mdaa/audit'\n            module_configs: ['{{context:c0}}.yaml']\n");
    let err = Estate::parse(SourceFile::new("chain.yaml", chain), &mdaa::no_env).unwrap_err();
    assert!(err.to_string().contains("refer to one another too deeply"), "{err}");

    let braces = format!("organization: o\ndomains:\n  d:\n    environments:\n      e:\n        modules:\n          m:\n            module_path: '{}x{}'\n", "{{".repeat(5_000), "}}".repeat(5_000));
    assert!(Estate::parse(SourceFile::new("braces.yaml", braces), &mdaa::no_env).is_err());
}
