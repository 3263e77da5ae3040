//! `synth --mdaa` holds what the READMEs say of it: `{{env_var:…}}`,
//! `!include`, `permissions_boundary_arn`, warnings for keys without
//! effect; instances of other modules skipped on `module_path` alone; and
//! every value form MDAA resolves for bedrock-settings and audit resolved
//! the same way, MDAA's own samples included.

mod common;

use std::path::PathBuf;
use std::process::Output;

use serde_json::{json, Value};

/// A bedrock-settings resource's logical ID in an `--mdaa` template.
fn bs(id: &str) -> String {
    common::written_id(bedrock_settings::MDAA_CONSTRUCT_PATHS, id)
}

/// An audit resource's logical ID in an `--mdaa` template.
fn au(id: &str) -> String {
    common::written_id(audit::MDAA_CONSTRUCT_PATHS, id)
}

/// An estate in a temporary folder: `files` as (path, text).
struct Estate {
    dir: tempfile::TempDir,
}

impl Estate {
    fn new(files: &[(&str, &str)]) -> Estate {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Estate { dir }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// `synth --mdaa mdaa.yaml --out-dir out`, with `env` set.
    fn run(&self, env: &[(&str, &str)]) -> Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_synth"));
        cmd.args(["--mdaa", "mdaa.yaml", "--out-dir", "out"]).current_dir(self.dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("synth runs")
    }

    /// Runs it, expecting success; the stderr.
    fn ok(&self, env: &[(&str, &str)]) -> String {
        let run = self.run(env);
        let err = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(0), "{err}");
        err
    }

    /// Runs it, expecting exit 2 and nothing written; the stderr.
    fn fails(&self, env: &[(&str, &str)]) -> String {
        let run = self.run(env);
        let err = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(2), "{err}");
        assert!(!self.out().exists());
        err
    }

    fn template(&self, relative: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.out().join(relative)).unwrap()).unwrap()
    }

    fn manifest(&self) -> Value {
        self.template("manifest.json")
    }
}

/// One environment `d/dev` with the `modules:` given (indented for it).
fn mdaa_yaml(top: &str, modules: &str) -> String {
    format!(
        "organization: org\n{top}domains:\n  d:\n    environments:\n      dev:\n        modules:\n{modules}"
    )
}

