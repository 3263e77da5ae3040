//! A template cannot forge a report: logical IDs, types, values and policy
//! statements holding terminal controls, line breaks, Markdown fences,
//! HTML, or a graph language's quotes come out escaped, and each rendering
//! has exactly the lines, blocks, rows and statements of its plain twin:
//! the same templates with every character but letters, digits and line
//! feeds made an `x` (line feeds stay, as a multi-line value rightly gets a
//! line diff of its lines).

use cfn_diff::{diff, render, Format, Graph, RenderOptions, Template, TemplateDiff};
use serde_json::{json, Value};

/// What a hostile template writes where a name or a value goes.
const HOSTILE: [&str; 5] = [
    "A\r\u{1b}[2Kno differences",
    "B\n```\n# Heading\n<details>",
    "C\"]\nclick r0 \"javascript:x\"\n\u{7}\u{8}",
    "D\\\"; evil [label=\"x\"]\n| a | b |",
    "E\u{202e}\u{2028}`|<img src=x>` @team",
];

/// A hostile text's plain twin: as long, with its line feeds where they were.
fn twin(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '\n' { c } else { 'x' }).collect()
}

/// A pair of templates whose every changing name and value is one of
/// `names`: an update, a replacement, an addition, a removal, a renamed
/// logical ID, a policy statement, a long text with a line diff, a
/// section change, and references for the graph.
fn templates(names: &[String]) -> (Template, Template) {
    let [a, b, c, d, e] = [&names[0], &names[1], &names[2], &names[3], &names[4]].map(String::as_str);
    let policy = |action: &str, resource: &str| {
        json!({"Statement": [{"Sid": d, "Effect": "Allow", "Principal": {"AWS": e}, "Action": action, "Resource": resource,
            "Condition": {"StringEquals": {a: b}}}]})
    };
    let code = |line: &str| format!("import os\n{line}\ndef handler(event, context):\n    return '{c}'\n");
    let old = json!({
        "Description": a,
        "Parameters": {b: {"Type": "String", "Default": c}},
        "Resources": {
            a: {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": b, "Tags": [{"Key": c, "Value": d}]}},
            b: {"Type": "AWS::IAM::Role", "DependsOn": a, "Properties": {
                "AssumeRolePolicyDocument": policy("sts:AssumeRole", "*"),
                "Policies": [{"PolicyName": e, "PolicyDocument": policy("s3:GetObject", &format!("arn:aws:s3:::{a}"))}]}},
            c: {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": code(a)}, "Role": {"Fn::GetAtt": [b, "Arn"]}}},
            d: {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain", "Properties": {"QueueName": e}},
            format!("{e}old"): {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": format!("${{{a}}}")}}}
        },
        "Outputs": {c: {"Value": {"Ref": a}}}
    });
    let new = json!({
        "Description": e,
        "Parameters": {b: {"Type": "String", "Default": d}},
        "Resources": {
            a: {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": c, "Tags": [{"Key": c, "Value": e}]}},
            b: {"Type": "AWS::IAM::Role", "DependsOn": a, "Properties": {
                "AssumeRolePolicyDocument": policy("sts:AssumeRole", "*"),
                "Policies": [{"PolicyName": e, "PolicyDocument": policy("s3:*", "*")}]}},
            c: {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": code(b)}, "Role": {"Fn::GetAtt": [b, "Arn"]}}},
            format!("{e}new"): {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": format!("${{{a}}}")}}},
            format!("{a}{b}"): {"Type": a, "Properties": {d: e}}
        },
        "Outputs": {c: {"Value": {"Ref": a}}, d: {"Value": b}}
    });
    let parse = |name: &str, v: Value| Template::parse(name, &v.to_string()).expect("a template");
    (parse("old.json", old), parse("new.json", new))
}

fn both() -> ((Template, Template, TemplateDiff), (Template, Template, TemplateDiff)) {
    let (ho, hn) = templates(&HOSTILE.map(str::to_string));
    let (po, pn) = templates(&HOSTILE.map(twin));
    let (hd, pd) = (diff(&ho, &hn), diff(&po, &pn));
    ((ho, hn, hd), (po, pn, pd))
}

/// Characters that drive a terminal or reorder text, which no rendering
/// may hold (colour is off).
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn the_hostile_pair_makes_the_same_diff_as_the_plain_one() {
    let ((_, _, hd), (_, _, pd)) = both();
    assert_eq!(hd.summary.line, pd.summary.line);
    assert!(hd.resources.len() >= 5 && !hd.security.is_empty() && !hd.sections.is_empty(), "{hd:#?}");
    assert!(hd.resources.iter().any(|r| r.properties.iter().any(|p| p.line_diff.is_some())));
}

#[test]
fn text_cannot_erase_or_forge_a_line() {
    let ((_, _, hd), (_, _, pd)) = both();
    let hostile = render(&hd, Format::Text, &RenderOptions::default());
    let plain = render(&pd, Format::Text, &RenderOptions::default());
    assert_eq!(raw_controls(&hostile), Vec::<char>::new(), "{hostile}");
    assert_eq!(hostile.lines().count(), plain.lines().count(), "{hostile}\n---\n{plain}");
    assert!(hostile.contains(r"A\r\u{1b}[2Kno differences"), "{hostile}");
    assert!(!hostile.lines().any(|l| l.starts_with("no differences") || l.starts_with("# Heading")));
    // With colour, the only escape sequences are the report's own colours.
    let coloured = render(&hd, Format::Text, &RenderOptions { color: true, mermaid: None });
    let foreign: Vec<&str> =
        coloured.split('\u{1b}').skip(1).filter(|s| !s.starts_with(['[']) || s.starts_with("[2K")).collect();
    assert!(foreign.is_empty(), "{foreign:?}");
}

/// The structure of a Markdown text as CommonMark reads it: fenced code
/// (a fence closes only with at least as many backticks, indented at most
/// three spaces), headings, folds, and table rows with their cells (pipes
/// no backslash escapes).
fn markdown_shape(md: &str) -> Vec<String> {
    let mut open: Option<usize> = None;
    let mut shape = Vec::new();
    for l in md.lines() {
        let indent = l.len() - l.trim_start_matches(' ').len();
        let body = l.trim_start_matches(' ');
        let ticks = body.len() - body.trim_start_matches('`').len();
        let is_fence = indent <= 3 && ticks >= 3;
        match open {
            Some(n) if is_fence && ticks >= n && body[ticks..].trim().is_empty() => {
                open = None;
                shape.push("close".to_string());
            }
            Some(_) => shape.push("code".to_string()),
            None if is_fence => {
                open = Some(ticks);
                shape.push(format!("open {}", &body[ticks..]));
            }
            None if indent <= 3 && body.starts_with('#') => {
                shape.push(format!("heading {}", body.split(' ').next().unwrap_or("")))
            }
            None if l.starts_with('|') => {
                let (mut cells, mut escaped) = (0, false);
                for c in l.chars() {
                    if c == '|' && !escaped {
                        cells += 1;
                    }
                    escaped = c == '\\' && !escaped;
                }
                shape.push(format!("row {cells}"));
            }
            // An HTML block starts only at the start of a line.
            None if indent <= 3 && body.starts_with('<') => {
                shape.push(format!("html {}", l.matches('<').count()))
            }
            None => shape.push("line".to_string()),
        }
    }
    shape
}

#[test]
fn markdown_cannot_close_a_fence_a_table_or_a_fold() {
    let ((ho, hn, hd), (po, pn, pd)) = both();
    let options = |o: &Template, n: &Template, d: &TemplateDiff| RenderOptions {
        color: false,
        mermaid: Some(Graph::of_diff(o, n, d).mermaid()),
    };
    let hostile = render(&hd, Format::Markdown, &options(&ho, &hn, &hd));
    let plain = render(&pd, Format::Markdown, &options(&po, &pn, &pd));
    assert_eq!(raw_controls(&hostile), Vec::<char>::new(), "{hostile}");
    assert_eq!(markdown_shape(&hostile), markdown_shape(&plain), "{hostile}\n---\n{plain}");
    // HTML from the template shows as text: escaped in prose, literal in code.
    assert!(hostile.contains("\\<img src=x\\>"), "{hostile}");
    assert!(hostile.contains("| ``E\\u{202e}\\u{2028}`\\|<img src=x>` @team`` |"), "{hostile}");
    assert!(!hostile.lines().any(|l| l.trim_start().starts_with("<img") || l.starts_with("# Heading")));
}

/// A line with the text of each quoted string taken out: what is left is
/// the syntax around them. A backslash escapes the next character.
fn skeleton(line: &str) -> String {
    let (mut out, mut quoted, mut chars) = (String::new(), false, line.chars());
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                out.push('"');
            }
            c if !quoted => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn mermaid_cannot_add_a_node_an_edge_or_a_statement() {
    let ((ho, hn, hd), (po, pn, pd)) = both();
    for (hostile, plain) in [
        (Graph::of_diff(&ho, &hn, &hd).mermaid(), Graph::of_diff(&po, &pn, &pd).mermaid()),
        (Graph::of(&hn).mermaid(), Graph::of(&pn).mermaid()),
    ] {
        assert_eq!(raw_controls(&hostile), Vec::<char>::new(), "{hostile}");
        assert_eq!(hostile.lines().count(), plain.lines().count(), "{hostile}\n---\n{plain}");
        // Mermaid has no backslash escapes: a quote ends a label.
        let mermaid_skeleton = |l: &str| skeleton(&l.replace('\\', ""));
        for (h, p) in hostile.lines().zip(plain.lines()) {
            assert_eq!(mermaid_skeleton(h), mermaid_skeleton(p), "{h}");
            assert!(!h.contains('`'), "{h}");
        }
    }
}

#[test]
fn dot_cannot_end_a_label_or_add_a_statement() {
    let ((ho, hn, hd), (po, pn, pd)) = both();
    let hostile = Graph::of_diff(&ho, &hn, &hd).dot();
    let plain = Graph::of_diff(&po, &pn, &pd).dot();
    assert_eq!(raw_controls(&hostile), Vec::<char>::new(), "{hostile}");
    assert_eq!(hostile.lines().count(), plain.lines().count(), "{hostile}\n---\n{plain}");
    // Line by line, the same statements with the same strings in them.
    for (h, p) in hostile.lines().zip(plain.lines()) {
        assert_eq!(skeleton(h), skeleton(p), "{h}");
    }
    assert!(hostile.contains(r#"D\\\"; evil [label=\"x\"]\\n| a | b |"#), "{hostile}");
}

#[test]
fn json_holds_the_same_strings_and_no_raw_control() {
    let ((_, _, hd), (_, _, pd)) = both();
    let hostile = render(&hd, Format::Json, &RenderOptions::default());
    let plain = render(&pd, Format::Json, &RenderOptions::default());
    assert_eq!(raw_controls(&hostile), Vec::<char>::new());
    assert!(!hostile.contains('\u{202e}') && hostile.contains("\\u202e"));
    assert_eq!(hostile.lines().count(), plain.lines().count());
    let back: Value = serde_json::from_str(&hostile).expect("valid JSON");
    assert_eq!(back, serde_json::to_value(&hd).unwrap(), "escaping changes no string");
}
