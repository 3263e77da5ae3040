//! The module's rules for a configuration: every value AWS would reject,
//! duplicates, and what policies can hold, refused before a template exists.

use std::sync::OnceLock;

use module_kit::{KeyPath, Problems};
use regex::Regex;

use crate::config::{Config, RoleBy, RoleRef};
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
    is_permission_set_name = r"^[A-Za-z0-9_+=,.@-]{1,32}$";
    is_role_path_and_name = r"^([\x21-\x7e]{1,510}/)?[A-Za-z0-9_+=,.@-]{1,64}$";
    is_role_id = r"^AROA[A-Z0-9]{12,124}$";
    is_ssm_name = r"^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$";
    is_bucket_name = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
    is_ip_address = r"^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$";
    is_inventory_id = r"^[A-Za-z0-9._-]{1,64}$";
    is_prefix = r"^([A-Za-z0-9!_.'()-]+/)+$";
}

/// Why a value cannot be used: what is wrong, and what was expected.
type Verdict = Result<(), (String, String)>;

fn wrong(problem: impl Into<String>, expected: impl Into<String>) -> Verdict {
    Err((problem.into(), expected.into()))
}

fn unless(ok: bool, problem: impl FnOnce() -> String, expected: &str) -> Verdict {
    if ok {
        Ok(())
    } else {
        wrong(problem(), expected)
    }
}

/// Refuses an MDAA placeholder: this configuration is read as it is.
fn concrete(value: &str) -> Verdict {
    placeholder(value).map_or(Ok(()), |p| {
        wrong(
            mdaa_placeholder(p),
            "a concrete value: MDAA placeholders are resolved where MDAA reads mdaa.yaml",
        )
    })
}

fn mdaa_placeholder(p: &str) -> String {
    format!("`{p}` is an MDAA placeholder, which MDAA resolves before its modules read their configuration")
}

/// What an entry that repeats an earlier one is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeats {
    /// A mistake, reported.
    Refused,
    /// The same thing named again, counted once (MDAA resolves a role
    /// named twice once).
    Merged,
}

/// Checks each entry of the list `key` (reported at the entry's key `check` names, if any),
/// that none repeats an earlier one (unless `repeats` merges them), and that there are at
/// most `max` distinct ones.
fn list<T: PartialEq>(
    problems: &mut Problems,
    key: &str,
    items: &[T],
    max: usize,
    repeats: Repeats,
    check: impl Fn(&T) -> (Option<&'static str>, Verdict),
) {
    let mut distinct = 0;
    for (i, item) in items.iter().enumerate() {
        let (field, verdict) = check(item);
        let path = field.into_iter().fold(KeyPath::root().key(key).index(i), KeyPath::key);
        let first = items[..i].iter().position(|earlier| earlier == item);
        if first.is_none() {
            distinct += 1;
        }
        if let Err((problem, expected)) = verdict {
            problems.report(path, problem).expected(expected);
        } else if let Some(first) = first.filter(|_| repeats == Repeats::Refused) {
            problems
                .report(path, format!("repeats `{key}[{first}]`"))
                .expected("each entry once")
                .help("remove this entry");
        }
    }
    if distinct > max {
        let what = if repeats == Repeats::Merged { "different entries" } else { "entries" };
        problems
            .report([key], format!("{distinct} {what} are more than the bucket and key policies can hold"))
            .expected(format!("at most {max}"));
    }
}

/// A read role as the role it names: compared by that alone, as `refId`
/// and `immutable` do not make it another role.
struct Named<'c>(Option<(RoleBy, &'c str)>, &'c RoleRef);

impl PartialEq for Named<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

