//! Bounds on what the kit reads and writes. A configuration is a few
//! kilobytes; these keep a hostile or mistaken input from costing more than
//! a fraction of a second.

/// The largest configuration read, in bytes (1 MiB). Also the largest file
/// `--check` compares: CloudFormation takes no template over 1,000,000 bytes.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// How deep mappings and lists may nest in a configuration.
pub const MAX_DEPTH: usize = 64;

/// How many values (keys, scalars, lists, mappings, counted again each time
/// an alias repeats them) a configuration may hold.
pub const MAX_NODES: usize = 20_000;

/// The largest template body `aws cloudformation deploy` accepts without an
/// S3 bucket to upload it through.
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;

/// The largest template CloudFormation accepts at all (from an S3 object).
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// `n` bytes, with thousands separators, for messages.
pub(crate) fn bytes(n: usize) -> String {
    format!("{} bytes", count(n))
}

/// `n` with thousands separators.
pub(crate) fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_counts_read_easily() {
        assert_eq!(super::bytes(7), "7 bytes");
        assert_eq!(super::bytes(51_200), "51,200 bytes");
        assert_eq!(super::bytes(1_048_576), "1,048,576 bytes");
    }
}
