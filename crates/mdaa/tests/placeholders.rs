//! MDAA's placeholders resolved against module instances of the sample
//! estate: literal where the mdaa.yaml fixes a value, deploy-time markers
//! where it does not, SSM parameters as template parameters.

use std::path::Path;

use mdaa::{
    merge_module_configs, overlay, resolve, ssm_parameter_logical_id, DeployValue, Estate, KeyPath,
    ModuleInstance, Part, Resolved, SourceFile, Text,
};

fn estate() -> Estate {
    Estate::read(Path::new("tests/fixtures/estate/mdaa.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

fn find<'a>(e: &'a Estate, label: &str) -> &'a ModuleInstance {
    e.instances.iter().find(|i| i.label() == label).unwrap()
}

fn lit(s: &str) -> Part {
    Part::Literal(s.to_string())
}

fn dep(d: DeployValue) -> Part {
    Part::Deploy(d)
}

fn text(r: &Resolved) -> &[Part] {
    match r {
        Resolved::Text(t) => t.parts(),
        other => panic!("not text: {other:?}"),
    }
}

/// Resolves a module config file for an instance.
fn resolve_file(e: &Estate, i: &ModuleInstance, path: &Path) -> Result<Resolved, mdaa::Diagnostics> {
    let file = SourceFile::read(path)?;
    let value = file.parse()?;
    resolve(&value, &KeyPath::root(), &file, &e.scope(i, &mdaa::no_env))
}

#[test]
fn fixed_account_and_region_give_literal_arns() {
    let e = estate();
    let i = find(&e, "shared/dev/audit");
    let r = resolve_file(&e, i, &i.module_configs[0].value).unwrap();
    let roles = r.get("readRoles").unwrap();
    let Resolved::Seq(roles) = roles else { panic!() };
    assert_eq!(roles[0].get("arn").unwrap().as_str(), Some("arn:aws:iam::222222222222:role/Admin"));
    assert_eq!(
        text(roles[1].get("id").unwrap()),
        [dep(DeployValue::SsmParameter("/acme/shared/generated-role/auditor/id".into()))]
    );
    assert_eq!(
        text(roles[2].get("id").unwrap()),
        [dep(DeployValue::SsmParameter("/acme/shared/generated-role/data-admin/id".into()))]
    );
    assert_eq!(r.get("inventoryPrefix").unwrap().as_str(), Some("inventory/dev/"));
    assert_eq!(
        r.ssm_parameters().into_iter().collect::<Vec<_>>(),
        ["/acme/shared/generated-role/auditor/id", "/acme/shared/generated-role/data-admin/id"]
    );
}

#[test]
fn unfixed_values_become_deploy_time_markers() {
    let e = estate();
    let i = find(&e, "analytics/prod/audit");
    let r = resolve_file(&e, i, &i.module_configs[0].value).unwrap();
    let Some(Resolved::Seq(roles)) = r.get("readRoles") else { panic!() };
    assert_eq!(
        text(roles[0].get("arn").unwrap()),
        [lit("arn:"), dep(DeployValue::Partition), lit(":iam::444444444444:role/Admin")]
    );
    let Resolved::Text(arn) = roles[0].get("arn").unwrap() else { panic!() };
    assert_eq!(arn.to_sub(str::to_string), "arn:${AWS::Partition}:iam::444444444444:role/Admin");
}

#[test]
fn inline_config_reads_context_that_itself_has_placeholders() {
    let e = estate();
    let i = find(&e, "analytics/dev/audit");
    let r = e.resolve_inline(i, &mdaa::no_env).unwrap();
    let Some(Resolved::Seq(roles)) = r.get("readRoles") else { panic!("{r:?}") };
    assert_eq!(
        text(roles[0].get("arn").unwrap()),
        [
            lit("arn:"),
            dep(DeployValue::Partition),
            lit(":iam::"),
            dep(DeployValue::AccountId),
            lit(":role/AuditReader")
        ]
    );
    assert_eq!(
        r.get("sourceAccounts"),
        Some(&Resolved::Seq(vec![Resolved::Text(Text::literal("111111111111"))]))
    );

    let prod = e.resolve_inline(find(&e, "analytics/prod/audit"), &mdaa::no_env).unwrap();
    assert_eq!(
        prod.get("sourceAccounts").unwrap(),
        &Resolved::Seq(vec![Resolved::Text(Text::literal("555555555555"))])
    );
    assert_eq!(
        prod.get("sourceRegions").unwrap(),
        &Resolved::Seq(vec![Resolved::Text(Text::deploy(DeployValue::Region))])
    );
}

#[test]
fn files_merge_in_order_and_inline_config_goes_over_them() {
    let e = estate();
    let i = find(&e, "shared/prod/bedrock-settings");
    let files: Vec<Resolved> =
        i.module_configs.iter().map(|f| resolve_file(&e, i, &f.value).unwrap()).collect();
    let merged = overlay(merge_module_configs(files), e.resolve_inline(i, &mdaa::no_env).unwrap());
    let yaml = yaml_serde::to_string(&merged.literal_value().unwrap()).unwrap();
    assert_eq!(
        yaml,
        "enableAuditLoggingToCloudwatch: true\nenableAuditLoggingToS3: true\ntags:\n  module: bedrock-settings\n  environment: prod\ns3Lifecycle:\n  expireAfterDays: 2557\n\
         nag_suppressions:\n  by_path:\n  - path: /acme-prod-shared-bedrock-settings/InvocationLogsBucket/Resource\n    suppressions:\n\
         \x20   - id: AwsSolutions-S1\n      reason: already recorded by the module; kept once\n\
         \x20   - id: NIST.800.53.R5-S3DefaultEncryptionKMS\n      reason: the bucket is encrypted with the module's key; recorded as a prod exception\n\
         tokenUsageAlarms:\n  notificationTopicArn: arn:aws:sns:us-east-1:333333333333:ai-platform-alerts\n\
         \x20 accountTotal:\n    inputTokenThreshold: 50000000\n\
         cloudwatchLogRetentionDays: 3653\n"
    );
}

#[test]
fn tags_resolve_too() {
    let e = estate();
    let tags = e.resolve_tags(find(&e, "shared/prod/audit"), &mdaa::no_env).unwrap();
    assert_eq!(tags["environment"].as_literal(), Some("production"));
}

/// The SSM reference in MDAA's comprehensive audit sample becomes the
/// template parameter MDAA's baseline has, under the same logical ID.
#[test]
fn ssm_references_become_the_parameters_of_mdaa_s_baseline() {
    let sample =
        SourceFile::read(Path::new("tests/fixtures/reference/mdaa-audit/sample-config-comprehensive.yaml"))
            .unwrap();
    let context_file = SourceFile::new("mdaa.yaml", "");
    let mut context = mdaa::Context::new();
    for (k, v) in [("account-2", "222222222222"), ("account-3", "333333333333")] {
        context.insert(
            k.into(),
            mdaa::Sourced { value: yaml_serde::Value::String(v.into()), at: KeyPath::root() },
        );
    }
    let scope = mdaa::Scope {
        org: "test-org",
        domain: "test-domain",
        env: "test-env",
        module_name: "test-audit-main",
        account: None,
        region: None,
        context: &context,
        context_file: &context_file,
        env_vars: &mdaa::no_env,
    };
    let r = resolve(&sample.parse().unwrap(), &KeyPath::root(), &sample, &scope).unwrap();
    let params = r.ssm_parameters();
    assert_eq!(params.iter().collect::<Vec<_>>(), ["/sample-org/domain1/generated-role/test-role/id"]);

    let baseline: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            "tests/fixtures/reference/mdaa-audit/sample-config-comprehensive.baseline.json",
        )
        .unwrap(),
    )
    .unwrap();
    for name in &params {
        let id = ssm_parameter_logical_id(name).unwrap();
        let p = &baseline["Parameters"][&id];
        assert_eq!(p["Type"], "AWS::SSM::Parameter::Value<String>", "{id}");
        assert_eq!(p["Default"], name.as_str());
    }
    assert_eq!(
        r.get("sourceAccounts").unwrap(),
        &Resolved::Seq(vec![
            Resolved::Text(Text::literal("333333333333")),
            Resolved::Text(Text::literal("222222222222"))
        ])
    );
}