fn resources_of_type<'t>(t: &'t Value, kind: &str) -> Vec<(&'t String, &'t Value)> {
    t["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == kind).collect()
}

/// `{{env_var:NAME}}` reads the environment synth runs in, in module
/// configs, inline config and tags; an unset variable is an error where it
/// is written.
#[test]
fn env_var_placeholders_read_the_environment() {
    let e = Estate::new(&[
        (
            "mdaa.yaml",
            &mdaa_yaml(
                "tag_config_data:\n  owner: '{{env_var:OWNER}}'\n",
                "          logs:\n            module_path: '@aws-mdaa/bedrock-settings'\n            module_configs: [./logs.yaml]\n            module_config_data:\n              cloudwatchLogRetentionDays: '{{env_var:DAYS}}'\n",
            ),
        ),
        ("logs.yaml", "enableAuditLoggingToCloudwatch: '{{env_var:CLOUDWATCH}}'\n"),
    ]);
    let unset = |name: &str, at: &str, err: &str| {
        let line = format!("{at}: `{{{{env_var:{name}}}}}`: the environment variable `{name}` is not set");
        assert!(err.lines().any(|l| l.contains(&line)), "{name}: {err}");
    };
    // The config first, then the tags: a config in error has no template to tag.
    let err = e.fails(&[]);
    unset("CLOUDWATCH", "logs.yaml:1:1: `enableAuditLoggingToCloudwatch`", &err);
    let days = "mdaa.yaml:13:15: `domains.d.environments.dev.modules.logs.module_config_data.cloudwatchLogRetentionDays`";
    unset("DAYS", days, &err);
    let err = e.fails(&[("CLOUDWATCH", "true"), ("DAYS", "30")]);
    unset("OWNER", "mdaa.yaml:3:3: `tag_config_data.owner`", &err);
    e.ok(&[("OWNER", "data-team"), ("CLOUDWATCH", "true"), ("DAYS", "30")]);
    let t = e.template("d/dev/logs.json");
    let group = &resources_of_type(&t, "AWS::Logs::LogGroup")
        .into_iter()
        .find(|(id, _)| **id == bs("InvocationLogsLogGroup"))
        .unwrap()
        .1["Properties"];
    assert_eq!(group["RetentionInDays"], 30);
    assert!(group["Tags"].as_array().unwrap().contains(&json!({"Key": "owner", "Value": "data-team"})));
}

/// `!include FILE` in a module config or tag file is the text of FILE,
/// relative to the file with the tag; each file is read once; included text
/// is bounded; in the mdaa.yaml, which MDAA's CLI reads without the tag, it
/// is an error.
#[test]
fn include_reads_text_relative_to_the_including_file() {
    let suppression = "nag_suppressions:\n  by_path:\n    - path: /org-dev-d-logs/AuditKey/Resource\n      suppressions:\n        - id: AwsSolutions-KMS5\n          reason: !include ../reasons/kms.txt\n";
    let e = Estate::new(&[
        (
            "mdaa.yaml",
            &mdaa_yaml(
                "tag_configs: [./tags/tags.yaml]\n",
                "          logs:\n            module_path: '@aws-mdaa/bedrock-settings'\n            module_configs: [./configs/logs.yaml]\n",
            ),
        ),
        ("configs/logs.yaml", &format!("enableAuditLoggingToS3: true\n{suppression}")),
        ("reasons/kms.txt", "rotation is the account's {{org}} policy"),
        ("tags/tags.yaml", "tags:\n  owner: !include owner.txt\n"),
        ("tags/owner.txt", "data-team"),
    ]);
    e.ok(&[]);
    let t = e.template("d/dev/logs.json");
    let key = &t["Resources"][bs("AuditKey")];
    let rules = key["Metadata"]["cdk_nag"]["rules_to_suppress"].as_array().unwrap();
    // Placeholders in included text resolve, as in MDAA, where the text is a config value.
    assert!(
        rules.contains(&json!({"id": "AwsSolutions-KMS5", "reason": "rotation is the account's org policy"})),
        "{rules:?}"
    );
    assert!(key["Properties"]["Tags"]
        .as_array()
        .unwrap()
        .contains(&json!({"Key": "owner", "Value": "data-team"})));

    // A missing include is an error at the tag.
    std::fs::remove_file(e.dir.path().join("tags/owner.txt")).unwrap();
    std::fs::remove_dir_all(e.out()).unwrap();
    let err = e.fails(&[]);
    let missing = "tags/tags.yaml:2:3: `tags.owner`: `!include owner.txt`: tags/owner.txt does not exist";
    assert!(err.contains(missing), "{err}");

    // Aliases of one include count each time: 2,000 copies of 1 KB pass the bound.
    let many: String = (0..2000).map(|i| format!("  k{i}: *big\n")).collect();
    std::fs::write(e.dir.path().join("tags/owner.txt"), "x".repeat(1000)).unwrap();
    std::fs::write(
        e.dir.path().join("tags/tags.yaml"),
        format!("big: &big !include owner.txt\ntags:\n{many}"),
    )
    .unwrap();
    let err = e.fails(&[]);
    assert!(err.contains("the included files come to more than 1,048,576 bytes in all"), "{err}");

    // The mdaa.yaml's own `!include` is refused, as MDAA would read a file name.
    let e = Estate::new(&[(
        "mdaa.yaml",
        &mdaa_yaml(
            "",
            "          logs:\n            module_path: '@aws-mdaa/bedrock-settings'\n            module_config_data:\n              enableAuditLoggingToS3: !include flag.txt\n",
        ),
    )]);
    let err = e.fails(&[]);
    assert!(err.contains("`!include` is not read in the mdaa.yaml"), "{err}");
}

/// `permissions_boundary_arn`, from the nearest level that sets it, bounds
/// every IAM role of the instance's template, as CDK's aspect in MDAA's app
/// does; a value that is not a managed policy ARN is an error at its place.
#[test]
fn the_permissions_boundary_bounds_every_role() {
    let modules = "          logs:\n            module_path: '@aws-mdaa/bedrock-settings'\n            module_config_data: {enableAuditLoggingToS3: true, enableAuditLoggingToCloudwatch: true}\n          audit:\n            module_path: '@aws-mdaa/audit'\n            module_config_data:\n              readRoles: [{name: Auditor}]\n";
    let top = "permissions_boundary_arn: arn:aws:iam::111122223333:policy/org-boundary\n";
    let e = Estate::new(&[("mdaa.yaml", &mdaa_yaml(top, modules))]);
    e.ok(&[]);
    for template in ["d/dev/logs.json", "d/dev/audit.json"] {
        let t = e.template(template);
        let roles = resources_of_type(&t, "AWS::IAM::Role");
        assert!(!roles.is_empty(), "{template}");
        for (id, role) in roles {
            assert_eq!(
                role["Properties"]["PermissionsBoundary"], "arn:aws:iam::111122223333:policy/org-boundary",
                "{template}: {id}"
            );
        }
    }
    let e = Estate::new(&[("mdaa.yaml", &mdaa_yaml("permissions_boundary_arn: org-boundary\n", modules))]);
    let err = e.fails(&[]);
    assert!(
        err.contains("mdaa.yaml:2:1: `permissions_boundary_arn`: `org-boundary` is not a managed policy ARN"),
        "{err}"
    );
}

/// Keys that change nothing here are warnings on stderr, each where it is
/// written; the run succeeds.
#[test]
fn keys_without_effect_are_warned_of() {
    let e = Estate::new(&[(
        "mdaa.yaml",
        &mdaa_yaml(
            "mdaa_version: '1.6.0'\n",
            "          audit:\n            module_path: '@aws-mdaa/audit'\n            use_bootstrap: false\n            postdeploy: {command: ./notify.sh}\n",
        ),
    )]);
    let err = e.ok(&[]);
    for (at, key) in [
        ("mdaa.yaml:2:1", "`mdaa_version`: has no effect here"),
        ("mdaa.yaml:10:13", "`domains.d.environments.dev.modules.audit.use_bootstrap`: has no effect here"),
        ("mdaa.yaml:11:13", "`domains.d.environments.dev.modules.audit.postdeploy`: has no effect here"),
    ] {
        assert!(err.contains(&format!("warning: {at}: {key}")), "{key}: {err}");
    }
}

/// An instance of a module synth does not have is known by its
/// `module_path` alone: its `additional_accounts` (MDAA's smus_data_mesh
/// starter kit), a missing config file, odd keys and names, placeholders
/// nothing resolves are MDAA's to judge, and the run lists it as skipped.
#[test]
fn other_modules_are_skipped_on_module_path_alone() {
    let modules = "          datazone:\n            module_path: '@aws-mdaa/datazone'\n            additional_accounts: ['222222222222', '333333333333']\n            module_configs: [./missing/datazone.yaml]\n            tag_configs: ['./{{context:nowhere}}.yaml']\n            no_such_key: {anything: goes}\n            module_config_data:\n              domainName: '{{context:undefined}}'\n          Odd_Name:\n            module_path: ./local-module\n            custom_aspects: [{aspect_module: x, aspect_class: Y}]\n          tf:\n            module_path: '@aws-mdaa/audit'\n            module_type: tf\n            module_configs: [./missing/tf.yaml]\n          audit:\n            module_path: '@aws-mdaa/audit'\n";
    let e = Estate::new(&[("mdaa.yaml", &mdaa_yaml("", modules))]);
    let err = e.ok(&[]);
    assert!(!err.contains("warning") && !err.contains("error"), "{err}");
    let skipped: Vec<(String, String)> = e.manifest()["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["module"].as_str().unwrap().into(), s["reason"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("datazone".to_string(), "@aws-mdaa/datazone is not a module of this synth".to_string()),
            ("Odd_Name".into(), "not an npm module".into()),
            ("tf".into(), "a Terraform module".into()),
        ]
    );
    assert_eq!(e.manifest()["templates"].as_array().unwrap().len(), 1);
}

