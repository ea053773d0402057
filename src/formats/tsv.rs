//! Tab-separated export of an edge: one bead per record with its ids, confidence, review status,
//! the texts of both sides and what the bead is (`subtype`: `partial`, `source-gap` …), for a
//! spreadsheet or a script; and its import.
//!
//! Quoting follows RFC 4180 with a tab as delimiter (the `csv` crate writes and reads it): a
//! field holding a tab, a quote or a line break is put in double quotes, a quote in it doubled,
//! so Python's `csv.reader(f, delimiter="\t")` gives every text back exactly. Records end with
//! LF. For a spreadsheet (`--excel`) the file starts with a UTF-8 BOM, records end with CRLF,
//! and a text cell that a spreadsheet would take for a formula (starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return) gets a leading `'`, which [`strip_neutraliser`] removes
//! again; the id, ids, certainty and status columns never start with those characters.

use super::{EdgeItem, FormatError, ImportedBead, ImportedFile, status_word};
use crate::model::SentenceIndex;
use crate::model::{LinkStatus, Work};

/// The columns, as the header record names them.
pub const COLUMNS: [&str; 8] = [
    "id",
    "source_ids",
    "derived_ids",
    "certainty",
    "status",
    "source_text",
    "derived_text",
    "subtype",
];

/// The header line.
pub const HEADER: &str =
    "id\tsource_ids\tderived_ids\tcertainty\tstatus\tsource_text\tderived_text\tsubtype";

