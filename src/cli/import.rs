//! The `import` command: plain text, simple HTML or TEI in, a TEI layer with `<s xml:id>` out.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use tei_align::fsutil;
use tei_align::model::{Agent, Derivation, DerivationKind};
use tei_align::segment;
use tei_align::tei::header::{HeaderSpec, SourceSpec, document, is_iso_date};
use tei_align::tei::import::{
    BodyOptions, GapSpec, body_from_html, body_from_text, body_without_text, clean_text,
};
use tei_align::tei::{SegmentOptions, is_ncname, resegment};

/// The kind of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// From the file name: `.xml` is TEI, `.html`/`.htm` is HTML, anything else plain text.
    Auto,
    /// Plain text, paragraphs separated by blank lines.
    Text,
    /// Simple well-formed HTML (h1, header/article, h2, p, ol/ul/li).
    Html,
    /// A TEI document: `<s xml:id>` are inserted; existing ones and their ids are kept.
    Tei,
}

/// Arguments of the command.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    tei-align import --lang cs --letter --id cs -o texts/letter-1968/cs.xml cs.txt\n  \
    tei-align import --lang ru --id ru --gap-end 'text-unavailable:No transcription' -o ru.xml\n  \
    tei-align import --in-place texts/letter-1968/cs.xml   # re-segment after an edit, ids stay")]
pub struct Args {
    /// The input file (plain text, HTML or TEI; `-` reads standard input). Omit it for a
    /// witness whose text is not available: then give its gap with --gap-start/--gap-end.
    pub input: Option<PathBuf>,
    /// The TEI file to write (atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rewrite the input TEI file itself (only for TEI input).
    #[arg(long)]
    pub in_place: bool,
    /// The kind of input.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: Format,
    /// The layer id: sentence ids are `<id>.s<N>` [default: the output file's stem].
    #[arg(long)]
    pub id: Option<String>,
    /// The language code (BCP 47: `cs`, `ru`, `en`, `en-GB`, …; it becomes `xml:lang`)
    /// [default: html/@lang or TEI/@xml:lang].
    #[arg(long)]
    pub lang: Option<String>,
    /// The header of a new layer (text and HTML input).
    #[command(flatten)]
    pub header: Box<HeaderArgs>,
    /// Text is missing before the beginning: `reason[:description]`.
    #[arg(long, value_name = "REASON[:DESC]")]
    pub gap_start: Option<String>,
    /// Text is missing after the end: `reason[:description]` (e.g.
    /// `source-incomplete:The source breaks off here`).
    #[arg(long, value_name = "REASON[:DESC]")]
    pub gap_end: Option<String>,
    /// Recognise a letter's salutation (`<opener><salute>`) and signatures (`<closer><signed>`)
    /// in plain text.
    #[arg(long)]
    pub letter: bool,
    /// Split existing `<s>` that hold a sentence boundary (the first part keeps its id).
    #[arg(long)]
    pub resplit: bool,
    /// The date recorded in revisionDesc/change [default: today].
    #[arg(long, value_name = "DATE")]
    pub when: Option<String>,
}