/// What MDAA's CLI hands its apps as text (quoted booleans, `{{context:…}}`
/// booleans and numbers) reaches the module as the type its schema wants,
/// as MDAA's config parser converts it; text that does not read so is the
/// module's error.
#[test]
fn quoted_and_context_values_take_the_type_the_module_wants() {
    let modules = "          logs:\n            module_path: '@aws-mdaa/bedrock-settings'\n            module_configs: [./logs.yaml]\n";
    let e = Estate::new(&[
        ("mdaa.yaml", &mdaa_yaml("context:\n  cloudwatch: true\n  days: 90\n", modules)),
        (
            "logs.yaml",
            "enableAuditLoggingToS3: 'true'\nenableAuditLoggingToCloudwatch: '{{context:cloudwatch}}'\ncloudwatchLogRetentionDays: '{{context:days}}'\n",
        ),
    ]);
    e.ok(&[]);
    let t = e.template("d/dev/logs.json");
    assert_eq!(t["Resources"][bs("InvocationLogsLogGroup")]["Properties"]["RetentionInDays"], 90);
    assert!(t["Resources"].get(bs("InvocationLogsBucket")).is_some());
    std::fs::remove_dir_all(e.out()).unwrap();
    std::fs::write(e.dir.path().join("logs.yaml"), "enableAuditLoggingToS3: 'yes'\n").unwrap();
    let err = e.fails(&[]);
    assert!(err.contains("logs.yaml:1:"), "{err}");
    assert!(err.contains("`enableAuditLoggingToS3`"), "{err}");
}

