//! The sample estate and MDAA's own test mdaa.yaml, read into module
//! instances with MDAA's inheritance and env template merging.

use std::path::{Path, PathBuf};

use mdaa::{Estate, ModulePath, ModuleType, SourceFile};

const ESTATE: &str = "tests/fixtures/estate/mdaa.yaml";

fn estate() -> Estate {
    Estate::read(Path::new(ESTATE)).unwrap_or_else(|e| panic!("{e}"))
}

fn find<'a>(estate: &'a Estate, label: &str) -> &'a mdaa::ModuleInstance {
    estate.instances.iter().find(|i| i.label() == label).unwrap_or_else(|| panic!("no instance {label}"))
}

#[test]
fn instances_come_in_mdaa_s_order() {
    let labels: Vec<String> = estate().instances.iter().map(|i| i.label()).collect();
    assert_eq!(
        labels,
        [
            "shared/dev/bedrock-settings",
            "shared/dev/audit",
            // The environment's own bedrock-settings replaces the template's in its place.
            "shared/prod/bedrock-settings",
            "shared/prod/audit",
            "analytics/dev/datalake",
            "analytics/dev/audit",
            "analytics/test/datalake",
            "analytics/test/bedrock-settings",
            "analytics/prod/audit",
        ]
    );
}

#[test]
fn parsing_is_deterministic() {
    let a = estate();
    let b = estate();
    assert_eq!(a.instances, b.instances);
    assert_eq!(a.warnings, b.warnings);
}

#[test]
fn accounts_and_regions_inherit_and_default_means_the_credentials() {
    let e = estate();
    let target = |label: &str| {
        let i = find(&e, label);
        (i.account.clone(), i.region.clone())
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(target("shared/dev/audit"), (some("222222222222"), some("eu-west-1")));
    assert_eq!(target("shared/prod/audit"), (some("333333333333"), some("us-east-1")));
    // `region: default` in the domain overrides the top level's region.
    assert_eq!(target("analytics/dev/audit"), (None, None));
    assert_eq!(target("analytics/prod/audit"), (some("444444444444"), None));
}

#[test]
fn context_merges_down_the_levels_and_from_the_template() {
    let e = estate();
    let keys = |label: &str| find(&e, label).context.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys("shared/dev/audit"), ["audit_reader", "log_account", "owner", "tier"]);
    assert_eq!(keys("analytics/dev/audit"), ["audit_reader", "log_account", "owner_email"]);
    let prod = find(&e, "analytics/prod/audit");
    assert_eq!(prod.context["log_account"].value.as_str(), Some("555555555555"));
    assert_eq!(
        prod.context["log_account"].at.to_string(),
        "domains.analytics.environments.prod.modules.audit.context.log_account"
    );
}

#[test]
fn config_files_resolve_against_the_mdaa_yaml_and_its_placeholders() {
    let e = estate();
    let files = |label: &str| {
        find(&e, label).module_configs.iter().map(|f| f.value.clone()).collect::<Vec<PathBuf>>()
    };
    let dir = Path::new("tests/fixtures/estate/configs");
    assert_eq!(files("shared/dev/bedrock-settings"), [dir.join("bedrock-settings.yaml")]);
    assert_eq!(
        files("shared/prod/bedrock-settings"),
        [dir.join("bedrock-settings.yaml"), dir.join("prod/bedrock-settings.yaml")]
    );
    assert!(files("analytics/dev/audit").is_empty());
    let read = mdaa::Files::read(&e).unwrap_or_else(|d| panic!("{d}"));
    assert!(read.get(&dir.join("prod/bedrock-settings.yaml")).is_some());
}