/// Options that fill the header of a new layer (boxed: they are many).
#[derive(Debug, clap::Args)]
pub struct HeaderArgs {
    /// The title of the layer [default: the HTML's h1, else the file name].
    #[arg(long)]
    pub title: Option<String>,
    /// A person responsible for the layer, `id:Name:role` (role: translator, publisher, editor,
    /// transcriber, …). Repeat for several. Ids must be unique across the work.
    #[arg(long = "resp", value_name = "ID:NAME:ROLE")]
    pub resp: Vec<String>,
    /// The layer this one derives from (its id, e.g. `cs`). A layer made from several sources
    /// (a translation made with another version at hand, a collation): repeat the flag or give
    /// `--source-layer ru,cs`.
    #[arg(long, value_name = "LAYER", value_delimiter = ',')]
    pub source_layer: Vec<String>,
    /// How this layer was made from the source layer: translation, publication, transcription.
    /// With several sources: one kind for all, or one per source in the same order (repeat the
    /// flag or separate with commas).
    #[arg(
        long,
        default_value = "translation",
        value_name = "KIND",
        value_delimiter = ','
    )]
    pub derivation: Vec<String>,
    /// When the derivation was made (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub derivation_when: Option<String>,
    /// Who made the derivation (agent ids, comma separated) [default: every --resp].
    #[arg(long, value_name = "IDS")]
    pub derivation_resp: Option<String>,
    /// Where the text was taken from (a publication, an archive record).
    #[arg(long, value_name = "TEXT")]
    pub source_desc: Option<String>,
    /// The URL of the source.
    #[arg(long, value_name = "URL")]
    pub source_url: Option<String>,
    /// The date of the source (ISO dates are also written as @when).
    #[arg(long, value_name = "DATE")]
    pub source_date: Option<String>,
    /// For a physical witness: the repository that holds it.
    #[arg(long, value_name = "TEXT")]
    pub repository: Option<String>,
    /// For a physical witness: a note on it.
    #[arg(long, value_name = "TEXT")]
    pub witness: Option<String>,
    /// A publication of the witness or text (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub bibl: Vec<String>,
    /// How the text was made (profileDesc/creation), e.g. "Typed in Russian …".
    #[arg(long, value_name = "TEXT")]
    pub creation: Option<String>,
    /// When the text was made (ISO date).
    #[arg(long, value_name = "DATE")]
    pub creation_date: Option<String>,
    /// The licence of the text.
    #[arg(long, value_name = "TEXT")]
    pub licence: Option<String>,
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<()> {
    let output = match (&a.output, a.in_place, &a.input) {
        (Some(_), true, _) => bail!("give either -o FILE or --in-place, not both"),
        (Some(o), false, _) => o.clone(),
        (None, true, Some(i)) if i == Path::new("-") => {
            bail!("--in-place needs an input file, not standard input")
        }
        (None, true, Some(i)) => i.clone(),
        (None, true, None) => bail!("--in-place needs an input file"),
        (None, false, _) => bail!("no output file: give -o FILE (or --in-place for TEI input)"),
    };
    if let Some(i) = &a.input
        && !a.in_place
        && same_file(i, &output)
    {
        bail!(
            "{}: refusing to overwrite the input file; use --in-place to rewrite it",
            output.display()
        );
    }
    for (flag, d) in [
        ("--derivation-when", &a.header.derivation_when),
        ("--creation-date", &a.header.creation_date),
        ("--when", &a.when),
    ] {
        if let Some(d) = d
            && !is_iso_date(d)
        {
            bail!("{flag} {d:?}: not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)");
        }
    }
    if let Some(l) = &a.lang {
        super::check_lang_arg("--lang", l)?;
    }
    // Ids end up in xml:id and in pointers (`cs.xml#layer.cs`, `#kramer`): a space or a slash
    // would make a broken or a second pointer, so they are checked before anything is read.
    let ids = a.id.iter().map(|id| ("--id", id)).chain(
        a.header
            .source_layer
            .iter()
            .map(|id| ("--source-layer", id)),
    );
    for (flag, id) in ids {
        if !is_ncname(id) {
            bail!("{flag} {id:?}: not a layer id (a letter, then letters, digits, '-', '.', '_')");
        }
    }
    let (nsrc, nkind) = (a.header.source_layer.len(), a.header.derivation.len());
    if nkind > 1 && nkind != nsrc {
        bail!(
            "--derivation: {nkind} kinds for {nsrc} source layer(s); give one kind for all, or one per --source-layer"
        );
    }
    if let Some(dup) = a
        .header
        .source_layer
        .iter()
        .enumerate()
        .find(|(i, s)| a.header.source_layer[..*i].contains(s))
        .map(|(_, s)| s)
    {
        bail!("--source-layer {dup:?}: named twice");
    }
    let gap = |s: &Option<String>, flag: &str| -> anyhow::Result<Option<GapSpec>> {
        match s {
            None => Ok(None),
            Some(s) => GapSpec::parse(s).map(Some).with_context(|| {
                format!("{flag} {s:?}: expected reason[:description], the reason one word")
            }),
        }
    };
    let body_opts = BodyOptions {
        letter: a.letter,
        gap_start: gap(&a.gap_start, "--gap-start")?,
        gap_end: gap(&a.gap_end, "--gap-end")?,
    };
    // Check every option before reading any file.
    let agents = a
        .header
        .resp
        .iter()
        .map(|r| parse_resp(r))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if let Some(ids) = &a.header.derivation_resp {
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !agents.iter().any(|g| g.id == id) {
                bail!(
                    "--derivation-resp {id:?}: no --resp with that id (it would point nowhere); \
                     give --resp {id}:Name:role"
                );
            }
        }
    }
    let when = a.when.clone().unwrap_or_else(today);
    let format = match (&a.input, a.format) {
        (None, _) => None,
        (Some(p), Format::Auto) => Some(match ext(p).as_str() {
            "xml" | "tei" => Format::Tei,
            "html" | "htm" | "xhtml" => Format::Html,
            _ => Format::Text,
        }),
        (Some(_), f) => Some(f),
    };
    if a.in_place && format != Some(Format::Tei) {
        bail!("--in-place rewrites TEI input only");
    }
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let out_name = output.display().to_string();

    let result = if format == Some(Format::Tei) {
        let input = a.input.as_deref().unwrap_or(Path::new(""));
        let src = read_input(input)?;
        let header_flags = a.header.title.is_some()
            || !a.header.resp.is_empty()
            || !a.header.source_layer.is_empty()
            || a.header.source_desc.is_some()
            || a.header.source_url.is_some()
            || a.header.repository.is_some()
            || body_opts.gap_start.is_some()
            || body_opts.gap_end.is_some();
        if header_flags {
            bail!(
                "{}: header and gap options apply to text and HTML input; a TEI file's header \
                 is edited in the file itself",
                input.display()
            );
        }
        let layer = match &a.id {
            Some(id) => id.clone(),
            None => declared_layer(&src).unwrap_or_else(|| stem(&output)),
        };
        resegment(
            &src,
            &input.display().to_string(),
            &SegmentOptions {
                layer,
                lang: a.lang.clone().unwrap_or_default(),
                resplit: a.resplit,
                record_when: Some(when),
            },
        )?
    } else {
        let (body, meta_title, meta_lang) = match (&a.input, format) {
            (Some(p), Some(Format::Html)) => {
                let src = read_input(p)?;
                let (b, m) = body_from_html(&src, &p.display().to_string(), &body_opts)?;
                (b, m.title, m.lang)
            }
            (Some(p), _) => {
                let text = read_input(p)?;
                let text = clean_text(&text, &p.display().to_string())?;
                (body_from_text(&text, &body_opts), None, None)
            }
            (None, _) => {
                if body_opts.gap_start.is_none() && body_opts.gap_end.is_none() {
                    bail!(
                        "no input file: give one, or record the missing text with \
                         --gap-start/--gap-end"
                    );
                }
                (body_without_text(&body_opts), None, None)
            }
        };
        let layer = a.id.clone().unwrap_or_else(|| stem(&output));
        if !is_ncname(&layer) {
            bail!(
                "{out_name}: the layer id {layer:?} taken from the file name cannot be an \
                 xml:id; give --id"
            );
        }
        let input_name = a
            .input
            .as_deref()
            .map_or_else(|| out_name.clone(), |p| p.display().to_string());
        let lang = match (&a.lang, meta_lang) {
            (Some(l), _) => l.clone(),
            (None, Some(l)) => {
                segment::check_lang(&l)
                    .map_err(|e| anyhow::anyhow!("{input_name}: html/@lang {e}; or give --lang"))?;
                l
            }
            (None, None) => bail!("{input_name}: no language given: give --lang"),
        };
        let resp: Vec<String> = match &a.header.derivation_resp {
            Some(ids) => ids
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            None => agents.iter().map(|g| g.id.clone()).collect(),
        };
        // One <relation> per source; the kinds were checked above (one for all, or one each).
        let derivations: Vec<Derivation> = a
            .header
            .source_layer
            .iter()
            .enumerate()
            .map(|(i, src_layer)| Derivation {
                source: src_layer.clone(),
                kind: DerivationKind::parse(
                    a.header
                        .derivation
                        .get(i)
                        .or(a.header.derivation.first())
                        .map_or("translation", String::as_str),
                ),
                resp: resp.clone(),
                when: a.header.derivation_when.clone(),
            })
            .collect();
        let spec = HeaderSpec {
            layer: layer.clone(),
            lang: lang.clone(),
            title: a.header.title.clone().or(meta_title).unwrap_or_else(|| {
                a.input
                    .as_deref()
                    .filter(|p| *p != Path::new("-"))
                    .map(stem)
                    .unwrap_or(layer.clone())
            }),
            agents,
            derivations,
            source: SourceSpec {
                desc: a.header.source_desc.clone(),
                url: a.header.source_url.clone(),
                date: a.header.source_date.clone(),
                repository: a.header.repository.clone(),
                witness: a.header.witness.clone(),
                bibls: a.header.bibl.clone(),
            },
            creation: a.header.creation.clone(),
            creation_date: a.header.creation_date.clone(),
            licence: a.header.licence.clone(),
        };
        let xml = document(&spec, &body);
        // The body is copied into the document: free it before the document is parsed, which on
        // a long book is the difference of one more copy of the text in memory.
        drop(body);
        resegment(
            &xml,
            &out_name,
            &SegmentOptions {
                layer,
                lang,
                resplit: false,
                record_when: Some(when),
            },
        )?
    };
    for w in &result.warnings {
        eprintln!("tei-align: warning: {w}");
    }
    fsutil::write_atomic(&output, result.xml.as_bytes())?;
    eprintln!(
        "{}: {} new sentence(s), {} kept, {} split",
        out_name,
        result.new_ids.len(),
        result.kept,
        result.split.len()
    );
    Ok(())
}

