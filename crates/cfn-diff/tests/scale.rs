//! What the diff finds in large inputs of the shapes that cost it the most
//! (`benches/shapes.rs`; the benchmark times them at full size). Sizes are
//! past the point where the sequence diff stops being plain Myers, so the
//! bounded paths are the ones checked.

#[path = "../benches/shapes.rs"]
mod shapes;

use cfn_diff::{diff, diff_texts, ChangeKind, Impact, Template, TemplateDiff};

fn diff_pair(pair: &shapes::Pair) -> TemplateDiff {
    diff_texts("old.json", &pair.old, "new.json", &pair.new).expect("generated templates parse")
}

#[test]
fn four_thousand_renames_are_each_found() {
    let d = diff_pair(&shapes::plain_renames(4_000));
    assert_eq!(d.summary.renamed, 4_000, "{}", d.summary.line);
    for r in &d.resources {
        let n = r.logical_id.strip_prefix("Moved").expect("a new ID");
        assert_eq!((r.kind, r.old_logical_id.clone()), (ChangeKind::Renamed, Some(format!("Topic{n}"))));
    }
}

#[test]
fn a_chain_of_renamed_resources_referring_to_each_other_is_found_whole() {
    // Each queue's dead-letter queue is the next one: a rename is found
    // only once the one it refers to is.
    let d = diff_pair(&shapes::chained_renames(400));
    assert_eq!(d.summary.renamed, 400, "{}", d.summary.line);
    assert!(d.resources.iter().all(|r| r.kind == ChangeKind::Renamed && r.properties.is_empty()));
}

#[test]
fn resources_removed_and_added_are_not_renames() {
    let d = diff_pair(&shapes::removed_and_added(2_500));
    assert_eq!((d.summary.removed, d.summary.added, d.summary.renamed), (2_500, 2_500, 0));
}

#[test]
fn a_long_ordered_list_pairs_each_changed_item_in_place() {
    // Every other item replaced, one added: far past what Myers may take,
    // the items found once on each side still align the rest.
    let d = diff_pair(&shapes::long_list(4_000));
    let props = &d.resources[0].properties;
    assert_eq!(props.len(), 2_001);
    for (k, p) in props.iter().take(2_000).enumerate() {
        let i = 2 * k + 1;
        assert_eq!(p.path, format!("Items[{i}]"));
        assert_eq!(
            (p.old.as_ref(), p.new.as_ref()),
            (Some(&format!("item-{i}").into()), Some(&format!("new-{i}").into()))
        );
    }
    assert_eq!((props[2_000].path.as_str(), props[2_000].old.as_ref()), ("Items[4000]", None));
}

#[test]
fn long_inline_code_gets_a_line_diff_of_exactly_its_changed_lines() {
    let pair = shapes::inline_code(4_000);
    let d = diff_pair(&pair);
    let change = &d.resources[0].properties[0];
    assert_eq!((change.path.as_str(), change.impact), ("Code.ZipFile", Impact::Update));
    let text = change.line_diff.as_deref().expect("a line diff");
    let removed = text.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).count();
    let added = text.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).count();
    // 1,333 lines edited, and the 200 moved lines removed at the start
    // and added at the end (67 of them also edited).
    assert_eq!((removed, added), (1_333 + 200 - 67, 1_333 + 200 - 67), "{}", &text[..2_000]);
    assert!(
        text.contains("-v1 = f(1)\n+v1 = f(1, 2)\n") || text.contains("-v202 = f(202)\n+v202 = f(202, 2)\n")
    );
    let old = Template::parse("old.json", &pair.old).unwrap();
    assert_eq!(diff(&old, &old).resources.len(), 0);
}

#[test]
fn renames_and_unordered_items_match_whatever_the_order_of_their_keys() {
    // Renames and unordered lists are matched through an index of their
    // canonical forms, which must not depend on how keys are ordered
    // (policy conditions keep theirs in the canonical form).
    let old = r#"{"Resources": {"Old": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": "1"}, "Bool": {"aws:SecureTransport": "true"}}}]}}},
      "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d",
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"}]}}}}"#;
    let new = r#"{"Resources": {"New": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
        {"Condition": {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalAccount": "1"}},
         "Resource": "*", "Action": "s3:GetObject", "Effect": "Allow"}]}}},
      "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d",
        "SecurityGroupIngress": [{"CidrIp": "10.0.0.0/8", "ToPort": 443, "FromPort": 443, "IpProtocol": "tcp"}]}}}}"#;
    let d = diff_texts("old.json", old, "new.json", new).unwrap();
    assert_eq!(d.summary.line, "1 resource changed: 1 renamed");
}

#[test]
fn statements_of_a_large_policy_pair_with_the_ones_they_edit() {
    // A thousand statements each given a condition: past the pairs scored
    // one by one, a statement still pairs with the one sharing its rare
    // action and resource, not with every one sharing `s3:ListBucket`.
    let d = diff_pair(&shapes::large_policy(1_000));
    assert_eq!(d.security.len(), 1_000, "{}", d.summary.line);
    for s in &d.security {
        assert!(
            s.description.starts_with("Allow statement changed in identity policy")
                && s.description.contains("conditions tightened"),
            "{}",
            s.description
        );
    }
}