/// An estate of `n` instances in one environment, every one naming the
/// same config file and tag file.
fn named_often(dir: &Path, n: usize) -> Estate {
    std::fs::write(dir.join("shared.yaml"), "a: 1\n").unwrap();
    std::fs::write(dir.join("tags.yaml"), "tags:\n  team: data\n").unwrap();
    let mut yaml =
        String::from("organization: org\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n");
    for i in 0..n {
        // Half through a detour, which names the same file.
        let config = if i % 2 == 0 { "shared.yaml" } else { "./sub/../shared.yaml" };
        yaml.push_str(&format!(
            "          m{i}:\n            module_path: '@aws-mdaa/audit'\n            module_configs: [{config}]\n            tag_configs: [tags.yaml]\n"
        ));
    }
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    Estate::parse(SourceFile::new(dir.join("mdaa.yaml"), yaml), &mdaa::no_env).unwrap()
}

#[test]
fn a_file_named_by_400_instances_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let e = named_often(dir.path(), 400);
    assert_eq!(e.instances.len(), 400);
    let files = mdaa::Files::read(&e).unwrap_or_else(|d| panic!("{d}"));
    // One config and one tag file, each read from disk once.
    assert_eq!((files.len(), files.reads()), (2, 2));
    let first = files.get(&e.instances[0].module_configs[0].value).unwrap();
    let other = files.get(&e.instances[1].module_configs[0].value).unwrap();
    assert!(std::ptr::eq(first, other), "two names of one file share one copy");
}

#[cfg(unix)]
#[test]
fn configs_that_are_not_files_are_named_as_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let e = named_often(dir.path(), 1);
    std::fs::remove_file(dir.path().join("shared.yaml")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(dir.path().join("shared.yaml"))
        .status()
        .unwrap()
        .success());
    std::fs::remove_file(dir.path().join("tags.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("tags.yaml")).unwrap();
    let err = mdaa::Files::read(&e).unwrap_err().to_string();
    assert!(err.contains("shared.yaml` is a FIFO, not a file"), "{err}");
    assert!(err.contains("tags.yaml` is a directory, not a file"), "{err}");
    assert!(!err.contains("does not exist"), "{err}");
}

#[test]
fn an_alias_bomb_in_a_tag_file_is_refused_at_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let e = named_often(dir.path(), 1);
    let mut bomb = format!("a: &a [{}x]\n", "x, ".repeat(999));
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h"].iter().zip(["a", "b", "c", "d", "e", "f", "g"]) {
        bomb.push_str(&format!("{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    bomb.push_str("tags: {x: y}\n");
    std::fs::write(dir.path().join("tags.yaml"), bomb).unwrap();
    let err = mdaa::Files::read(&e).unwrap_err().to_string();
    assert!(err.contains("tags.yaml:1:"), "{err}");
    assert!(
        err.contains("holds more than 20,000 values (an alias counts its anchor's values again each time)"),
        "{err}"
    );
}

#[test]
fn module_paths_keep_their_version_and_type() {
    let e = estate();
    let prod = find(&e, "shared/prod/bedrock-settings");
    assert_eq!(
        prod.module_path,
        ModulePath::Package { name: "@aws-mdaa/bedrock-settings".into(), version: Some("1.6.0".into()) }
    );
    assert_eq!(prod.module_type, ModuleType::Cdk);
    assert_eq!(find(&e, "analytics/test/datalake").module_path.package(), Some("@aws-mdaa/datalake"));
}

#[test]
fn tags_come_from_every_level() {
    let e = estate();
    let prod = find(&e, "shared/prod/audit");
    assert_eq!(
        prod.tag_configs.iter().map(|t| t.value.clone()).collect::<Vec<_>>(),
        [PathBuf::from("tests/fixtures/estate/tags.yaml")]
    );
    let tags: Vec<(&str, &str)> =
        prod.tag_config_data.iter().map(|(k, v)| (k.as_str(), v.value.as_str())).collect();
    assert_eq!(tags, [("cost-center", "4711"), ("environment", "production")]);
}

#[test]
fn template_modules_remember_where_they_are_written() {
    let e = estate();
    let audit = find(&e, "shared/dev/audit");
    assert_eq!(audit.template.as_deref(), Some("governed"));
    assert_eq!(audit.entry.to_string(), "env_templates.governed.modules.audit");
    assert_eq!(audit.key().to_string(), "domains.shared.environments.dev.modules.audit");
    let own = find(&e, "shared/prod/bedrock-settings");
    assert_eq!(own.entry, own.key());
    assert_eq!(
        find(&e, "analytics/dev/datalake").entry.to_string(),
        "domains.analytics.env_templates.lake.modules.datalake"
    );
}

#[test]
fn inline_config_and_versions_are_kept() {
    let e = estate();
    let prod = find(&e, "shared/prod/bedrock-settings");
    let data = &prod.module_config_data["cloudwatchLogRetentionDays"];
    assert_eq!(data.value.as_u64(), Some(3653));
    assert_eq!(
        data.at.to_string(),
        "domains.shared.environments.prod.modules.bedrock-settings.module_config_data.cloudwatchLogRetentionDays"
    );
    assert_eq!(prod.mdaa_version.as_deref(), Some("1.6.0"));
}

#[test]
fn ignored_keys_are_warnings_with_a_position() {
    let e = estate();
    let text: Vec<String> = e.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0]
        .starts_with("warning: tests/fixtures/estate/mdaa.yaml:7:1: `mdaa_version`: has no effect here"));
}

