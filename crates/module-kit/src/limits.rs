//! Bounds on what the kit reads and writes. A configuration is a few
//! kilobytes; these keep a hostile or mistaken input from costing more than
//! a fraction of a second.
//!
//! Templates read back (by `synth diff`, `synth graph` and `--check`) have
//! bounds of their own, fitted to CloudFormation's: the `MAX_TEMPLATE_*`
//! constants, checked with [`deeper_than`] before parsing and by counting
//! while the parser's events are read, before any value is built.

pub use crate::yaml::prescan::{deeper_than, within, Exceeded};

/// The bounds a YAML text is read within, for readers whose files are not
/// configurations (an MDAA estate, its tag files): checked by [`within`]
/// before any value is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// The largest text, in bytes.
    pub bytes: usize,
    /// How deep mappings and lists may nest.
    pub depth: usize,
    /// How many values (keys, scalars, lists, mappings, counted again each
    /// time an alias repeats them) the text may hold.
    pub nodes: usize,
    /// How many bytes of keys and scalars, counted again each time an alias
    /// repeats them, the text may hold.
    pub text: usize,
}

impl Bounds {
    /// A configuration's bounds: [`MAX_CONFIG_BYTES`], [`MAX_DEPTH`],
    /// [`MAX_NODES`], and twice the size in text.
    pub const CONFIG: Bounds =
        Bounds { bytes: MAX_CONFIG_BYTES, depth: MAX_DEPTH, nodes: MAX_NODES, text: 2 * MAX_CONFIG_BYTES };
}

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

/// How deep mappings and lists may nest in a template read back. The
/// deepest CloudFormation templates (policy conditions in `Fn::If`s in a
/// list of statements) nest about 20 levels; 100 is far beyond that and
/// below the 128 at which the JSON and YAML parsers give up with a less
/// helpful message.
pub const MAX_TEMPLATE_DEPTH: usize = 100;

/// How many values (keys, scalars, lists, mappings, counted again each
/// time a YAML alias repeats them) a template read back may hold: about
/// what a [`MAX_TEMPLATE_BYTES`] template written without aliases can hold
/// at two bytes a value (`[0,0,…]`). Aliases, which CloudFormation itself
/// does not support, cannot make a small text cost more than that.
pub const MAX_TEMPLATE_NODES: usize = 500_000;

/// How many bytes of text (keys and scalars, counted again each time an
/// alias repeats them) a template read back may hold: twice
/// [`MAX_TEMPLATE_BYTES`], as escapes such as YAML's `\L` can make text a
/// little longer than it is written.
pub const MAX_TEMPLATE_TEXT_BYTES: usize = 2 * MAX_TEMPLATE_BYTES;

/// `n` bytes, with thousands separators, for messages.
pub fn bytes(n: usize) -> String {
    format!("{} bytes", count(n))
}

/// `n` with thousands separators, for messages.
pub fn count(n: usize) -> String {
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
