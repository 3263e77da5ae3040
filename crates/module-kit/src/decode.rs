//! Bytes of a configuration file to text: UTF-8, or UTF-16 and UTF-32 as
//! YAML allows them (told by a byte-order mark or by the zero bytes around
//! the first character), with a located error for anything else.

use crate::error::{ConfigError, ConfigErrors};
use crate::limits::{bytes, MAX_CONFIG_BYTES};
use crate::position;

/// The encodings a configuration may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16 { big_endian: bool },
    Utf32 { big_endian: bool },
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16 { big_endian: true } => "UTF-16BE",
            Encoding::Utf16 { big_endian: false } => "UTF-16LE",
            Encoding::Utf32 { big_endian: true } => "UTF-32BE",
            Encoding::Utf32 { big_endian: false } => "UTF-32LE",
        }
    }
}

/// The encoding and the length of its byte-order mark, as YAML 1.2 (5.2)
/// detects them.
fn detect(b: &[u8]) -> (Encoding, usize) {
    match b {
        [0, 0, 0xFE, 0xFF, ..] => (Encoding::Utf32 { big_endian: true }, 4),
        [0xFF, 0xFE, 0, 0, ..] => (Encoding::Utf32 { big_endian: false }, 4),
        [0xFE, 0xFF, ..] => (Encoding::Utf16 { big_endian: true }, 2),
        [0xFF, 0xFE, ..] => (Encoding::Utf16 { big_endian: false }, 2),
        [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
        [0, 0, 0, x, ..] if *x != 0 => (Encoding::Utf32 { big_endian: true }, 0),
        [x, 0, 0, 0, ..] if *x != 0 => (Encoding::Utf32 { big_endian: false }, 0),
        [0, x, ..] if *x != 0 => (Encoding::Utf16 { big_endian: true }, 0),
        [x, 0, ..] if *x != 0 => (Encoding::Utf16 { big_endian: false }, 0),
        _ => (Encoding::Utf8, 0),
    }
}

/// Decodes a configuration file's bytes. `file` names it in errors.
pub fn decode(raw: &[u8], file: &str) -> Result<String, ConfigErrors> {
    decode_one(raw, file).map_err(|e| ConfigErrors::from(*e))
}

// Boxed: a ConfigError is large, and the happy path should not carry its size.
fn decode_one(raw: &[u8], file: &str) -> Result<String, Box<ConfigError>> {
    if raw.len() > MAX_CONFIG_BYTES {
        return Err(Box::new(too_large(file, raw.len())));
    }
    let (encoding, bom) = detect(raw);
    let body = &raw[bom..];
    let invalid = |text: &str, what: String| {
        let err = ConfigError::new(file, what)
            .at(Some(position::of_offset(text, text.len())))
            .expected(format!("{} text", encoding.name()))
            .help("save the file as UTF-8");
        Box::new(match guessed_from_zero_bytes(raw, encoding, bom) {
            Some(note) => err.note(note),
            None => err,
        })
    };
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(body) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => {
                let good = std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default();
                let byte = body[e.valid_up_to()];
                Err(invalid(good, format!("byte 0x{byte:02X} is not valid UTF-8")))
            }
        },
        Encoding::Utf16 { big_endian } => {
            let units = body.chunks_exact(2).map(|c| {
                let pair = [c[0], c[1]];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            });
            let mut out = String::with_capacity(body.len() / 2);
            for unit in char::decode_utf16(units) {
                match unit {
                    Ok(c) => out.push(c),
                    Err(_) => {
                        return Err(invalid(&out, format!("the text is not valid {}", encoding.name())))
                    }
                }
            }
            if body.len() % 2 != 0 {
                return Err(invalid(
                    &out,
                    format!("the text ends with half a {} character", encoding.name()),
                ));
            }
            Ok(out)
        }
        Encoding::Utf32 { big_endian } => {
            let mut out = String::with_capacity(body.len() / 4);
            for c in body.chunks_exact(4) {
                let quad = [c[0], c[1], c[2], c[3]];
                let unit = if big_endian { u32::from_be_bytes(quad) } else { u32::from_le_bytes(quad) };
                match char::from_u32(unit) {
                    Some(ch) => out.push(ch),
                    None => return Err(invalid(&out, format!("the text is not valid {}", encoding.name()))),
                }
            }
            if body.len() % 4 != 0 {
                return Err(invalid(
                    &out,
                    format!("the text ends with part of a {} character", encoding.name()),
                ));
            }
            Ok(out)
        }
    }
}