/// The input's text: a file, or standard input for `-` (with the same checks, named `<stdin>`).
fn read_input(p: &Path) -> anyhow::Result<String> {
    if p == Path::new("-") {
        super::segment::read_stdin()
    } else {
        Ok(fsutil::read_text(p)?)
    }
}

fn ext(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The layer a TEI file declares with its root `xml:id="layer.<id>"` (a cheap look at the
/// root's start tag; the full parse comes later).
fn declared_layer(src: &str) -> Option<String> {
    let root_start = src.find("<TEI")?;
    let root_end = root_start + src[root_start..].find('>')?;
    let tag = &src[root_start..root_end];
    let i = tag.find("xml:id=\"layer.")? + "xml:id=\"layer.".len();
    let end = tag[i..].find('"')?;
    Some(tag[i..i + end].to_owned())
}

/// Parse `id:Name:role`.
fn parse_resp(s: &str) -> anyhow::Result<Agent> {
    let parts: Vec<&str> = s.splitn(3, ':').map(str::trim).collect();
    match parts.as_slice() {
        [id, name, role]
            if !id.is_empty()
                && !name.is_empty()
                && !role.is_empty()
                && id
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                && id
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')) =>
        {
            Ok(Agent {
                id: (*id).to_owned(),
                name: (*name).to_owned(),
                role: (*role).to_owned(),
            })
        }
        _ => bail!("--resp {s:?}: expected id:Name:role (the id a name without spaces)"),
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}
