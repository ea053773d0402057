//! Reading text files as text: UTF-8 unless the file says otherwise (a byte-order mark, an XML
//! declaration naming another encoding), gzip where OPUS ships it; an empty or undecodable file
//! is an error naming the file.

use super::FsError;
use std::path::Path;

/// Read a whole file as text; an empty or undecodable file is an error naming the file.
///
/// The text is UTF-8 unless the file says otherwise: a UTF-16 byte-order mark, or an XML
/// declaration naming another encoding (see [`decode`]).
pub fn read_text(path: &Path) -> Result<String, FsError> {
    let bytes = std::fs::read(path).map_err(|source| FsError::Io {
        path: path.to_owned(),
        source,
    })?;
    nonempty_text(bytes, path)
}

/// The decoded text of a file's bytes; an empty (or white-space) file is an error.
fn nonempty_text(bytes: Vec<u8>, path: &Path) -> Result<String, FsError> {
    let text = decode(bytes, path)?;
    if text.trim().is_empty() {
        return Err(FsError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(text)
}

/// [`read_text`] of a file that may be gzip-compressed, as OPUS ships its alignments
/// (`cs-en.xml.gz`): told by the gzip magic bytes, not by the name.
pub fn read_text_or_gzip(path: &Path) -> Result<String, FsError> {
    use std::io::Read;
    let io = |source| FsError::Io {
        path: path.to_owned(),
        source,
    };
    let mut bytes = std::fs::read(path).map_err(io)?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .read_to_end(&mut plain)
            .map_err(io)?;
        bytes = plain;
    }
    nonempty_text(bytes, path)
}

/// The text of a file's bytes, honouring what the file says about its encoding:
/// - a UTF-16 byte-order mark (LE or BE): decoded as UTF-16;
/// - an XML declaration (`<?xml version="1.0" encoding="ISO-8859-2"?>`) naming an encoding
///   [`encoding_rs`] knows: decoded from it — unless the bytes are UTF-8 holding non-ASCII
///   characters, which a single-byte declaration would turn into other letters without a word
///   (the declaration is wrong, and the user is told so);
/// - UTF-16 declared without a byte-order mark, or an unknown encoding: an error;
/// - otherwise UTF-8 (a UTF-8 byte-order mark is kept).
///
/// Text decoded from another encoding is returned with its declaration rewritten to
/// `encoding="UTF-8"` (same line, same place), so that what is parsed — and anything written
/// from it — says what it is.
pub fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, FsError> {
    let enc_err = |column: usize, message: String| FsError::Encoding {
        path: path.to_owned(),
        line: 1,
        column,
        message,
    };
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(enc_err(
                1,
                format!(
                    "not valid {} (the file starts with its byte-order mark); convert the file \
                     to UTF-8, e.g. with iconv",
                    enc.name()
                ),
            ));
        }
        return Ok(relabel(text.into_owned()));
    }
    let declared = declared_encoding(&bytes);
    let Some((name, column)) = declared else {
        return String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            FsError::not_utf8(path, e.as_bytes(), offset)
        });
    };
    let Some(enc) = encoding_rs::Encoding::for_label(name.as_bytes()) else {
        return Err(enc_err(
            column,
            format!("unknown encoding \"{name}\" declared; convert the file to UTF-8"),
        ));
    };
    if enc == encoding_rs::UTF_8 {
        return String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            FsError::not_utf8(path, e.as_bytes(), offset)
        });
    }
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Err(enc_err(
            column,
            format!(
                "declares encoding \"{name}\" but has no UTF-16 byte-order mark (the bytes are \
                 not UTF-16); correct the declaration or convert the file"
            ),
        ));
    }
    if !bytes.is_ascii() && std::str::from_utf8(&bytes).is_ok() {
        return Err(enc_err(
            column,
            format!(
                "declares encoding \"{name}\" but the bytes are UTF-8; correct the declaration \
                 to encoding=\"UTF-8\" (decoding as {} would change the letters)",
                enc.name()
            ),
        ));
    }
    let (text, _, had_errors) = enc.decode(&bytes);
    if had_errors {
        return Err(enc_err(
            column,
            format!(
                "not valid {} as declared; correct the declaration or convert the file",
                enc.name()
            ),
        ));
    }
    Ok(relabel(text.into_owned()))
}

/// The encoding named in the XML declaration at the very start of `bytes` (ASCII-compatible
/// encodings), with the 1-based column of the name.
fn declared_encoding(bytes: &[u8]) -> Option<(String, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if !bytes.starts_with(b"<?xml") || !bytes.get(5).is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let end = bytes.windows(2).take(512).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&bytes[..end]).ok()?;
    let (name, column) = pseudo_attr(decl, "encoding")?;
    Some((name.to_owned(), column))
}

/// The value of a pseudo-attribute of an XML declaration, with the 1-based column where it
/// starts.
pub(crate) fn pseudo_attr<'d>(decl: &'d str, key: &str) -> Option<(&'d str, usize)> {
    let mut from = 0;
    while let Some(k) = decl[from..].find(key) {
        let at = from + k;
        from = at + key.len();
        let before_ok = decl[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let rest = decl[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(q) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let value_start = decl.len() - rest.len() + 1;
        let len = decl[value_start..].find(q)?;
        return Some((&decl[value_start..value_start + len], value_start + 1));
    }
    None
}

/// `text` with the encoding name of its XML declaration replaced by `UTF-8` (it is UTF-8 now).
fn relabel(mut text: String) -> String {
    if !text.starts_with("<?xml") {
        return text;
    }
    let Some(end) = text.find("?>") else {
        return text;
    };
    if let Some((name, column)) = pseudo_attr(&text[..end], "encoding") {
        let start = column - 1;
        let range = start..start + name.len();
        text.replace_range(range, "UTF-8");
    }
    text
}
