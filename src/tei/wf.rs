//! The well-formedness rules of XML 1.0 that quick-xml leaves to its caller, and the entities of
//! a document's internal DTD subset.
//!
//! quick-xml is a fast tokenizer, not a conforming parser: it lets through `]]>` in text, an
//! XML declaration in the middle of a document, character references to characters XML does not
//! allow (`&#8;`, `&#xFFFE;`), references to entities nobody declared, and it knows nothing of
//! `<!ENTITY>` declarations. [`super::dom::Doc::parse`] asks these functions, so a file that is
//! not XML is refused with its file, line and column, and an internal entity's text is part of
//! every text derived from the document (while the file keeps the reference).

use std::collections::HashMap;

/// Whether `c` is a character XML 1.0 allows (production `Char`).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c as u32,
        0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Whether `c` may start an XML name (production `NameStartChar`, without `:`).
fn is_name_start(c: char) -> bool {
    matches!(c as u32,
        0x41..=0x5A | 0x5F | 0x61..=0x7A | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF
        | 0x370..=0x37D | 0x37F..=0x1FFF | 0x200C..=0x200D | 0x2070..=0x218F
        | 0x2C00..=0x2FEF | 0x3001..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD
        | 0x10000..=0xEFFFF)
}

/// Whether `c` may continue an XML name (production `NameChar`, without `:`).
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c as u32, 0x2D | 0x2E | 0x30..=0x39 | 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
}

/// Whether `s` is an XML NCName (a name without a colon), the type of `xml:id`: exactly the
/// productions of XML 1.0 (fifth edition) and Namespaces in XML.
pub(crate) fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// What an entity declared in the internal subset stands for.
#[derive(Debug, Clone)]
pub(crate) enum Entity {
    /// An internal entity: its literal value (references inside are expanded when it is used).
    Internal(String),
    /// An external entity (`SYSTEM "…"` or `PUBLIC "…" "…"`): never fetched.
    External(String),
}

/// The general entities a document declares in its internal DTD subset, and whether the DTD
/// holds declarations tei-align cannot see (an external subset, parameter entities).
#[derive(Debug, Default)]
pub(crate) struct Dtd {
    /// Declared general entities (the first declaration of a name binds it, as XML says).
    pub entities: HashMap<String, Entity>,
    /// The document type names an external subset or uses parameter entities, so entities may
    /// be declared where tei-align does not read.
    pub external_decls: bool,
}

/// The longest text an entity reference may expand to, and the most text all references of a
/// document may expand to: "billion laughs" declarations must give an error, not exhaust memory.
const MAX_EXPANSION: usize = 1 << 20;
/// See [`MAX_EXPANSION`].
pub(crate) const MAX_TOTAL_EXPANSION: usize = 64 << 20;

