//! The one place where text becomes XML (or HTML): every writer of the crate escapes through
//! these functions. They differ only in what the context requires:
//!
//! - [`text`]: element content (`&`, `<`, `>`), as the interchange formats write sentences;
//! - [`markup`]: content or a double-quoted attribute (also `"`), as the layer writers do;
//! - [`attr`]: a double-quoted attribute whose white space must read back exactly (also tab,
//!   newline and carriage return as character references: a literal one is normalised to a
//!   space by every XML parser), as the standoff writers do;
//! - [`html`]: HTML and the parallel edition's text (also `'`, and control characters XML 1.0
//!   forbids replaced by a space).
//!
//! (quick-xml's `escape` writes `&apos;`, which HTML 4 does not know; hence our own.)

/// What to escape besides `&`, `<` and `>`.
#[derive(Clone, Copy)]
struct Rules {
    quot: bool,
    apos: bool,
    space_refs: bool,
    controls: bool,
}

fn escape(s: &str, r: Rules) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s, r);
    out
}

/// Append `s` escaped by `r` to `out`; text with nothing to escape (most ids and pointers) is
/// copied as it is.
fn escape_into(out: &mut String, s: &str, r: Rules) {
    if !s
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || b < 0x20)
    {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if r.quot => out.push_str("&quot;"),
            '\'' if r.apos => out.push_str("&#39;"),
            '\n' if r.space_refs => out.push_str("&#10;"),
            '\t' if r.space_refs => out.push_str("&#9;"),
            '\r' if r.space_refs => out.push_str("&#13;"),
            c if r.controls && (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                out.push(' ')
            }
            c => out.push(c),
        }
    }
}

/// Escape element content.
pub fn text(s: &str) -> String {
    escape(
        s,
        Rules {
            quot: false,
            apos: false,
            space_refs: false,
            controls: false,
        },
    )
}

/// Escape element content or a double-quoted attribute value.
pub fn markup(s: &str) -> String {
    escape(
        s,
        Rules {
            quot: true,
            apos: false,
            space_refs: false,
            controls: false,
        },
    )
}

/// Escape a double-quoted attribute value (or content) keeping its white space exact.
pub fn attr(s: &str) -> String {
    escape(
        s,
        Rules {
            quot: true,
            apos: false,
            space_refs: true,
            controls: false,
        },
    )
}

/// [`attr`], appended to `out` (the standoff writers write many items into one buffer).
pub(crate) fn push_attr(out: &mut String, s: &str) {
    escape_into(
        out,
        s,
        Rules {
            quot: true,
            apos: false,
            space_refs: true,
            controls: false,
        },
    )
}

/// Escape HTML (or XML) content and attribute values, either quote.
pub fn html(s: &str) -> String {
    escape(
        s,
        Rules {
            quot: true,
            apos: true,
            space_refs: false,
            controls: true,
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_context_escapes_what_it_must() {
        let s = "a<b>&\"c'\n\t\r\u{1}";
        assert_eq!(super::text(s), "a&lt;b&gt;&amp;\"c'\n\t\r\u{1}");
        assert_eq!(super::markup(s), "a&lt;b&gt;&amp;&quot;c'\n\t\r\u{1}");
        assert_eq!(super::attr(s), "a&lt;b&gt;&amp;&quot;c'&#10;&#9;&#13;\u{1}");
        assert_eq!(super::html(s), "a&lt;b&gt;&amp;&quot;c&#39;\n\t\r ");
        let mut out = String::from("x");
        super::push_attr(&mut out, s);
        assert_eq!(out, format!("x{}", super::attr(s)));
        super::push_attr(&mut out, "plain");
        assert!(out.ends_with("&#13;\u{1}plain"));
    }
}