/// Checks what the types cannot: formats, duplicates, sizes, placeholders.
pub(crate) fn check(c: &Config, problems: &mut Problems) {
    let roles: Vec<_> = c.read_roles.iter().map(|r| Named(r.by(), r)).collect();
    list(problems, "readRoles", &roles, MAX_READ_ROLES, Repeats::Merged, |Named(by, role)| match by {
        Some((by, value)) => (
            Some(match by {
                RoleBy::Arn => "arn",
                RoleBy::Name | RoleBy::Sso => "name",
                RoleBy::Id => "id",
            }),
            role_ref(*by, value),
        ),
        None => {
            // At the second key, if there is one: the kit locates keys, not mappings.
            let keys = [(&role.arn, "arn"), (&role.name, "name"), (&role.id, "id")];
            let second = keys.iter().filter(|(v, _)| v.is_some()).nth(1).map(|(_, k)| *k);
            (
                second,
                wrong("a role reference names its role by exactly one key", "one of `arn`, `name`, `id`"),
            )
        }
    });
    list(problems, "sourceAccounts", &c.source_accounts, MAX_SOURCE_ACCOUNTS, Repeats::Refused, |a| {
        let id = || {
            unless(
                is_account(a),
                || format!("`{a}` is not an account ID"),
                "12 digits, such as `111122223333`",
            )
        };
        // `{{account}}`, the deploying account, is a source anyway: MDAA's configs may name it.
        (None, if a == "{{account}}" { Ok(()) } else { concrete(a).and_then(|()| id()) })
    });
    list(problems, "sourceRegions", &c.source_regions, MAX_SOURCE_REGIONS, Repeats::Refused, |r| {
        let name =
            || unless(is_region(r), || format!("`{r}` is not a region name"), "a region such as `eu-west-1`");
        (None, if r == "{{region}}" { Ok(()) } else { concrete(r).and_then(|()| name()) })
    });
    // A stack deploys to one partition: its regions are of one.
    let mut regions = c.source_regions.iter().enumerate().filter(|(_, r)| is_region(r));
    if let Some((_, first)) = regions.next() {
        for (i, r) in regions.filter(|(_, r)| partition_of(r) != partition_of(first)) {
            let (of, first_of) = (partition_of(r), partition_of(first));
            problems
                .report(
                    KeyPath::root().key("sourceRegions").index(i),
                    format!("`{r}` is in partition {of}, `{first}` in {first_of}"),
                )
                .expected("regions of one partition, the stack's");
        }
    }
    if let Some(prefix) = &c.inventory_prefix {
        if let Err((problem, expected)) = concrete(prefix).and_then(|()| check_prefix(prefix)) {
            problems.report(["inventoryPrefix"], problem).expected(expected);
        }
    }
    list(problems, "inventories", &c.inventories, MAX_INVENTORIES, Repeats::Refused, |inventory| {
        let (bucket, id) = (&inventory.bucket_name, &inventory.inventory_name);
        match concrete(bucket).and_then(|()| check_bucket_name(bucket)) {
            Err(e) => (Some("bucketName"), Err(e)),
            Ok(()) => match concrete(id).and_then(|()| {
                let expected = "1 to 64 letters, digits, dots, hyphens and underscores";
                unless(
                    is_inventory_id(id),
                    || format!("`{id}` is not an inventory configuration ID"),
                    expected,
                )
            }) {
                Err(e) => (Some("inventoryName"), Err(e)),
                Ok(()) => (Some("bucketName"), Ok(())),
            },
        }
    });
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

/// Whether a role reference can be used.
fn role_ref(by: RoleBy, v: &str) -> Verdict {
    if let Some(name) = ssm_parameter(v) {
        return check_ssm_name(name);
    }
    if let Some(p) = if by == RoleBy::Arn { foreign_placeholder(v) } else { placeholder(v) } {
        return wrong(
            mdaa_placeholder(p),
            "a concrete value, or `{{partition}}` and `{{account}}` in an ARN",
        );
    }
    match by {
        RoleBy::Arn => {
            let Some((partition, account, rest)) = split_role_arn(v) else {
                return wrong(
                    format!("`{v}` is not a role ARN"),
                    "`arn:<partition>:iam::<account>:role/<path/><name>`, such as `arn:aws:iam::111122223333:role/Auditor`",
                );
            };
            unless(
                is_partition(partition) || partition == "{{partition}}",
                || format!("`{partition}` is not a partition"),
                "`aws`, `aws-cn`, `aws-us-gov`, ... or `{{partition}}`",
            )?;
            unless(
                is_account(account) || account == "{{account}}",
                || format!("`{account}` is not an account ID"),
                "12 digits, or `{{account}}` for the deploying account",
            )?;
            unless(
                is_role_path_and_name(rest) && placeholder(rest).is_none(),
                || format!("`{rest}` is not a role's path and name"),
                "a role name of up to 64 letters, digits and _ + = , . @ -, after an optional path",
            )
        }
        RoleBy::Name => unless(
            is_role_name(v),
            || format!("`{v}` is not a role name"),
            "1 to 64 letters, digits and _ + = , . @ - (a path is looked up, not written)",
        ),
        RoleBy::Sso => unless(
            is_permission_set_name(v),
            || format!("`{v}` is not a permission set name"),
            "1 to 32 letters, digits and _ + = , . @ -, the name of an IAM Identity Center permission set",
        ),
        RoleBy::Id => unless(
            is_role_id(v),
            || format!("`{v}` is not a role's unique ID"),
            "`AROA` and uppercase letters and digits, 16 to 128 in all, as `aws iam get-role` shows it",
        ),
    }
}

fn check_ssm_name(name: &str) -> Verdict {
    let expected = "`ssm:` and an SSM parameter name, such as `ssm:/org/roles/auditor/id`";
    let lower = name.trim_start_matches('/').to_ascii_lowercase();
    unless(
        is_ssm_name(name) && name.len() <= 1011,
        || format!("`{name}` is not an SSM parameter name"),
        expected,
    )?;
    unless(
        !(lower.starts_with("aws") || lower.starts_with("ssm")),
        || format!("`{name}` starts with `aws` or `ssm`, which SSM reserves"),
        expected,
    )
}

fn check_prefix(prefix: &str) -> Verdict {
    let problem = if prefix.len() > MAX_PREFIX {
        format!(
            "the prefix is {} characters; at most {MAX_PREFIX} leave room for the inventories' keys",
            prefix.len()
        )
    } else if !prefix.ends_with('/') && is_prefix(&format!("{prefix}/")) {
        format!("`{prefix}` does not end with `/`")
    } else if let Some(c) = prefix.chars().find(|c| !(c.is_ascii_alphanumeric() || "!_.'()-/".contains(*c))) {
        format!("`{c}` is not allowed in the prefix (a policy reads `*` and `?` as wildcards)")
    } else if !is_prefix(prefix) || prefix.split('/').any(|s| s == "." || s == "..") {
        format!("`{prefix}` has an empty, `.` or `..` folder name, or starts with `/`")
    } else if prefix.to_ascii_lowercase().starts_with("awslogs/") {
        format!("`{prefix}` is inside `AWSLogs/`, where CloudTrail writes")
    } else {
        return Ok(());
    };
    wrong(
        problem,
        "folder names of letters, digits and ! _ . ' ( ) -, each followed by `/`, such as `inventory/`",
    )
}

fn check_bucket_name(name: &str) -> Verdict {
    let reserved = ["xn--", "sthree-", "amzn-s3-demo-"].into_iter().find(|p| name.starts_with(p));
    let suffix =
        ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].into_iter().find(|s| name.ends_with(s));
    let expected = "an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
    unless(
        is_bucket_name(name) && !name.contains("..") && !is_ip_address(name),
        || format!("`{name}` is not a bucket name"),
        expected,
    )?;
    reserved.or(suffix).map_or(Ok(()), |r| wrong(format!("`{name}` has `{r}`, which S3 reserves"), expected))
}
