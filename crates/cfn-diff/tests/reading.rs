//! What a template says, however it is written: YAML short forms with
//! empty arguments, the functions only `Rules` use, and `Fn::ForEach`
//! loops, expanded as CloudFormation expands them.

mod common;

use cfn_diff::{ChangeKind, Impact, ParseError, RefusalKind, ResourceChange, Template, TemplateDiff};
use common::{pair, pair_templates};

fn resource<'d>(d: &'d TemplateDiff, id: &str) -> &'d ResourceChange {
    d.resources.iter().find(|r| r.logical_id == id).unwrap_or_else(|| panic!("no change for {id}: {d:#?}"))
}

fn changed(d: &TemplateDiff) -> Vec<&str> {
    let mut ids: Vec<&str> = d.resources.iter().map(|r| r.logical_id.as_str()).collect();
    ids.sort();
    ids
}

#[test]
fn get_azs_of_the_stacks_region_is_one_value_however_written() {
    let (old, _) = pair_templates("yaml-forms");
    // `!GetAZs` alone, like `!GetAZs ''`, is the empty string, never null.
    let az = |id: &str| old.resources[id].properties["AvailabilityZone"]["Fn::Select"][1].clone();
    for id in ["SubnetA", "SubnetB", "SubnetC"] {
        assert_eq!(az(id), serde_json::json!({"Fn::GetAZs": ""}), "{id}");
    }
    let d = pair("yaml-forms");
    // `''`, nothing and `!Ref AWS::Region` name the same zones: only the
    // subnet moved to another region's zones is replaced.
    assert_eq!(changed(&d), ["SubnetD"], "{}", d.summary.line);
    let subnet = resource(&d, "SubnetD");
    assert_eq!(subnet.impact, Impact::Replace);
    assert_eq!(subnet.properties[0].path, "AvailabilityZone");
}

#[test]
fn rules_read_in_short_and_long_form() {
    let (old, new) = pair_templates("yaml-forms");
    let rules = old.section("Rules").expect("a Rules section");
    assert_eq!(
        rules["SubnetsInVpc"]["Assertions"][0]["Assert"],
        serde_json::json!({"Fn::EachMemberIn": [
            {"Fn::ValueOfAll": ["AWS::EC2::Subnet::Id", "VpcId"]},
            {"Fn::RefAll": "AWS::EC2::VPC::Id"}
        ]})
    );
    assert_eq!(
        rules["ProdPlacement"]["Assertions"][0]["Assert"]["Fn::Contains"][1],
        serde_json::json!({"Fn::ValueOf": ["FirstSubnet", "AvailabilityZone"]})
    );
    assert_eq!(new.section("Rules").unwrap()["SubnetsInVpc"], rules["SubnetsInVpc"]);
    let d = pair("yaml-forms");
    let rules: Vec<(&str, &str)> = d
        .sections
        .iter()
        .filter(|s| s.section == "Rules")
        .flat_map(|s| s.changes.iter().map(move |c| (s.key.as_deref().unwrap_or(""), c.path.as_str())))
        .collect();
    assert_eq!(rules, [("ProdPlacement", "Assertions[0].Assert")]);
}

