//! The logical IDs the AWS CDK gives the resources of a construct tree, so
//! that a template written here can take over a stack the CDK deployed:
//! CloudFormation matches resources by logical ID, and a resource whose ID
//! changes is created anew and the old one deleted.

use md5::{Digest, Md5};

/// The component CDK leaves out of the path altogether.
const HIDDEN: &str = "Default";
/// The component CDK hashes but leaves out of the readable part.
const HIDDEN_FROM_HUMAN: &str = "Resource";
/// Hex digits of the path's MD5 the ID ends with.
const HASH_LEN: usize = 8;
/// The readable part's limit, so that an ID stays within CloudFormation's 255.
const MAX_HUMAN_LEN: usize = 240;
/// CloudFormation's limit on a logical ID.
const MAX_ID_LEN: usize = 255;

/// The logical ID the CDK gives the resource at construct path `path`
/// (the IDs of its scopes below the stack, joined by `/`), as CDK's
/// `makeUniqueId` computes it:
///
/// - `Default` components are dropped, from the hash too;
/// - a path of one component is that component's letters and digits (when
///   they fit in 255 characters), so top-level resources keep their names;
/// - otherwise a component that the previous one ends with is dropped, then
///   `Resource` components; the rest, reduced to letters and digits and
///   joined, is cut at 240 characters and followed by the first 8 hex digits
///   of the MD5 of the path (without `Default`s), upper-cased.
///
/// ```
/// use cfn_constructs::cdk_logical_id;
/// assert_eq!(cdk_logical_id("construct/bedrock-kms-key/Resource"), "constructbedrockkmskeyC65EDE8E");
/// assert_eq!(cdk_logical_id("construct/bedrock-settings-cr/Default"), "constructbedrocksettingscrD9A7018F");
/// // `Table` is the end of `CloudTrailGlueTable`: readable once, hashed as written.
/// assert_eq!(cdk_logical_id("audit/CloudTrailGlueTable/Table"), "auditCloudTrailGlueTableC0417755");
/// assert_eq!(cdk_logical_id("RoleResRead0"), "RoleResRead0");
/// ```
///
/// # Panics
/// When the path has no component but `Default`s, which names no resource.
pub fn cdk_logical_id(path: &str) -> String {
    let components: Vec<&str> = path.split('/').filter(|c| *c != HIDDEN).collect();
    assert!(components.iter().any(|c| !c.is_empty()), "the construct path `{path}` names no resource");
    let alphanumeric = |c: &str| c.chars().filter(char::is_ascii_alphanumeric).collect::<String>();
    if let [only] = components.as_slice() {
        let id = alphanumeric(only);
        if id.len() <= MAX_ID_LEN {
            return id;
        }
    }
    let mut kept: Vec<&str> = Vec::with_capacity(components.len());
    for c in &components {
        if kept.last().is_none_or(|last| !last.ends_with(c)) {
            kept.push(c);
        }
    }
    let mut human: String =
        kept.iter().filter(|c| **c != HIDDEN_FROM_HUMAN).map(|c| alphanumeric(c)).collect();
    // ASCII only by now: bytes are characters.
    human.truncate(MAX_HUMAN_LEN);
    let digest = Md5::digest(components.join("/").as_bytes());
    let hash: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    human + &hash[..HASH_LEN]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_keep_240_readable_characters_and_the_hash() {
        let long = format!("{}/Resource", "a".repeat(300));
        let id = cdk_logical_id(&format!("scope/{long}"));
        assert_eq!(id.len(), MAX_HUMAN_LEN + HASH_LEN);
        assert!(id.starts_with("scopeaaa"));
        // One component too long for itself is hashed like a longer path.
        let top = cdk_logical_id(&"b".repeat(256));
        assert_eq!(top.len(), MAX_HUMAN_LEN + HASH_LEN);
        assert_eq!(cdk_logical_id(&"b".repeat(255)), "b".repeat(255));
    }

    #[test]
    fn default_is_hidden_from_the_hash_and_resource_only_from_the_reader() {
        assert_eq!(cdk_logical_id("a/b/Default"), cdk_logical_id("a/b"));
        assert_ne!(cdk_logical_id("a/b/Resource"), cdk_logical_id("a/b"));
        assert!(cdk_logical_id("a/b/Resource").starts_with("ab"));
        assert_eq!(cdk_logical_id("Default/top-level"), "toplevel");
    }

    #[test]
    #[should_panic(expected = "names no resource")]
    fn a_path_of_defaults_names_nothing() {
        cdk_logical_id("Default");
    }
}