/// The characters a spreadsheet reads as the start of a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as a spreadsheet must show it: a formula-leading one gets a leading `'`.
pub(crate) fn neutralise(cell: &str) -> String {
    if needs_mark(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// True when the cell after a `'` would itself be neutralised (so `'=x` written as `''=x`
/// reads back as `'=x`).
fn needs_mark(rest: &str) -> bool {
    rest.starts_with(FORMULA_START) || rest.starts_with('\'') && needs_mark(&rest[1..])
}

/// The inverse of `neutralise`.
pub fn strip_neutraliser(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_mark(rest) => rest,
        _ => cell,
    }
}

/// The status as the status column writes it: `auto`, or `man:<who>:<when>`.
fn status_cell(s: &LinkStatus) -> String {
    match s {
        LinkStatus::Automatic => status_word(s).to_owned(),
        LinkStatus::Verified { who, when, .. } => format!("man:{who}:{when}"),
    }
}

/// Write the beads of an edge as TSV with a header record. `excel`: BOM, CRLF, neutralised
/// formula cells.
pub fn export(work: &Work, items: &[EdgeItem], excel: bool) -> Result<String, FormatError> {
    let idx = SentenceIndex::new(work);
    let text = |ids: &[String]| {
        let t = ids
            .iter()
            .filter_map(|id| idx.text(id))
            .collect::<Vec<_>>()
            .join(" ");
        if excel { neutralise(&t) } else { t }
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .terminator(if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| FormatError::Alignment(format!("writing TSV: {e}"));
    w.write_record(COLUMNS).map_err(fail)?;
    for it in items {
        w.write_record([
            it.id.clone(),
            it.source.join(" "),
            it.derived.join(" "),
            it.shown_cert()
                .map_or_else(String::new, super::cesalign::fmt_cert),
            status_cell(&it.status),
            text(&it.source),
            text(&it.derived),
            // Last, so that scripts reading the first seven columns by position still work.
            it.subtype().unwrap_or("").to_owned(),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| FormatError::Alignment(format!("writing TSV: {e}")))?;
    let body = String::from_utf8(bytes)
        .map_err(|e| FormatError::Alignment(format!("writing TSV: {e}")))?;
    Ok(if excel {
        format!("\u{feff}{body}")
    } else {
        body
    })
}

/// True when two texts have the same words (white space aside).
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Read a status cell: `auto`, `man` (confirmed, nobody named), `man:<who>:<when>`.
fn parse_status(cell: &str, default_who: &str, now: &str) -> Result<(LinkStatus, bool), String> {
    let cell = cell.trim();
    if cell == "auto" || cell == "automatic" || cell.is_empty() {
        return Ok((LinkStatus::Automatic, false));
    }
    let Some(rest) = cell.strip_prefix("man") else {
        return Err(format!(
            "status '{cell}' is not auto, man or man:<who>:<when>"
        ));
    };
    if rest.is_empty() {
        return Ok((
            LinkStatus::Verified {
                who: default_who.to_owned(),
                when: now.to_owned(),
                digest: None,
            },
            true,
        ));
    }
    let (who, when) = rest
        .strip_prefix(':')
        .and_then(|r| r.split_once(':'))
        .ok_or_else(|| format!("status '{cell}' is not man:<who>:<when>"))?;
    if !crate::tei::is_ncname(who) {
        return Err(format!("'{who}' is not a valid editor id"));
    }
    Ok((
        LinkStatus::Verified {
            who: who.to_owned(),
            when: when.to_owned(),
            digest: None,
        },
        false,
    ))
}

/// The delimiter of a file a spreadsheet may have saved: a tab (ours), else `;` (what
/// spreadsheets write as "CSV" where the comma is the decimal sign: cs, de, fr …), else `,`;
/// told by the header line, which names the columns.
fn delimiter(src: &str) -> u8 {
    let header = src.lines().next().unwrap_or("");
    if header.contains('\t') {
        b'\t'
    } else if header.contains(';') {
        b';'
    } else if header.contains(',') {
        b','
    } else {
        b'\t'
    }
}

/// A certainty cell: `0.93`, or `0,93` as a spreadsheet with a decimal comma writes it.
fn parse_cert(cell: &str) -> Option<f64> {
    cell.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|c| (0.0..=1.0).contains(c))
}

/// Read TSV as [`export`] writes it (with or without `--excel`), or as a spreadsheet saves it
/// again as CSV (`;` or `,` between cells, a decimal comma, empty rows at the end): the header
/// names the columns, so they may come in any order and extra ones are ignored; `id`,
/// `source_ids` and `derived_ids` are needed. A text cell that is not the text of its
/// sentences in `work` is said in a note (texts are not imported: the ids place the beads).
/// Errors name the file and the record's line.
pub fn import(
    src: &str,
    path: &str,
    work: &Work,
    default_who: &str,
    now: &str,
) -> Result<ImportedFile, FormatError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let perr = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter(src))
        .flexible(true)
        .from_reader(src.as_bytes());
    let header = r
        .headers()
        .map_err(|e| perr(1, format!("bad TSV header: {e}")))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(src_col), Some(der_col)) = (col("source_ids"), col("derived_ids")) else {
        return Err(perr(
            1,
            format!(
                "the header must name the columns source_ids and derived_ids ({})",
                COLUMNS.join(", ")
            ),
        ));
    };
    let (id_col, cert_col, status_col) = (col("id"), col("certainty"), col("status"));
    let text_cols = [
        (col("source_text"), src_col),
        (col("derived_text"), der_col),
    ];
    let idx = SentenceIndex::new(work);
    let mut out = ImportedFile::default();
    // The first certainty that is not a number in [0, 1], with its line.
    let mut bad_cert: Option<(usize, String)> = None;
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            perr(line, format!("bad TSV record: {e}"))
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue; // an empty row a spreadsheet keeps at the end
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
        let ids = |c: usize| -> Vec<String> {
            rec.get(c)
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        };
        let cert = match get(cert_col).trim() {
            "" => None,
            c => {
                let v = parse_cert(c);
                if v.is_none() && bad_cert.is_none() {
                    bad_cert = Some((line, c.to_owned()));
                }
                v
            }
        };
        let status = match status_col {
            Some(_) => {
                let (s, unnamed) =
                    parse_status(get(status_col), default_who, now).map_err(|m| perr(line, m))?;
                if unnamed {
                    out.unnamed.push(out.beads.len());
                }
                Some(s)
            }
            None => None,
        };
        for (text_col, ids_col) in text_cols {
            let cell = strip_neutraliser(get(text_col));
            let ids = ids(ids_col);
            let layer: Vec<&str> = ids.iter().filter_map(|id| idx.text(id)).collect();
            if text_col.is_some() && !same_words(cell, &layer.join(" ")) {
                out.notes.push(format!(
                    "{path}:{line}: the text of {} is not the layer's; texts are not imported \
                     (the ids place the beads): make the change in the layer \
                     (`tei-align import --in-place --resplit`)",
                    ids.join(" ")
                ));
            }
        }
        let id = get(id_col).trim();
        out.beads.push(ImportedBead {
            id: crate::tei::is_ncname(id).then(|| id.to_owned()),
            source: ids(src_col),
            derived: ids(der_col),
            cert,
            status,
            line,
        });
    }
    if let Some((line, cell)) = bad_cert {
        // A spreadsheet in a language that groups thousands with '.' (German, Spanish …)
        // reads 0.998 as 998 and saves that; a column with such a cell cannot be trusted in
        // any of its cells (it reads 0.001 as 1), and the ids place the beads without it.
        for b in &mut out.beads {
            b.cert = None;
        }
        out.notes.push(format!(
            "{path}:{line}: certainty '{cell}' is not a number in [0, 1] (a spreadsheet that \
             takes '.' for a thousands separator reads 0.998 as 998): the certainty column is \
             not read; links keep the certainty they have"
        ));
    }
    Ok(out)
}
