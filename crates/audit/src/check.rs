//! The module's rules for a configuration: every value AWS would reject,
//! duplicates, and what policies can hold, refused before a template exists.

use std::sync::OnceLock;

use module_kit::{KeyPath, Problems};
use regex::Regex;

use crate::config::{Config, RoleBy};
use crate::values::{foreign_placeholder, placeholder, split_role_arn, ssm_parameter};

/// The most read roles. The limits of the lists keep the policies built
/// from them within S3's 20 KB bucket policies and KMS's 32 KB key policies
/// (the `policies_fit_at_the_limits` test measures the worst case).
pub const MAX_READ_ROLES: usize = 10;
/// The most source accounts.
pub const MAX_SOURCE_ACCOUNTS: usize = 15;
/// The most source regions.
pub const MAX_SOURCE_REGIONS: usize = 20;
/// The most inventories.
pub const MAX_INVENTORIES: usize = 30;
/// The longest inventory prefix: S3 inventories write keys up to about 180
/// characters below it (bucket name, inventory ID, their own file names),
/// and S3 keys take 1,024 bytes.
const MAX_PREFIX: usize = 512;

fn pattern(cell: &'static OnceLock<Regex>, re: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(re).expect("the pattern compiles"))
}

macro_rules! patterns {
    ($($name:ident = $re:literal;)*) => {$(
        fn $name(s: &str) -> bool {
            static CELL: OnceLock<Regex> = OnceLock::new();
            pattern(&CELL, $re).is_match(s)
        }
    )*};
}

patterns! {
    is_account = r"^[0-9]{12}$";
    is_region = r"^[a-z]{2,4}(-[a-z]+){1,3}-[1-9][0-9]?$";
    is_partition = r"^aws(-[a-z]+)*$";
    is_role_name = r"^[A-Za-z0-9_+=,.@-]{1,64}$";
    is_role_path_and_name = r"^([\x21-\x7e]{1,510}/)?[A-Za-z0-9_+=,.@-]{1,64}$";
    is_role_id = r"^AROA[A-Z0-9]{12,124}$";
    is_ssm_name = r"^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$";
    is_bucket_name = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
    is_ip_address = r"^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$";
    is_inventory_id = r"^[A-Za-z0-9._-]{1,64}$";
    is_prefix = r"^([A-Za-z0-9!_.'()-]+/)+$";
}

