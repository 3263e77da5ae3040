//! Bad configurations get errors that name the file, line, column and key,
//! say what was expected and suggest a fix; configurations built in code
//! meet the same rules; MDAA's placeholders are refused, except those a
//! role ARN can honour.

mod common;

use audit::{parse_config, validate, Config, Inventory, RoleRef};

#[test]
fn every_bad_config_is_rejected_with_a_located_message() {
    for (name, bytes) in common::files("tests/bad-configs", "yaml") {
        let file = format!("{name}.yaml");
        let err = parse_config(&module_kit::decode(&bytes, &file).unwrap(), &file).expect_err(&name);
        for e in &err.0 {
            assert!(e.position.is_some(), "{name} has an error without a position: {e}");
        }
        insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("audit-config-error-{name}"), err.to_string());
        });
    }
}

#[test]
fn the_samples_are_valid() {
    for (name, yaml) in common::samples() {
        parse_config(&yaml, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn arn_placeholders_become_the_stacks_partition_and_account() {
    let yaml = "readRoles:\n  - arn: arn:{{partition}}:iam::{{account}}:role/Admin\n  - arn: arn:aws-us-gov:iam::111122223333:role/team/Reader\n";
    let json = audit::synthesize(&parse_config(yaml, "c.yaml").unwrap()).to_json().unwrap();
    assert!(
        json.contains(r#""Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/Admin""#),
        "{json}"
    );
    assert!(
        json.contains(r#""Fn::Sub": "arn:${AWS::Partition}:iam::111122223333:role/team/Reader""#),
        "{json}"
    );
    assert!(!json.contains("{{") && !json.contains("aws-us-gov"), "{json}");
}

#[test]
fn a_config_built_in_code_meets_the_same_rules() {
    let mut c = Config::default();
    c.read_roles.push(RoleRef {
        name: Some("Reader".into()),
        id: Some("AROAEXAMPLEEXAMPLE12".into()),
        ..RoleRef::default()
    });
    c.source_regions.push("eu-west1".into());
    c.inventories
        .push(Inventory { bucket_name: "logs".into(), inventory_name: "{{context:inventory}}".into() });
    let err = validate(c).unwrap_err();
    let keys: Vec<_> = err.0.iter().map(|e| e.key.clone().unwrap()).collect();
    assert_eq!(keys, ["readRoles[0].id", "sourceRegions[0]", "inventories[0].inventoryName"], "{err}");
    assert!(err.0.iter().all(|e| e.file == module_kit::IN_CODE && e.position.is_none()));
    assert!(err.0[2].problem.contains("`{{context:inventory}}` is an MDAA placeholder"), "{err}");
}

#[test]
fn the_deploying_account_and_region_may_be_named_and_add_nothing() {
    let named = Config {
        source_accounts: vec!["{{account}}".into(), "444455556666".into()],
        source_regions: vec!["{{region}}".into()],
        ..Config::default()
    };
    let plain =
        Config { source_accounts: vec!["444455556666".into()], source_regions: vec![], ..Config::default() };
    let json = |c: Config| audit::synthesize(&validate(c).unwrap()).to_json().unwrap();
    assert_eq!(json(named), json(plain));
}

#[test]
fn the_lists_stop_at_their_limits() {
    let accounts = |n: usize| Config {
        source_accounts: (0..n).map(|i| format!("{:012}", 100_000_000_000 + i)).collect(),
        ..Config::default()
    };
    assert!(validate(accounts(audit::MAX_SOURCE_ACCOUNTS)).is_ok());
    let err = validate(accounts(audit::MAX_SOURCE_ACCOUNTS + 1)).unwrap_err();
    assert_eq!(err.0[0].key.as_deref(), Some("sourceAccounts"));
}