/// Why a file without a byte-order mark was read as UTF-16 or UTF-32, for
/// an error in it: a UTF-8 file that starts with a NUL character is read
/// so too, and its author should learn where the NUL is.
fn guessed_from_zero_bytes(raw: &[u8], encoding: Encoding, bom: usize) -> Option<String> {
    if bom != 0 || encoding == Encoding::Utf8 {
        return None;
    }
    let width = if matches!(encoding, Encoding::Utf16 { .. }) { 2 } else { 4 };
    let first: Vec<String> = raw.iter().take(width).map(|b| format!("{b:02X}")).collect();
    Some(format!(
        "read as {} because the file starts with the bytes {} and has no byte-order mark, as YAML reads such a file; if it is UTF-8, it starts with a NUL character (line 1, column 1): remove it",
        encoding.name(),
        first.join(" ")
    ))
}

/// The error for a configuration over [`MAX_CONFIG_BYTES`].
pub(crate) fn too_large(file: &str, len: usize) -> ConfigError {
    ConfigError::new(
        file,
        format!(
            "the configuration is {}, over the {} a configuration may have",
            bytes(len),
            bytes(MAX_CONFIG_BYTES)
        ),
    )
    .expected("a configuration of a few kilobytes")
    .note("refused before parsing, so no line is given")
}

#[cfg(test)]
mod tests {
    use super::decode_one as decode;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn utf16_and_utf32_decode_with_or_without_a_bom() {
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(utf16le("a: 1\n"));
        assert_eq!(decode(&with_bom, "c").unwrap(), "a: 1\n");
        assert_eq!(decode(&utf16le("a: 1\n"), "c").unwrap(), "a: 1\n");
        let be: Vec<u8> = "a: é\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, "c").unwrap(), "a: é\n");
        let utf32: Vec<u8> = "a: 1".chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
        assert_eq!(decode(&utf32, "c").unwrap(), "a: 1");
        let mut utf32be = vec![0, 0, 0xFE, 0xFF];
        utf32be.extend("b: 2".chars().flat_map(|c| (c as u32).to_be_bytes()));
        assert_eq!(decode(&utf32be, "c").unwrap(), "b: 2");
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1", "c").unwrap(), "a: 1");
    }

    #[test]
    fn invalid_text_is_located() {
        let e = decode(b"a: 1\nb: caf\xC3(\n", "c.yaml").unwrap_err();
        assert_eq!(e.position, Some((2, 7)));
        assert_eq!(e.problem, "byte 0xC3 is not valid UTF-8");
        assert_eq!(e.note, None, "UTF-8 was not guessed from zero bytes");
        let mut odd = utf16le("a: 1\nb");
        odd.push(b'x');
        let e = decode(&odd, "c.yaml").unwrap_err();
        assert_eq!(e.position, Some((2, 2)));
        assert_eq!(e.problem, "the text ends with half a UTF-16LE character");
        let nul_first = decode(b"\0a: 1", "c.yaml").unwrap_err();
        assert_eq!(nul_first.problem, "the text ends with half a UTF-16BE character");
        assert!(nul_first.note.unwrap().contains("starts with the bytes 00 61 "));
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(utf16le("a"));
        with_bom.push(b'x');
        assert_eq!(decode(&with_bom, "c").unwrap_err().note, None, "a byte-order mark says the encoding");
        let lone_surrogate: Vec<u8> = [0x61u16, 0xD800, 0x62].iter().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&lone_surrogate, "c").unwrap_err().position, Some((1, 2)));
    }
}