/// Checks what the types cannot: formats, duplicates, sizes, placeholders.
pub(crate) fn check(c: &Config, problems: &mut Problems) {
    let at = |key: &str, i: usize| KeyPath::root().key(key).index(i);
    let mut seen: Vec<(RoleBy, &str)> = Vec::new();
    for (i, role) in c.read_roles.iter().enumerate() {
        let Some((by, value)) = role.by() else {
            // At the second key, if there is one: the kit locates keys, not mappings.
            let keys = [(&role.arn, "arn"), (&role.name, "name"), (&role.id, "id")];
            let second = keys.iter().filter(|(v, _)| v.is_some()).nth(1);
            let path = second.map_or(at("readRoles", i), |(_, key)| at("readRoles", i).key(*key));
            problems
                .report(path, "a role reference names its role by exactly one key")
                .expected("one of `arn`, `name`, `id`");
            continue;
        };
        let path = at("readRoles", i).key(match by {
            RoleBy::Arn => "arn",
            RoleBy::Name => "name",
            RoleBy::Id => "id",
        });
        if let Err((problem, expected)) = role_ref(by, value) {
            problems.report(path, problem).expected(expected);
        } else if let Some(first) = seen.iter().position(|r| *r == (by, value)) {
            duplicate(problems, path, &format!("readRoles[{first}]"));
        }
        seen.push((by, value));
    }
    too_many(problems, "readRoles", c.read_roles.len(), MAX_READ_ROLES);

    for (i, account) in c.source_accounts.iter().enumerate() {
        let path = at("sourceAccounts", i);
        if account == "{{account}}" {
            problems
                .report(path, "the deploying account is always a source")
                .expected("the IDs of other accounts")
                .help("remove this entry");
        } else if !refused_placeholder(problems, path.clone(), account) && !is_account(account) {
            problems
                .report(path, format!("`{account}` is not an account ID"))
                .expected("12 digits, such as `111122223333`");
        } else {
            first_of(problems, path, &c.source_accounts[..i], account, "sourceAccounts");
        }
    }
    too_many(problems, "sourceAccounts", c.source_accounts.len(), MAX_SOURCE_ACCOUNTS);

    regions(c, problems);

    if let Some(prefix) = &c.inventory_prefix {
        if !refused_placeholder(problems, ["inventoryPrefix"].into(), prefix) {
            if let Err(problem) = check_prefix(prefix) {
                problems.report(["inventoryPrefix"], problem).expected(
                    "folder names of letters, digits and ! _ . ' ( ) -, each followed by `/`, such as `inventory/`",
                );
            }
        }
    }

    for (i, inventory) in c.inventories.iter().enumerate() {
        let bucket = &inventory.bucket_name;
        if !refused_placeholder(problems, at("inventories", i).key("bucketName"), bucket) {
            if let Err(problem) = check_bucket_name(bucket) {
                problems.report(at("inventories", i).key("bucketName"), problem).expected(
                    "an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                );
            }
        }
        let id = &inventory.inventory_name;
        if !refused_placeholder(problems, at("inventories", i).key("inventoryName"), id)
            && !is_inventory_id(id)
        {
            problems
                .report(
                    at("inventories", i).key("inventoryName"),
                    format!("`{id}` is not an inventory configuration ID"),
                )
                .expected("1 to 64 letters, digits, dots, hyphens and underscores");
        } else if let Some(first) = c.inventories[..i].iter().position(|other| other == inventory) {
            duplicate(problems, at("inventories", i).key("bucketName"), &format!("inventories[{first}]"));
        }
    }
    too_many(problems, "inventories", c.inventories.len(), MAX_INVENTORIES);
}

fn regions(c: &Config, problems: &mut Problems) {
    let mut partition: Option<(&str, &str)> = None;
    for (i, region) in c.source_regions.iter().enumerate() {
        let path = KeyPath::root().key("sourceRegions").index(i);
        if region == "{{region}}" {
            problems
                .report(path, "the deploying region is always a source")
                .expected("the names of other regions")
                .help("remove this entry");
        } else if refused_placeholder(problems, path.clone(), region) {
        } else if !is_region(region) {
            problems
                .report(path, format!("`{region}` is not a region name"))
                .expected("a region such as `eu-west-1` or `us-gov-west-1`");
        } else if let Some((first, of)) = partition.filter(|(_, of)| *of != partition_of(region)) {
            problems
                .report(
                    path,
                    format!("`{region}` is in partition {}, `{first}` in {of}", partition_of(region)),
                )
                .expected("regions of one partition: a stack deploys to one");
        } else {
            partition = partition.or(Some((region, partition_of(region))));
            first_of(problems, path, &c.source_regions[..i], region, "sourceRegions");
        }
    }
    too_many(problems, "sourceRegions", c.source_regions.len(), MAX_SOURCE_REGIONS);
}

/// The partition a region belongs to, by its name.
fn partition_of(region: &str) -> &'static str {
    [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-iso-", "aws-iso"),
        ("eusc-", "aws-eusc"),
    ]
    .into_iter()
    .find(|(start, _)| region.starts_with(start))
    .map_or("aws", |(_, partition)| partition)
}

/// Why a role reference cannot be used, and what was expected.
fn role_ref(by: RoleBy, v: &str) -> Result<(), (String, &'static str)> {
    if let Some(name) = ssm_parameter(v) {
        return check_ssm_name(name)
            .map_err(|p| (p, "`ssm:` and an SSM parameter name, such as `ssm:/org/roles/auditor/id`"));
    }
    if let Some(p) = if by == RoleBy::Arn { foreign_placeholder(v) } else { placeholder(v) } {
        return Err((
            mdaa_placeholder(p),
            "a concrete value, or `{{partition}}` and `{{account}}` in an ARN",
        ));
    }
    match by {
        RoleBy::Arn => {
            let expected = "`arn:<partition>:iam::<account>:role/<path/><name>`, such as `arn:aws:iam::111122223333:role/Auditor`";
            let (partition, account, rest) =
                split_role_arn(v).ok_or((format!("`{v}` is not a role ARN"), expected))?;
            if !(is_partition(partition) || partition == "{{partition}}") {
                return Err((
                    format!("`{partition}` is not a partition"),
                    "`aws`, `aws-cn`, `aws-us-gov`, ... or `{{partition}}`",
                ));
            }
            if !(is_account(account) || account == "{{account}}") {
                return Err((
                    format!("`{account}` is not an account ID"),
                    "12 digits, or `{{account}}` for the deploying account",
                ));
            }
            if !is_role_path_and_name(rest) || placeholder(rest).is_some() {
                return Err((
                    format!("`{rest}` is not a role's path and name"),
                    "a role name of up to 64 letters, digits and _ + = , . @ -, after an optional path",
                ));
            }
            Ok(())
        }
        RoleBy::Name if !is_role_name(v) => Err((
            format!("`{v}` is not a role name"),
            "1 to 64 letters, digits and _ + = , . @ - (a path is looked up, not written)",
        )),
        RoleBy::Id if !is_role_id(v) => Err((
            format!("`{v}` is not a role's unique ID"),
            "`AROA` and uppercase letters and digits, 16 to 128 in all, as `aws iam get-role` shows it",
        )),
        _ => Ok(()),
    }
}