#[test]
fn stack_names_are_mdaa_s() {
    let e = estate();
    assert_eq!(find(&e, "shared/dev/bedrock-settings").stack_name(), "acme-dev-shared-bedrock-settings");
}

#[test]
fn missing_files_are_reported_at_the_list_item_that_names_them() {
    let yaml =
        std::fs::read_to_string(ESTATE).unwrap().replace("./configs/audit.yaml", "./configs/nope.yaml");
    let e = Estate::parse(SourceFile::new(ESTATE, yaml), &mdaa::no_env).unwrap();
    let missing: Vec<String> = mdaa::Files::read(&e).unwrap_err().0.iter().map(ToString::to_string).collect();
    assert_eq!(missing.len(), 3, "{missing:?}");
    assert!(missing[0].starts_with(
        "error: tests/fixtures/estate/mdaa.yaml:28:11: `env_templates.governed.modules.audit.module_configs[0]`: `tests/fixtures/estate/configs/nope.yaml` does not exist (module `domains.shared.environments.dev.modules.audit`, from env template `governed`)"
    ), "{}", missing[0]);
}

/// MDAA's own test file uses `custom_aspects`, which is refused; without
/// it, the instances are those MDAA's CLI deploys.
#[test]
fn mdaa_s_own_test_file() {
    const FILE: &str = "tests/fixtures/reference/mdaa-cli-test-mdaa.yaml";
    let text = std::fs::read_to_string(FILE).unwrap();
    let err = Estate::parse(SourceFile::new(FILE, text.clone()), &mdaa::no_env).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(
        err.0[0].to_string().starts_with(&format!("error: {FILE}:20:1: `custom_aspects`: is not supported")),
        "{err}"
    );

    let start = text.find("custom_aspects:").unwrap();
    let end = text.find("# Env templates").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    let e = Estate::parse(SourceFile::new(FILE, without), &mdaa::no_env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.organization, "sample-org");
    let count = |domain: &str| e.instances.iter().filter(|i| i.domain == domain).count();
    assert_eq!([count("shared-domain"), count("domain1"), count("domain2"), count("domain3")], [4, 10, 6, 4]);
    let d1 = find(&e, "domain1/dev/roles");
    assert_eq!(d1.account.as_deref(), Some("dev_acct_num"));
    assert_eq!(d1.region.as_deref(), Some("test-env-specific-region"));
    // `account: default` in the environment overrides the domain's account.
    assert_eq!(find(&e, "domain3/dev/roles").account, None);
    let trail = find(&e, "shared-domain/dev/audit-trail");
    assert_eq!(
        trail.module_path,
        ModulePath::Package {
            name: "@aws-mdaa/audit-trail".into(),
            version: Some("test_spec_version".into())
        }
    );
    let dev =
        e.instances.iter().filter(|i| i.domain == "domain2").map(|i| i.name.as_str()).collect::<Vec<_>>();
    assert_eq!(
        dev,
        [
            "roles",
            "datalake",
            "athena-workgroup",
            "dataops-project-test",
            "dataops-crawler-test",
            "additional-module"
        ]
    );
    // Tag files: top level, domain, environment and module, in that order.
    assert_eq!(find(&e, "shared-domain/dev/audit").tag_configs.len(), 4);
    // Warnings for mdaa_version (top, env, module) and log_suppressions.
    let warned: Vec<String> = e.warnings.iter().map(|w| w.key.clone().unwrap_or_default()).collect();
    assert_eq!(
        warned,
        [
            "mdaa_version",
            "log_suppressions",
            "domains.shared-domain.environments.dev.mdaa_version",
            "domains.shared-domain.environments.dev.modules.audit.mdaa_version"
        ]
    );
}