#[test]
fn loops_over_literal_lists_are_the_resources_they_make() {
    let (old, new) = pair_templates("foreach");
    let ids: Vec<&str> = new.resources.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "Bucketlogs",
            "Policylogs",
            "Bucketdatalake",
            "Policydatalake",
            "Bucketarchive",
            "Policyarchive",
            "Queue${QueueName}",
            "TopicAlerts",
            "TopicAlarms"
        ]
    );
    // `&{Name}` drops the dash from the key, `${Name}` keeps it in the text;
    // `!Ref Name` is the item, and a Sub left without variables its text.
    let bucket = &new.resources["Bucketdatalake"].properties;
    assert_eq!(bucket["BucketName"], serde_json::json!({"Fn::Sub": "acme-data-lake-${AWS::AccountId}"}));
    assert_eq!(bucket["Tags"][0]["Value"], "data-lake");
    assert_eq!(
        new.resources["Policydatalake"].properties["Bucket"],
        serde_json::json!({"Ref": "Bucketdatalake"})
    );
    assert_eq!(
        old.section("Outputs").unwrap()["BucketauditArn"]["Value"],
        serde_json::json!({"Fn::GetAtt": ["Bucketaudit", "Arn"]})
    );

    let d = pair("foreach");
    // The item dropped from the list is a retained bucket leaving the stack.
    let audit = resource(&d, "Bucketaudit");
    assert_eq!((audit.kind, audit.orphans.is_some()), (ChangeKind::Removed, true));
    assert_eq!(resource(&d, "Policyaudit").kind, ChangeKind::Removed);
    assert_eq!(resource(&d, "Bucketarchive").kind, ChangeKind::Added);
    // The fragment's edit updates every bucket it makes.
    for id in ["Bucketlogs", "Bucketdatalake"] {
        let b = resource(&d, id);
        assert_eq!(
            (b.impact, b.properties[0].path.as_str()),
            (Impact::Update, "VersioningConfiguration"),
            "{id}"
        );
    }
    // Topics written out before and made by a loop now are the same.
    assert!(d.resources.iter().all(|r| !r.logical_id.starts_with("Topic")), "{}", d.summary.line);
    let outputs: Vec<(&str, ChangeKind)> = d
        .sections
        .iter()
        .filter(|s| s.section == "Outputs")
        .map(|s| (s.key.as_deref().unwrap_or(""), s.kind))
        .collect();
    assert_eq!(outputs, [("BucketarchiveArn", ChangeKind::Added), ("BucketauditArn", ChangeKind::Removed)]);
}

#[test]
fn a_loop_over_a_parameter_is_compared_as_written_and_says_so() {
    let (old, _) = pair_templates("foreach");
    assert_eq!(old.open_loops.len(), 1);
    let d = pair("foreach");
    let queues = resource(&d, "Queue${QueueName}");
    assert_eq!(queues.kind, ChangeKind::Modified);
    assert_eq!((queues.impact, queues.properties[0].path.as_str()), (Impact::Update, "VisibilityTimeout"));
    assert_eq!(
        queues.notes,
        ["made by `Fn::ForEach::Queues` once for each item of `!Ref QueueNames`, known only at deploy time: compared as written, with `${QueueName}` standing for every item"]
    );
}

fn parse_error(text: &str) -> ParseError {
    Template::parse("t.yaml", text).expect_err("an error")
}

#[test]
fn misshapen_and_exploding_loops_are_errors_that_point_at_them() {
    let e = parse_error("Resources:\n  Fn::ForEach::Buckets:\n    - Name\n    - [a, b]\n");
    assert_eq!(
        e.to_string(),
        "t.yaml:2:3: Resources.Fn::ForEach::Buckets: expected a list of an identifier, a collection and a mapping of output keys to values, found a list of 2 values (`Fn::ForEach::Name: [Identifier, [Item1, Item2], {\"Key${Identifier}\": Value}]`)"
    );
    let e = parse_error(
        "Resources:\n  Fn::ForEach::Topics:\n    - Name\n    - [a, b]\n    - Topic:\n        Type: AWS::SNS::Topic\n",
    );
    let ParseError::Refused(r) = e else { panic!("{e}") };
    assert_eq!(r.kind, RefusalKind::RepeatedKey);
    assert!(r.to_string().contains("the loops here make the key `Topic` twice"), "{r}");
    // Two nested loops of 1,000 items make a million resources from a few lines.
    let items: Vec<String> = (0..1000).map(|i| format!("i{i}")).collect();
    let list = items.join(", ");
    let text = format!(
        "Resources:\n  Fn::ForEach::Outer:\n    - A\n    - [{list}]\n    - Fn::ForEach::Inner:\n        - B\n        - [{list}]\n        - T${{A}}${{B}}:\n            Type: AWS::SNS::Topic\n"
    );
    let ParseError::Refused(r) = parse_error(&text) else { panic!("a refusal") };
    assert_eq!(r.kind, RefusalKind::TooManyValues, "{r}");
    assert!(r.to_string().contains("the Fn::ForEach loops expand to more than 500,000 values"), "{r}");
}