fn mdaa_placeholder(p: &str) -> String {
    format!("`{p}` is an MDAA placeholder, which MDAA resolves before its modules read their configuration")
}

/// Reports an MDAA placeholder in a value that takes none; whether there was one.
fn refused_placeholder(problems: &mut Problems, path: KeyPath, value: &str) -> bool {
    let Some(p) = placeholder(value) else { return false };
    problems
        .report(path, mdaa_placeholder(p))
        .expected("a concrete value: this configuration is read as it is")
        .help("write the value it stands for");
    true
}

fn duplicate(problems: &mut Problems, path: KeyPath, first: &str) {
    problems.report(path, format!("repeats `{first}`")).expected("each entry once").help("remove this entry");
}

fn first_of(problems: &mut Problems, path: KeyPath, before: &[String], value: &str, key: &str) {
    if let Some(first) = before.iter().position(|v| v == value) {
        duplicate(problems, path, &format!("{key}[{first}]"));
    }
}

fn too_many(problems: &mut Problems, key: &str, count: usize, max: usize) {
    if count > max {
        problems
            .report([key], format!("{count} entries are more than the bucket and key policies can hold"))
            .expected(format!("at most {max}"));
    }
}

fn check_ssm_name(name: &str) -> Result<(), String> {
    let lower = name.trim_start_matches('/').to_ascii_lowercase();
    if !is_ssm_name(name) || name.len() > 1011 {
        Err(format!("`{name}` is not an SSM parameter name"))
    } else if lower.starts_with("aws") || lower.starts_with("ssm") {
        Err(format!("`{name}` starts with `aws` or `ssm`, which SSM reserves"))
    } else {
        Ok(())
    }
}

fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.len() > MAX_PREFIX {
        Err(format!(
            "the prefix is {} characters; at most {MAX_PREFIX} leave room for the inventories' keys",
            prefix.len()
        ))
    } else if !prefix.ends_with('/') && is_prefix(&format!("{prefix}/")) {
        Err(format!("`{prefix}` does not end with `/`"))
    } else if let Some(c) = prefix.chars().find(|c| !(c.is_ascii_alphanumeric() || "!_.'()-/".contains(*c))) {
        Err(format!("`{c}` is not allowed in the prefix (a policy reads `*` and `?` as wildcards)"))
    } else if !is_prefix(prefix) || prefix.split('/').any(|s| s == "." || s == "..") {
        Err(format!("`{prefix}` has an empty, `.` or `..` folder name, or starts with `/`"))
    } else if prefix.to_ascii_lowercase().starts_with("awslogs/") {
        Err(format!("`{prefix}` is inside `AWSLogs/`, where CloudTrail writes"))
    } else {
        Ok(())
    }
}

fn check_bucket_name(name: &str) -> Result<(), String> {
    let reserved = ["xn--", "sthree-", "amzn-s3-demo-"].into_iter().find(|p| name.starts_with(p));
    let suffix =
        ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].into_iter().find(|s| name.ends_with(s));
    if !is_bucket_name(name) || name.contains("..") || is_ip_address(name) {
        Err(format!("`{name}` is not a bucket name"))
    } else if let Some(reserved) = reserved.or(suffix) {
        Err(format!("`{name}` has `{reserved}`, which S3 reserves"))
    } else {
        Ok(())
    }
}
