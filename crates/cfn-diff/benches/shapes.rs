//! Generated template pairs of the shapes that cost a diff the most, each
//! template under the 1,000,000 bytes a template may have (so a pair is
//! up to 2 MB). Used by the benchmark and, at smaller sizes, by the tests
//! that check what the diff finds in them.
#![allow(dead_code)] // each user takes the shapes it needs

use serde_json::{json, Map, Value};

/// An old and a new template text.
pub struct Pair {
    /// The old template, as JSON text.
    pub old: String,
    /// The new template, as JSON text.
    pub new: String,
}

fn template(resources: Map<String, Value>) -> String {
    json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}).to_string()
}

/// `n` queues, each with the next as its dead-letter queue, all renamed:
/// each rename is found only once the one it refers to is, and each
/// refers to one written after it.
pub fn chained_renames(n: usize) -> Pair {
    let side = |prefix: &str| {
        let mut resources = Map::new();
        for i in 0..n {
            let mut props = json!({"QueueName": format!("q-{i}"), "VisibilityTimeout": 30 + i % 7});
            if i + 1 < n {
                props["RedrivePolicy"] = json!({
                    "deadLetterTargetArn": {"Fn::GetAtt": [format!("{prefix}{}", i + 1), "Arn"]},
                    "maxReceiveCount": 5
                });
            }
            resources.insert(format!("{prefix}{i}"), json!({"Type": "AWS::SQS::Queue", "Properties": props}));
        }
        template(resources)
    };
    Pair { old: side("Queue"), new: side("RenamedQueue") }
}

/// `n` topics, each renamed, none referring to another.
pub fn plain_renames(n: usize) -> Pair {
    let side = |prefix: &str| {
        let mut resources = Map::new();
        for i in 0..n {
            resources.insert(
                format!("{prefix}{i}"),
                json!({"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": format!("topic {i}")}}),
            );
        }
        template(resources)
    };
    Pair { old: side("Topic"), new: side("Moved") }
}

/// One function whose inline code has `lines` lines, every third of which
/// changes, with a block of 200 lines moved from the start to the end: a
/// difference as long as the text.
pub fn inline_code(lines: usize) -> Pair {
    let code = |edited: bool| {
        let mut out: Vec<String> =
            (0..lines)
                .map(|i| {
                    if edited && i % 3 == 1 {
                        format!("v{i} = f({i}, 2)")
                    } else {
                        format!("v{i} = f({i})")
                    }
                })
                .collect();
        if edited {
            let moved: Vec<String> = out.drain(..200.min(out.len())).collect();
            out.extend(moved);
        }
        out.join("\n") + "\n"
    };
    let side = |edited: bool| {
        let mut resources = Map::new();
        resources.insert(
            "Function".into(),
            json!({"Type": "AWS::Lambda::Function", "Properties": {
                "Runtime": "python3.13", "Handler": "index.handler",
                "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "Code": {"ZipFile": code(edited)}
            }}),
        );
        template(resources)
    };
    Pair { old: side(false), new: side(true) }
}

/// A custom resource with an ordered list of `n` items, every other one
/// replaced by another and one more added: a difference as long as the
/// list.
pub fn long_list(n: usize) -> Pair {
    let side = |edited: bool| {
        let mut items: Vec<Value> = (0..n)
            .map(
                |i| if edited && i % 2 == 1 { json!(format!("new-{i}")) } else { json!(format!("item-{i}")) },
            )
            .collect();
        if edited {
            items.push(json!("last"));
        }
        let mut resources = Map::new();
        resources.insert(
            "Lists".into(),
            json!({"Type": "Custom::Lists", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f", "Items": items}}),
        );
        template(resources)
    };
    Pair { old: side(false), new: side(true) }
}

/// `n` topics removed and `n` others added, none of them a rename.
pub fn removed_and_added(n: usize) -> Pair {
    let side = |prefix: &str| {
        let mut resources = Map::new();
        for i in 0..n {
            resources.insert(
                format!("{prefix}{i}"),
                json!({"Type": "AWS::SNS::Topic", "Properties": {"TopicName": format!("{prefix}-{i}")}}),
            );
        }
        template(resources)
    };
    Pair { old: side("Old"), new: side("New") }
}

/// One managed policy of `n` statements, each given a condition.
pub fn large_policy(n: usize) -> Pair {
    let side = |edited: bool| {
        let statements: Vec<Value> = (0..n)
            .map(|i| {
                let mut s = json!({"Effect": "Allow", "Action": [format!("s3:GetObject{i}"), "s3:ListBucket"], "Resource": format!("arn:aws:s3:::b{i}/*")});
                if edited {
                    s["Condition"] = json!({"StringEquals": {"aws:PrincipalAccount": "111122223333"}});
                }
                s
            })
            .collect();
        let mut resources = Map::new();
        resources.insert(
            "Policy".into(),
            json!({"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}}),
        );
        template(resources)
    };
    Pair { old: side(false), new: side(true) }
}