/// The README's table of keys is the one the reader applies.
#[test]
fn the_readme_lists_every_key_as_the_reader_treats_it() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(
        readme.contains(&mdaa::key_table()),
        "README.md's table of keys is stale; paste mdaa::key_table()"
    );
}

/// Synthesis may write the instances' templates from several threads.
#[test]
fn estates_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Estate>();
    shared::<mdaa::ModuleInstance>();
    shared::<mdaa::Resolved>();
}

#[test]
fn legacy_caef_tags_follow_mdaa_s_context_flag() {
    let yaml = "organization: o\ncontext:\n  '@aws-mdaa/legacyCaefTags': 'false'\ndomains:\n  d:\n    environments:\n      e:\n        modules:\n          m: {module_path: '@aws-caef/audit'}\n          local: {module_path: ./apps/local}\n";
    let e = Estate::parse(SourceFile::new("mdaa.yaml", yaml), &mdaa::no_env).unwrap();
    // MDAA passes context as text, so even `'false'` turns the legacy tags on.
    let tags = e.instances[0].mdaa_tags().unwrap();
    assert_eq!(tags[0], ("caef_org".to_string(), "o".to_string()));
    assert_eq!(tags[3], ("caef_cdk_app".to_string(), "audit".to_string()));
    assert_eq!(e.instances[1].mdaa_tags(), None);
}

/// A module the reader is not asked for is known by its `module_path`
/// alone: its other keys, its name, its placeholders and its files are
/// neither read nor judged (MDAA's smus_data_mesh starter kit deploys one
/// with `additional_accounts`).
#[test]
fn modules_not_asked_for_are_read_by_module_path_alone() {
    let yaml = "organization: acme
domains:
  shared:
    environments:
      dev:
        modules:
          Mesh_Module:
            module_path: '@aws-mdaa/smus-data-mesh'
            additional_accounts: ['111122223333']
            module_configs: [./missing.yaml, './{{context:nowhere}}.yaml']
            unknown: key
          audit:
            module_path: '@aws-mdaa/audit'
";
    let file = || SourceFile::new("estate/mdaa.yaml", yaml);
    let asked = |p: &mdaa::ModulePath| p.package() == Some("@aws-mdaa/audit");
    let e = Estate::parse_for(file(), &mdaa::no_env, &asked).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        e.instances.iter().map(|i| (i.name.as_str(), i.selected)).collect::<Vec<_>>(),
        [("Mesh_Module", false), ("audit", true)]
    );
    assert!(e.instances[0].module_configs.is_empty() && e.warnings.is_empty());
    assert_eq!(e.instances[0].module_path.package(), Some("@aws-mdaa/smus-data-mesh"));
    assert_eq!(mdaa::Files::read(&e).unwrap().reads(), 0, "its missing files are not read");
    // Read in full, the same entry is judged.
    let err = Estate::parse(file(), &mdaa::no_env).unwrap_err().to_string();
    for problem in [
        "`Mesh_Module` is not allowed as a module name",
        "additional_accounts`: is not supported",
        "`domains.shared.environments.dev.modules.Mesh_Module.unknown`: unknown key",
    ] {
        assert!(err.contains(problem), "{problem}: {err}");
    }
}