fn resolve_text(e: &Estate, yaml: &str) -> Result<Resolved, mdaa::Diagnostics> {
    let file = SourceFile::new("config.yaml", yaml);
    resolve(
        &file.parse().unwrap(),
        &KeyPath::root(),
        &file,
        &e.scope(find(e, "shared/dev/audit"), &|name| {
            (name == "SUBNETS").then(|| r#"["subnet-1","subnet-2"]"#.to_string())
        }),
    )
}

/// MDAA's other transformations, in one config.
const OTHER_TRANSFORMATIONS: &str = "\
policyDocument:
  Statement:
    - Action: [ssm:GetParameter]
      Resource: ssm:/param/arn
prefixed: ssm-domain:/Some/Path
braced: '{{ssm-env:Some/Path}}'
secret: '{{resolve:secretsmanager:db:SecretString:password}}'
'{{env}}-key': keyed
subnets: '{{env_var:SUBNETS}}'
partition: '{{partition}}'
";

#[test]
fn a_context_name_built_from_placeholders_must_exist() {
    let e = estate();
    let yaml = format!("{OTHER_TRANSFORMATIONS}nested: '{{{{context:{{{{env}}}}_missing}}}}'\n");
    let err = resolve_text(&e, &yaml).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(err.0[0].problem.contains("the context has no `dev_missing`"), "{err}");
    assert_eq!(err.0[0].position, Some((11, 1)));
}

#[test]
fn mdaa_s_other_transformations() {
    let e = estate();
    let r = resolve_text(&e, OTHER_TRANSFORMATIONS).unwrap();
    let statement = match r.get("policyDocument").unwrap().get("Statement").unwrap() {
        Resolved::Seq(s) => &s[0],
        other => panic!("{other:?}"),
    };
    assert_eq!(
        statement.get("Action").unwrap(),
        &Resolved::Seq(vec![Resolved::Text(Text::literal("ssm:GetParameter"))])
    );
    assert_eq!(
        text(statement.get("Resource").unwrap()),
        [dep(DeployValue::SsmParameter("/param/arn".into()))]
    );
    // The value form keeps the case; the braced form is lower-cased, and is
    // the same parameter's value (MDAA writes it as a dynamic reference).
    assert_eq!(
        text(r.get("prefixed").unwrap()),
        [dep(DeployValue::SsmParameter("/acme/shared/Some/Path".into()))]
    );
    assert_eq!(
        text(r.get("braced").unwrap()),
        [dep(DeployValue::SsmParameter("/acme/shared/dev/some/path".into()))]
    );
    assert_eq!(
        r.get("secret").unwrap().as_str(),
        Some("{{resolve:secretsmanager:db:SecretString:password}}")
    );
    assert_eq!(r.get("dev-key").unwrap().as_str(), Some("keyed"));
    assert_eq!(
        r.get("subnets").unwrap(),
        &Resolved::Seq(vec![
            Resolved::Text(Text::literal("subnet-1")),
            Resolved::Text(Text::literal("subnet-2"))
        ])
    );
    assert_eq!(r.get("partition").unwrap().as_str(), Some("aws"));
}

#[test]
fn naked_context_mappings_become_structure() {
    let yaml = "organization: o\ncontext:\n  net: {vpc: vpc-1, subnets: [a, b]}\ndomains:\n  d:\n    environments:\n      e:\n        modules:\n          m: {module_path: '@aws-mdaa/audit'}\n";
    let e = Estate::parse(SourceFile::new("mdaa.yaml", yaml), &mdaa::no_env).unwrap();
    let i = &e.instances[0];
    let file = SourceFile::new("c.yaml", "network: '{{context:net}}'\n");
    let r = resolve(&file.parse().unwrap(), &KeyPath::root(), &file, &e.scope(i, &mdaa::no_env)).unwrap();
    assert_eq!(r.get("network").unwrap().get("vpc").unwrap().as_str(), Some("vpc-1"));
}

/// An estate of one audit instance whose config is `config`, beside
/// `files`, read with its files.
fn estate_with_config(config: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Estate, mdaa::Files) {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "organization: acme\ndomains:\n  shared:\n    environments:\n      dev:\n        modules:\n          audit:\n            module_path: '@aws-mdaa/audit'\n            module_configs: [./configs/c.yaml, ./configs/c.yaml]\n";
    std::fs::create_dir_all(dir.path().join("configs")).unwrap();
    std::fs::write(dir.path().join("configs/c.yaml"), config).unwrap();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    let e = Estate::parse(SourceFile::new(dir.path().join("mdaa.yaml"), yaml), &mdaa::no_env).unwrap();
    let read = mdaa::Files::read(&e);
    (dir, e, read.unwrap_or_else(|d| panic!("{d}")))
}

/// `!include` is the text of a file relative to the file with the tag; its
/// placeholders resolve as the value's; each file is read once.
#[test]
fn include_reads_a_file_beside_the_config() {
    let config = "doc: !include policy.json\nagain: !include ./policy.json\nup: !include ../up.txt\n";
    let files = [("configs/policy.json", "{\"env\": \"{{env}}\"}"), ("up.txt", "!include loop.txt")];
    let (dir, e, read) = estate_with_config(config, &files);
    let c = read.get(&dir.path().join("configs/c.yaml")).unwrap();
    let r = resolve(&c.value, &KeyPath::root(), &c.file, &e.scope(&e.instances[0], &mdaa::no_env)).unwrap();
    assert_eq!(r.get("doc").unwrap().as_str(), Some("{\"env\": \"dev\"}"));
    assert_eq!(r.get("again").unwrap().as_str(), Some("{\"env\": \"dev\"}"));
    // Included text is not parsed: an include in it is text, so nothing nests or cycles.
    assert_eq!(r.get("up").unwrap().as_str(), Some("!include loop.txt"));
    assert_eq!(read.reads(), 3, "the config once, each included file once");
}

/// The mdaa.yaml's own `!include` is not MDAA's: its CLI reads the name as text.
#[test]
fn include_in_the_mdaa_yaml_is_refused() {
    let yaml = "organization: o\ndomains:\n  d:\n    environments:\n      e:\n        modules:\n          m:\n            module_path: '@aws-mdaa/audit'\n            module_config_data:\n              doc: !include policy.json\n";
    let e = Estate::parse(SourceFile::new("mdaa.yaml", yaml), &mdaa::no_env).unwrap();
    let err = e.resolve_inline(&e.instances[0], &mdaa::no_env).unwrap_err().to_string();
    assert!(err.contains("mdaa.yaml:10:15: `domains.d.environments.e.modules.m.module_config_data.doc`: `!include` is not read in the mdaa.yaml"), "{err}");
}

/// Context values that each name the next ten times: 8 levels would be
/// 10^8 substitutions from a few hundred bytes.
#[test]
fn context_values_that_multiply_are_refused_at_the_cap() {
    let mut context = String::from("    c0: x\n");
    for level in 1..=8 {
        let refs = format!("{{{{context:c{}}}}}", level - 1).repeat(10);
        context.push_str(&format!("    c{level}: '{refs}'\n"));
    }
    let yaml = format!(
        "organization: org\ncontext:\n{context}domains:\n  d:\n    environments:\n      dev:\n        modules:\n          m:\n            module_path: '@aws-mdaa/audit'\n"
    );
    let e = Estate::parse(SourceFile::new("mdaa.yaml", yaml), &mdaa::no_env).unwrap();
    let file = SourceFile::new("c.yaml", "big: '{{context:c8}}'\nsmall: '{{context:c2}}'\n");
    let err =
        resolve(&file.parse().unwrap(), &KeyPath::root(), &file, &e.scope(&e.instances[0], &mdaa::no_env))
            .unwrap_err();
    assert_eq!(err.0.len(), 1, "one report, and the work stops with it: {err}");
    let text = err.to_string();
    assert!(
        text.contains("the value at c.yaml:1:1 takes more than 10,000 context substitutions to resolve"),
        "{text}"
    );
    // Three levels (a thousand substitutions) are fine, 5,000 bytes each.
    let fine = SourceFile::new("c.yaml", "v: '{{context:c3}}'\n");
    let r =
        resolve(&fine.parse().unwrap(), &KeyPath::root(), &fine, &e.scope(&e.instances[0], &mdaa::no_env))
            .unwrap();
    assert_eq!(r.get("v").unwrap().as_str().map(str::len), Some(1000));
}

/// Few substitutions of a long value: refused by the size they add up to.
#[test]
fn context_text_is_capped_in_total_size() {
    let long = "x".repeat(200_000);
    let yaml = format!(
        "organization: org\ncontext:\n  long: {long}\n  twice: '{{{{context:long}}}}{{{{context:long}}}}'\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          m:\n            module_path: '@aws-mdaa/audit'\n"
    );
    let e = Estate::parse(SourceFile::new("mdaa.yaml", yaml), &mdaa::no_env).unwrap();
    let file =
        SourceFile::new("c.yaml", "a: '{{context:twice}}'\nb: '{{context:twice}}'\nc: '{{context:twice}}'\n");
    let err =
        resolve(&file.parse().unwrap(), &KeyPath::root(), &file, &e.scope(&e.instances[0], &mdaa::no_env))
            .unwrap_err()
            .to_string();
    assert!(
        err.contains(
            "context values expand to more than 1,048,576 bytes in all, passed in the value at c.yaml:2:1"
        ),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn include_of_a_device_is_refused_as_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("configs")).unwrap();
    std::fs::write(dir.path().join("configs/c.yaml"), "doc: !include /dev/zero\n").unwrap();
    let yaml = "organization: acme\ndomains:\n  shared:\n    environments:\n      dev:\n        modules:\n          audit:\n            module_path: '@aws-mdaa/audit'\n            module_configs: [./configs/c.yaml]\n";
    let e = Estate::parse(SourceFile::new(dir.path().join("mdaa.yaml"), yaml), &mdaa::no_env).unwrap();
    let err = mdaa::Files::read(&e).unwrap_err().to_string();
    assert!(err.contains("`!include /dev/zero`: /dev/zero is a character device, not a file"), "{err}");
}
