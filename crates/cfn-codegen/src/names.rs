//! Rust identifiers for CloudFormation names.

/// Words Rust reserves; a field or module of that name is written as a raw identifier.
const KEYWORDS: [&str; 50] = [
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: [&str; 4] = ["crate", "self", "Self", "super"];

/// `snake_case` of a CloudFormation name: `SSEAlgorithm` → `sse_algorithm`,
/// `KMSMasterKeyID` → `kms_master_key_id`, `SubnetIDs` → `subnet_ids`,
/// `IPv6Address` → `ipv6_address`.
pub fn snake(name: &str) -> String {
    // `IPv4`/`IPv6` read as one word, as everyone writes them.
    let name = name.replace("IPv", "Ipv");
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            // The plural `s` of an acronym (`IDs`, `ARNs`) stays in the acronym's word.
            let acronym_plural = next == Some('s')
                && !after.is_some_and(|a| a.is_ascii_lowercase())
                && prev.is_ascii_uppercase();
            let starts_word = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase())
                    && !acronym_plural);
            if starts_word && !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{out}")
    } else {
        out
    }
}

/// An identifier, as a raw identifier where the name is a keyword.
pub fn ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// The module of a service: `s3`, `elasticloadbalancingv2`; types outside
/// the `AWS` namespace carry theirs (`alexa_ask`).
pub fn service_module(namespace: &str, service: &str) -> String {
    if namespace == "AWS" {
        service.to_ascii_lowercase()
    } else {
        format!("{}_{}", namespace.to_ascii_lowercase(), service.to_ascii_lowercase())
    }
}

/// The Cargo feature of a service: its module name, with `-` for `_`.
pub fn feature(namespace: &str, service: &str) -> String {
    service_module(namespace, service).replace('_', "-")
}

/// A Rust type name for a CloudFormation name: kept as CloudFormation spells
/// it where that is an identifier; other characters are dropped.
pub fn type_name(name: &str) -> String {
    let cleaned: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let cleaned =
        if cleaned.starts_with(|c: char| c.is_ascii_digit()) { format!("T{cleaned}") } else { cleaned };
    match cleaned.as_str() {
        "Self" => "SelfProperty".to_string(),
        _ => cleaned,
    }
}

/// `PascalCase` of a property name, for the struct of an inline object.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            upper = true;
            continue;
        }
        if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    type_name(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_reads_like_the_name() {
        for (cfn, rust) in [
            ("BucketName", "bucket_name"),
            ("SSEAlgorithm", "sse_algorithm"),
            ("KMSMasterKeyID", "kms_master_key_id"),
            ("SubnetIDs", "subnet_ids"),
            ("ARNs", "arns"),
            ("IPv6Address", "ipv6_address"),
            ("Ipv6CidrBlock", "ipv6_cidr_block"),
            ("S3Bucket", "s3_bucket"),
            ("WebsiteURL", "website_url"),
            ("DBInstanceClass", "db_instance_class"),
            ("iso8601UTC", "iso8601_utc"),
            ("Type", "type"),
            ("3DModel", "n3_d_model"),
        ] {
            assert_eq!(snake(cfn), rust, "{cfn}");
        }
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type"), "r#type");
        assert_eq!(ident("self"), "self_");
        assert_eq!(ident("bucket_name"), "bucket_name");
    }

    #[test]
    fn modules_and_features() {
        assert_eq!(service_module("AWS", "ElasticLoadBalancingV2"), "elasticloadbalancingv2");
        assert_eq!(service_module("Alexa", "ASK"), "alexa_ask");
        assert_eq!(feature("Alexa", "ASK"), "alexa-ask");
    }
}