/// MDAA's own comprehensive audit sample, as MDAA ships it (a role named
/// twice, `{{partition}}`/`{{account}}` in an ARN, `{{context:…}}` source
/// accounts), and MDAA's other role-reference forms: braced and bare
/// `ssm-org`/`ssm-domain`/`ssm-env`, `sso`, `immutable`, `refId`.
#[test]
fn mdaa_s_audit_values_resolve_as_mdaa_resolves_them() {
    let sample = common::root()
        .join("crates/mdaa/tests/fixtures/reference/mdaa-audit/sample-config-comprehensive.yaml");
    let context = "context:\n  account-2: '222222222222'\n  account-3: '333333333333'\n";
    let modules = "          audit:\n            module_path: '@aws-mdaa/audit'\n            module_configs: [./sample.yaml]\n          forms:\n            module_path: '@aws-mdaa/audit'\n            module_configs: [./forms.yaml]\n";
    let forms = "readRoles:\n  - id: '{{ssm-org:/roles/auditor/id}}'\n  - id: ssm-domain:/roles/reader/id\n  - name: '{{ssm-env:roles/analyst/name}}'\n  - {name: Auditors, sso: true, refId: auditors, immutable: true}\n";
    let e = Estate::new(&[
        ("mdaa.yaml", &mdaa_yaml(context, modules)),
        ("sample.yaml", &std::fs::read_to_string(sample).unwrap()),
        ("forms.yaml", forms),
    ]);
    e.ok(&[]);
    let t = e.template("d/dev/audit.json");
    let r = &t["Resources"];
    let references: Vec<&String> = r
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v["Type"] == "Custom::AuditRoleReference")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(references, ["ReadRole1", "ReadRole2"], "AuditReadOnlyRole is resolved once");
    assert_eq!(r["ReadRole2"]["Properties"]["RoleName"], "AuditReadOnlyRole");
    let trail = r[au("AuditBucketPolicy")]["Properties"]["PolicyDocument"].to_string();
    assert!(trail.contains("AWSLogs/333333333333/") && trail.contains("AWSLogs/222222222222/"), "{trail}");

    let t = e.template("d/dev/forms.json");
    let p = &t["Parameters"];
    let ssm = |i: usize| p[format!("ReadRole{i}Parameter")]["Default"].clone();
    // Braced forms lower-case their path, as MDAA's naming does; bare ones keep it.
    assert_eq!(ssm(0), "/org/roles/auditor/id");
    assert_eq!(ssm(1), "/org/d/roles/reader/id");
    assert_eq!(ssm(2), "/org/d/dev/roles/analyst/name");
    assert_eq!(t["Resources"]["ReadRole3"]["Properties"]["SsoPermissionSet"], "Auditors");
}

/// MDAA's `nag_suppressions` paths (`/<stack>/<construct path>`): one that
/// names a resource of the template is recorded on it; one that names a
/// construct of MDAA's the template lacks is a warning, as MDAA skips it.
#[test]
fn mdaa_nag_suppression_paths_are_recorded_or_warned_of() {
    let config = "enableAuditLoggingToS3: true\nnag_suppressions:\n  by_path:\n    - path: /org-dev-d-logs/InvocationLogsBucket/Resource\n      suppressions: [{id: AwsSolutions-S10, reason: TLS is enforced by the bucket policy}]\n    - path: /org-dev-d-logs/custom/logs-model-invocation-provider/framework-onEvent/Resource\n      suppressions: [{id: AwsSolutions-L1, reason: MDAA's provider framework}]\n";
    let modules = "          logs:\n            module_path: '@aws-mdaa/bedrock-settings'\n            module_configs: [./logs.yaml]\n";
    let e = Estate::new(&[("mdaa.yaml", &mdaa_yaml("", modules)), ("logs.yaml", config)]);
    let err = e.ok(&[]);
    assert!(
        err.contains(
            "warning: logs.yaml:6:7: `nag_suppressions.by_path[1].path`: names no resource of this template"
        ),
        "{err}"
    );
    let t = e.template("d/dev/logs.json");
    let rules = t["Resources"][bs("InvocationLogsBucket")]["Metadata"]["cdk_nag"]["rules_to_suppress"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "AwsSolutions-S10"), "{rules:?}");
}

/// The suggestion for a name MDAA refuses is one it accepts.
#[test]
fn a_suggested_name_is_a_valid_one() {
    let e = Estate::new(&[(
        "mdaa.yaml",
        "organization: <unique-org-name>\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          audit:\n            module_path: '@aws-mdaa/audit'\n",
    )]);
    let err = e.fails(&[]);
    assert!(err.contains("help: try `unique-org-name`"), "{err}");
    std::fs::write(
        e.dir.path().join("mdaa.yaml"),
        "organization: unique-org-name\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          audit:\n            module_path: '@aws-mdaa/audit'\n",
    )
    .unwrap();
    e.ok(&[]);
}