impl Dtd {
    /// Read the declarations of a `<!DOCTYPE …>` (the whole markup, as written). Errors are a
    /// message and the byte offset in `doctype` where the problem is.
    pub(crate) fn parse(doctype: &str) -> Result<Dtd, (usize, String)> {
        let mut dtd = Dtd::default();
        let open = doctype.find('[');
        let head = &doctype[..open.unwrap_or(doctype.len())];
        if head.contains("SYSTEM") || head.contains("PUBLIC") {
            dtd.external_decls = true;
        }
        let Some(open) = open else {
            return Ok(dtd);
        };
        let close = doctype.rfind(']').unwrap_or(doctype.len());
        let subset = &doctype[open + 1..close.max(open + 1)];
        let base = open + 1;
        let mut i = 0;
        while i < subset.len() {
            let rest = &subset[i..];
            if rest.starts_with("<!--") {
                i += rest.find("-->").map_or(rest.len(), |k| k + 3);
            } else if rest.starts_with("<?") {
                i += rest.find("?>").map_or(rest.len(), |k| k + 2);
            } else if let Some(decl) = rest.strip_prefix("<!ENTITY") {
                let len = markup_len(rest);
                let body = &decl[..len.saturating_sub(9).min(decl.len())];
                dtd.entity(body).map_err(|m| (base + i, m))?;
                i += len;
            } else if rest.starts_with("<!") {
                i += markup_len(rest);
            } else if rest.starts_with('%') {
                dtd.external_decls = true;
                i += 1;
            } else {
                i += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
        Ok(dtd)
    }

    /// One `<!ENTITY …>` declaration, without `<!ENTITY` and the final `>`.
    fn entity(&mut self, body: &str) -> Result<(), String> {
        let body = body.trim_start();
        if body.starts_with('%') {
            // A parameter entity: it only matters to the DTD, which tei-align does not validate.
            return Ok(());
        }
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(body.len());
        let name = &body[..name_len];
        if !is_ncname(name) {
            return Err(format!("<!ENTITY> with a bad name \"{name}\""));
        }
        let rest = body[name_len..].trim_start();
        let entity = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let value = rest[1..]
                    .split(q)
                    .next()
                    .ok_or_else(|| format!("<!ENTITY {name}>: the value is not closed"))?;
                if value.contains('%') {
                    return Err(format!(
                        "<!ENTITY {name}>: a parameter-entity reference in an entity value of \
                         the internal subset is not allowed"
                    ));
                }
                Entity::Internal(value.to_owned())
            }
            _ if rest.starts_with("SYSTEM") || rest.starts_with("PUBLIC") => {
                Entity::External(rest.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            _ => {
                return Err(format!(
                    "<!ENTITY {name}>: neither a value nor SYSTEM/PUBLIC"
                ));
            }
        };
        self.entities.entry(name.to_owned()).or_insert(entity);
        Ok(())
    }

    /// The text the general entity `name` stands for: its value with character references,
    /// predefined entities and other internal entities expanded and markup left out (its text
    /// content). Errors name what is wrong: undeclared, external, recursive, too long.
    pub(crate) fn expand(&self, name: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut stack = Vec::new();
        self.expand_into(name, &mut stack, &mut out)?;
        Ok(out)
    }

    fn expand_into<'s>(
        &'s self,
        name: &'s str,
        stack: &mut Vec<&'s str>,
        out: &mut String,
    ) -> Result<(), String> {
        if let Some(p) = predefined(name) {
            out.push_str(p);
            return Ok(());
        }
        let value = match self.entities.get(name) {
            Some(Entity::Internal(v)) => v,
            Some(Entity::External(id)) => {
                return Err(format!(
                    "&{name}; is an external entity ({id}); tei-align never fetches external \
                     entities: put its text in the file"
                ));
            }
            None if self.external_decls => {
                return Err(format!(
                    "entity &{name}; is not declared in the document (an external DTD is not \
                     read); declare it in the internal subset or write its text"
                ));
            }
            None => return Err(format!("undefined entity &{name};")),
        };
        if stack.contains(&name) {
            return Err(format!("entity &{name}; refers to itself"));
        }
        stack.push(name);
        let mut rest = value.as_str();
        while !rest.is_empty() {
            if out.len() > MAX_EXPANSION {
                return Err(format!(
                    "entity &{}; expands to more than {MAX_EXPANSION} bytes",
                    stack[0]
                ));
            }
            if let Some(r) = rest.strip_prefix('&') {
                let end = r
                    .find(';')
                    .ok_or_else(|| format!("entity &{name};: '&' without ';' in its value"))?;
                let reference = &r[..end];
                match reference.strip_prefix('#') {
                    Some(num) => out.push(char_ref(num)?),
                    None => self.expand_into(reference, stack, out)?,
                }
                rest = &r[end + 1..];
            } else if rest.starts_with('<') {
                // Markup in the replacement text: its text content is what counts.
                let len = rest.find('>').map_or(rest.len(), |k| k + 1);
                rest = &rest[len..];
            } else {
                let len = rest.find(['&', '<']).unwrap_or(rest.len());
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
        }
        stack.pop();
        Ok(())
    }
}

/// The five entities XML predefines.
pub(crate) fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// The character of a character reference (`#x41` without `&#` and `;`: `x41`, `65`), if it is
/// one XML allows.
pub(crate) fn char_ref(num: &str) -> Result<char, String> {
    let code = match num.strip_prefix('x') {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            u32::from_str_radix(hex, 16).ok()
        }
        None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => num.parse().ok(),
        _ => None,
    };
    let Some(code) = code else {
        return Err(format!("malformed character reference &#{num};"));
    };
    char::from_u32(code)
        .filter(|&c| is_xml_char(c))
        .ok_or_else(|| {
            format!("character reference &#{num}; is to U+{code:04X}, which XML does not allow")
        })
}

/// The length of a markup declaration starting at `s` (`<!…>`), quoted strings skipped.
fn markup_len(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncnames_follow_the_xml_productions() {
        for ok in ["cs.s1", "_x", "ř.s1", "a·b", "a\u{301}", "Σ-1"] {
            assert!(is_ncname(ok), "{ok}");
        }
        for bad in ["", "cs s3", "x#y", "1a", "-a", ".a", "a:b", "a²"] {
            assert!(!is_ncname(bad), "{bad}");
        }
    }

    #[test]
    fn internal_entities_expand_recursively_and_external_ones_are_refused() {
        let dtd = Dtd::parse(
            "<!DOCTYPE TEI [\n<!ENTITY cc \"Central Committee\">\n<!ENTITY p '&cc; of the &#x50;arty'>\n<!-- <!ENTITY cc \"no\"> -->\n<!ENTITY cc \"second\">\n<!ENTITY ext SYSTEM \"http://example.org/x\">\n<!ENTITY m \"<hi>marked</hi> up\">\n<!ENTITY self \"a &self;\">\n]>",
        )
        .unwrap();
        assert_eq!(dtd.expand("cc").unwrap(), "Central Committee");
        assert_eq!(dtd.expand("p").unwrap(), "Central Committee of the Party");
        assert_eq!(dtd.expand("m").unwrap(), "marked up");
        assert_eq!(dtd.expand("amp").unwrap(), "&");
        assert!(dtd.expand("ext").unwrap_err().contains("never fetches"));
        assert!(dtd.expand("self").unwrap_err().contains("itself"));
        assert!(dtd.expand("nosuch").unwrap_err().contains("undefined"));
    }

    #[test]
    fn billion_laughs_is_an_error() {
        let mut d = String::from("<!DOCTYPE a [<!ENTITY l0 \"ha\">");
        for k in 1..30 {
            d.push_str(&format!(
                "<!ENTITY l{k} \"&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};\">",
                p = k - 1
            ));
        }
        d.push_str("]>");
        let dtd = Dtd::parse(&d).unwrap();
        assert!(dtd.expand("l29").unwrap_err().contains("more than"));
    }

    #[test]
    fn character_references_must_be_xml_characters() {
        assert_eq!(char_ref("x41"), Ok('A'));
        assert_eq!(char_ref("233"), Ok('é'));
        for bad in ["xFFFE", "xFFFF", "8", "0", "xD800", "x", "12a", "x110000"] {
            assert!(char_ref(bad).is_err(), "{bad}");
        }
    }
}
