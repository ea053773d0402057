//! The `import` command: plain text, simple HTML or TEI in, a TEI layer with `<s xml:id>` out.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use tei_align::fsutil;
use tei_align::model::Agent;
use tei_align::tei::annotate::{Marks, Sic, SourceSpan, Variant};
use tei_align::tei::header::{
    AltIdentifier, HeaderSpec, PublisherSpec, SourceNote, SourceSpec, UNKNOWN, is_iso_date,
};
use tei_align::tei::import::{
    BodyOptions, DerivationOptions, GapSpec, LayerInput, NewLayer, clean_text, make_layer,
};
use tei_align::tei::{Resegmented, is_ncname};

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
    /// The TEI file to write (atomically); `-` writes standard output (then give --id).
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
    /// When another command is editing the work the output belongs to, wait for it instead of
    /// failing.
    #[arg(long)]
    pub wait: bool,
}

/// Options that fill the header of a new layer (boxed: they are many).
#[derive(Debug, clap::Args)]
pub struct HeaderArgs {
    /// The title of the layer [default: the HTML's h1, else for a derived layer its source
    /// layer's work name with the language and derivation ("Letter to …: English translation",
    /// read from the source's file beside the output), else the file name].
    #[arg(long)]
    pub title: Option<String>,
    /// Who is responsible for the encoded file (`titleStmt/respStmt`), `id:Name:role` (role:
    /// encoder, editor, transcriber, …; a translator of the source goes in --translator). The
    /// roles translator, author, publisher and maker (who made a version that is no
    /// translation; Name `unknown` when the sources do not say) go in the witness description.
    /// Repeat for several. Ids must be unique across the work.
    #[arg(long = "resp", value_name = "ID:NAME:ROLE")]
    pub resp: Vec<String>,
    /// The --resp ids that name an organisation (a project, a team), not a person: written as
    /// `orgName`. Publishers, archives, repositories and institutions are organisations anyway.
    /// Repeatable.
    #[arg(long = "org", value_name = "ID")]
    pub org: Vec<String>,
    /// Who translated the text as the source gives it, `[id:]Name`, written in the witness
    /// description (`sourceDesc/bibl/respStmt`); `unknown` when the sources do not name them.
    /// Repeatable.
    #[arg(long, value_name = "[ID:]NAME")]
    pub translator: Vec<String>,
    /// The publisher of the source the text was taken from.
    #[arg(long, value_name = "NAME")]
    pub publisher: Option<String>,
    /// How sure the attribution to the publisher is (`@cert`: high, medium, low, unknown).
    #[arg(long, value_name = "CERT")]
    pub publisher_cert: Option<String>,
    /// Where the attribution to the publisher comes from (a note beside it).
    #[arg(long, value_name = "TEXT")]
    pub publisher_note: Option<String>,
    /// What the derivation is, in words (`relation/desc`) [default: the kind and who made it].
    #[arg(long, value_name = "TEXT")]
    pub derivation_note: Option<String>,
    /// The canonical address of the source (beside --source-url, the address actually used).
    #[arg(long, value_name = "URL")]
    pub source_canonical_url: Option<String>,
    /// For a physical witness: the settlement of its repository (only if a source gives it).
    #[arg(long, value_name = "TEXT")]
    pub settlement: Option<String>,
    /// For a physical witness: its shelfmark (only if a source gives it).
    #[arg(long, value_name = "TEXT")]
    pub idno: Option<String>,
    /// For a physical witness: another identifier (a copy held elsewhere),
    /// `repository|collection|idno[|note]` (empty fields allowed except idno). Repeatable.
    #[arg(long, value_name = "REPO|COLL|IDNO[|NOTE]")]
    pub alt_identifier: Vec<String>,
    /// For a physical witness: an author, spelt as the sources do. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub author: Vec<String>,
    /// For a physical witness: a step of its custodial history. Repeatable.
    #[arg(long, value_name = "TEXT")]
    pub provenance: Vec<String>,
    /// How the text was normalized (`editorialDecl/normalization`).
    #[arg(long, value_name = "TEXT")]
    pub normalization: Option<String>,
    /// Sentences taken from one copy: `bibl-id=first..last` (sentence ids, after segmentation);
    /// written as `@source` on each `<s>`. Repeatable.
    #[arg(long, value_name = "BIBL=FIRST..LAST")]
    pub source_span: Vec<String>,
    /// A variant between copies: `sentence|lemma|lemma-wits|reading|reading-wits` (wits: bibl
    /// ids, comma separated); written as `<app><lem wit><rdg wit>`. Repeatable.
    #[arg(long, value_name = "S|LEM|WITS|RDG|WITS")]
    pub variant: Vec<String>,
    /// A misprint kept as printed: `sentence|as printed|correction|resp-id`; written as
    /// `<choice><sic><corr resp>`. Repeatable.
    #[arg(long, value_name = "S|SIC|CORR|RESP")]
    pub sic: Vec<String>,
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
    /// How sure the date of the source is (`@cert`: high, medium, low, unknown), e.g. when it
    /// comes from the same indirect attribution as --publisher.
    #[arg(long, value_name = "CERT")]
    pub source_date_cert: Option<String>,
    /// The date of the source (ISO dates are also written as @when).
    #[arg(long, value_name = "DATE")]
    pub source_date: Option<String>,
    /// For a physical witness: the repository that holds it.
    #[arg(long, value_name = "TEXT")]
    pub repository: Option<String>,
    /// For a physical witness: a note on it.
    #[arg(long, value_name = "TEXT")]
    pub witness: Option<String>,
    /// A note on the witness, `TYPE[/SUBTYPE][@RESP]|TEXT` (repeatable), with its quotations
    /// as `{{QUOTE|SOURCE}}` (e.g. `conflict/original-language@en.editors|The record
    /// disagrees: {{Original Language: Czech|the record's field}}; …`). RESP is the id of a
    /// --resp of this layer.
    #[arg(long, value_name = "TYPE|TEXT")]
    pub source_note: Vec<String>,
    /// A publication or copy of the witness or text, `[id=]text` (repeatable); the id (default
    /// `<layer>.bibl<N>`) is what --source-span and --variant point at.
    #[arg(long, value_name = "[ID=]TEXT")]
    pub bibl: Vec<String>,
    /// How the text was made (profileDesc/creation), e.g. "Typed in Russian …".
    #[arg(long, value_name = "TEXT")]
    pub creation: Option<String>,
    /// When the text was made (ISO date).
    #[arg(long, value_name = "DATE")]
    pub creation_date: Option<String>,
    /// What is known of the text's availability when its licence is not known (written as
    /// `availability status="unknown"`; ignored with --licence), e.g. "The sources state no
    /// licence for this text."
    #[arg(long, value_name = "TEXT")]
    pub availability: Option<String>,
    /// The licence of the text.
    #[arg(long, value_name = "TEXT")]
    pub licence: Option<String>,
}

/// The checks on where the layer goes, before anything is read: `-o -` needs `--id`, the input
/// is not overwritten unless `--in-place`. A layer written into a work is a change of the work,
/// so the returned lock of the work is held from before the input is read (for `--in-place`)
/// until the file is written.
fn guard_output(a: &Args, output: &Path) -> anyhow::Result<Option<tei_align::project::WorkLock>> {
    let to_stdout = output == Path::new("-");
    if to_stdout && a.id.is_none() {
        return Err(super::ui::UsageError(
            "-o - (standard output) needs --id: the layer id cannot come from a file name".into(),
        )
        .into());
    }
    let lock = if to_stdout {
        None
    } else {
        super::link::layer_lock(output, a.wait)?
    };
    if let Some(i) = &a.input
        && !a.in_place
        && !to_stdout
        && same_file(i, output)
    {
        bail!(
            "{}: refusing to overwrite the input file; use --in-place to rewrite it",
            output.display()
        );
    }
    Ok(lock)
}

/// Run the command.
pub fn run(a: Args) -> anyhow::Result<()> {
    let output = output_path(&a)?;
    let _lock = guard_output(&a, &output)?;
    // Check every option before reading any file.
    check_options(&a)?;
    let body = BodyOptions {
        letter: a.letter,
        gap_start: gap(&a.gap_start, "--gap-start")?,
        gap_end: gap(&a.gap_end, "--gap-end")?,
    };
    let people = people(&a)?;
    let extras = parse_extras(&a.header, &layer_hint(&a))?;
    check_derivation_resp(&a.header, &people)?;
    let when = a
        .when
        .clone()
        .unwrap_or_else(tei_align::provenance::today_utc);
    let format = input_format(&a)?;
    let out_name = output.display().to_string();
    let input_name = a
        .input
        .as_deref()
        .map_or_else(|| out_name.clone(), |p| p.display().to_string());

    let src = a.input.as_deref().map(read_input).transpose()?;
    let cleaned;
    let input = match (format, &src) {
        (Some(Format::Tei), Some(src)) => {
            refuse_header_options(&a, &people, &body, &input_name)?;
            LayerInput::Tei(src)
        }
        (Some(Format::Html), Some(src)) => LayerInput::Html(src),
        (_, Some(src)) => {
            cleaned = clean_text(src, &input_name)?;
            LayerInput::Text(&cleaned)
        }
        (_, None) => {
            if body.gap_start.is_none() && body.gap_end.is_none() {
                bail!(
                    "no input file: give one, or record the missing text with \
                     --gap-start/--gap-end"
                );
            }
            LayerInput::Missing
        }
    };
    let source_title = source_title(&output, &a.header);
    // Named after its file (plain text, no title of its own or of a source): say so once the
    // layer is written, since the edition shows the title in every column head.
    let untitled = (a.header.title.is_none()
        && source_title.is_none()
        && matches!(input, LayerInput::Text(_) | LayerInput::Missing))
    .then(|| {
        format!(
            "{out_name}: no --title given: the layer is titled \"{}\" after its file name; \
             give --title (a layer imported with --source-layer from it is then named after it)",
            a.input
                .as_deref()
                .filter(|p| *p != Path::new("-"))
                .map_or_else(|| stem(&output), stem)
        )
    });
    let result = make_layer(NewLayer {
        input,
        input_name: &input_name,
        out_name: &out_name,
        id: a.id.clone(),
        default_id: stem(&output),
        lang: a.lang.clone(),
        title: a.header.title.clone(),
        source_title: source_title.clone(),
        input_stem: a
            .input
            .as_deref()
            .filter(|p| *p != Path::new("-"))
            .map(stem),
        header: header_spec(
            &a.header,
            people,
            extras.bibls,
            extras.alt_identifiers,
            extras.notes,
        ),
        derivation: derivation_options(&a.header),
        body,
        resplit: a.resplit,
        when,
        marks: extras.marks,
    })?;
    if !a.in_place && output != Path::new("-") {
        refuse_changed_ids(&output, &result.xml)?;
    }
    write_output(&output, &out_name, &result)?;
    if let Some(n) = untitled {
        super::ui::note(&n);
    }
    Ok(())
}

/// `-o` names an existing layer: writing over it must not make a sentence id name another
/// sentence (confirmed links and citations point at the ids).
fn refuse_changed_ids(output: &Path, xml: &str) -> anyhow::Result<()> {
    let Some(c) = tei_align::tei::import::changed_id(output, xml) else {
        return Ok(());
    };
    let short = |t: &str| {
        let mut s: String = t.chars().take(40).collect();
        if s.len() < t.len() {
            s.push('…');
        }
        s
    };
    let what = match &c.new {
        Some(new) => format!(
            "would name \"{}\" instead of \"{}\"",
            short(new),
            short(&c.old)
        ),
        None => format!("(\"{}\") would be gone and could be reused", short(&c.old)),
    };
    bail!(
        "{}: refusing to write over this layer: its sentence id {} {what}; ids are never \
         reused. To change its text and keep its ids, edit the file and run tei-align import \
         --in-place {}; to replace the layer anyway, delete it first",
        output.display(),
        c.id,
        output.display()
    )
}

/// The title of the first source layer, read from its file beside the output (a work's layers
/// share a directory), when no --title is given: a derived layer is then named after it.
fn source_title(output: &Path, h: &HeaderArgs) -> Option<String> {
    if h.title.is_some() || output == Path::new("-") {
        return None;
    }
    let first = h.source_layer.first()?;
    let file = output.parent()?.join(format!("{first}.xml"));
    // A source titled by its own id was itself imported without a title: nothing to name
    // this one after.
    let l = tei_align::tei::read_layer(&file).ok()?;
    (l.title != l.id).then_some(l.title)
}

/// --source-layer, --derivation, --derivation-resp/-when/-note.
fn derivation_options(h: &HeaderArgs) -> DerivationOptions {
    DerivationOptions {
        sources: h.source_layer.clone(),
        kinds: h.derivation.clone(),
        resp: h.derivation_resp.as_deref().map(|ids| {
            ids.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        }),
        when: h.derivation_when.clone(),
        note: h.derivation_note.clone(),
    }
}

/// The file to write: `-o FILE`, or the input itself with `--in-place`.
fn output_path(a: &Args) -> anyhow::Result<PathBuf> {
    Ok(match (&a.output, a.in_place, &a.input) {
        (Some(_), true, _) => bail!("give either -o FILE or --in-place, not both"),
        (Some(o), false, _) => o.clone(),
        (None, true, Some(i)) if i == Path::new("-") => {
            bail!("--in-place needs an input file, not standard input")
        }
        (None, true, Some(i)) => i.clone(),
        (None, true, None) => bail!("--in-place needs an input file"),
        (None, false, _) => bail!("no output file: give -o FILE (or --in-place for TEI input)"),
    })
}

/// Dates, the language, layer ids and the derivation kinds, checked before anything is read.
fn check_options(a: &Args) -> anyhow::Result<()> {
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
    Ok(())
}

/// `--gap-start`/`--gap-end`: `reason[:description]`.
fn gap(s: &Option<String>, flag: &str) -> anyhow::Result<Option<GapSpec>> {
    match s {
        None => Ok(None),
        Some(s) => GapSpec::parse(s).map(Some).with_context(|| {
            format!("{flag} {s:?}: expected reason[:description], the reason one word")
        }),
    }
}

/// The people of a new layer's header.
struct People {
    /// Who is responsible for the encoded file (`titleStmt`).
    agents: Vec<Agent>,
    /// Who made the text as the source gives it (the witness description).
    translators: Vec<Agent>,
}

/// --resp and --translator.
fn people(a: &Args) -> anyhow::Result<People> {
    let agents = a
        .header
        .resp
        .iter()
        .map(|r| parse_resp(r))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut agents = agents;
    for id in &a.header.org {
        let Some(g) = agents.iter_mut().find(|g| &g.id == id) else {
            bail!("--org {id:?}: no --resp with that id; give --resp {id}:Name:role");
        };
        g.org = true;
    }
    // Who made the text as the source gives it belongs in the witness description, not in the
    // titleStmt (which says who made the file): translators, authors and publishers named with
    // --resp go there too, and a `maker` (who made a version that is no translation, e.g. an
    // official language version; `unknown` when the sources do not say).
    let (makers, agents): (Vec<Agent>, Vec<Agent>) = agents.into_iter().partition(|g| {
        matches!(
            g.role.as_str(),
            "translator" | "author" | "publisher" | "maker"
        )
    });
    let mut translators = makers;
    for (i, t) in a.header.translator.iter().enumerate() {
        translators.push(parse_translator(t, &layer_hint(a), i)?);
    }
    Ok(People {
        agents,
        translators,
    })
}

/// Every id of --derivation-resp names someone given with --resp or --translator.
fn check_derivation_resp(h: &HeaderArgs, people: &People) -> anyhow::Result<()> {
    if let Some(ids) = &h.derivation_resp {
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !people
                .agents
                .iter()
                .chain(&people.translators)
                .any(|g| g.id == id)
            {
                bail!(
                    "--derivation-resp {id:?}: no --resp with that id (it would point nowhere); \
                     give --resp {id}:Name:role"
                );
            }
        }
    }
    Ok(())
}

/// The kind of input: as given, or from the file name (`None` without an input).
fn input_format(a: &Args) -> anyhow::Result<Option<Format>> {
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
    Ok(format)
}

/// A TEI file's header is the user's: the options that would write one are refused.
fn refuse_header_options(
    a: &Args,
    people: &People,
    body: &BodyOptions,
    input_name: &str,
) -> anyhow::Result<()> {
    let header_flags = a.header.title.is_some()
        || !a.header.resp.is_empty()
        || !people.translators.is_empty()
        || a.header.publisher.is_some()
        || !a.header.author.is_empty()
        || !a.header.bibl.is_empty()
        || !a.header.source_layer.is_empty()
        || a.header.source_desc.is_some()
        || a.header.source_url.is_some()
        || a.header.repository.is_some()
        || body.gap_start.is_some()
        || body.gap_end.is_some();
    if header_flags {
        bail!(
            "{input_name}: header and gap options apply to text and HTML input; a TEI file's \
             header is edited in the file itself (its sources: sourceDesc/listRelation\
             [@type=\"derivation\"]/relation name=\"translation\" active=\"#layer.<id>\" \
             passive=\"#layer.<source>\", see docs/layers.md)"
        );
    }
    Ok(())
}

/// The header the options describe (the layer, language, title, derivations and gap reasons
/// are the library's to fill in).
fn header_spec(
    h: &HeaderArgs,
    people: People,
    bibls: Vec<(String, String)>,
    alt_identifiers: Vec<AltIdentifier>,
    notes: Vec<SourceNote>,
) -> HeaderSpec {
    HeaderSpec {
        agents: people.agents,
        source: SourceSpec {
            desc: h.source_desc.clone(),
            url: h.source_url.clone(),
            canonical_url: h.source_canonical_url.clone(),
            date: h.source_date.clone(),
            date_cert: h.source_date_cert.clone(),
            translators: people.translators,
            publisher: h.publisher.clone().map(|name| PublisherSpec {
                name,
                cert: h.publisher_cert.clone(),
                note: h.publisher_note.clone(),
            }),
            settlement: h.settlement.clone(),
            repository: h.repository.clone(),
            idno: h.idno.clone(),
            alt_identifiers,
            witness: h.witness.clone(),
            authors: h.author.clone(),
            provenance: h.provenance.clone(),
            bibls,
            notes,
        },
        creation: h.creation.clone(),
        creation_date: h.creation_date.clone(),
        licence: h.licence.clone(),
        availability: h.availability.clone(),
        normalization: h.normalization.clone(),
        ..HeaderSpec::default()
    }
}

/// Write the layer (atomically, or to standard output) and say what the segmentation did.
fn write_output(output: &Path, out_name: &str, result: &Resegmented) -> anyhow::Result<()> {
    for w in &result.warnings {
        eprintln!("tei-align: warning: {w}");
    }
    if output == Path::new("-") {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(result.xml.as_bytes())?;
        stdout.flush()?;
    } else {
        fsutil::write_atomic(output, result.xml.as_bytes())?;
    }
    eprintln!(
        "{}: {} new sentence(s), {} kept, {} split",
        out_name,
        result.new_ids.len(),
        result.kept,
        result.split.len()
    );
    Ok(())
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
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

/// The layer id as far as the options tell before anything is read (for default ids in the
/// header: `<layer>.translator`, `<layer>.bibl1`).
fn layer_hint(a: &Args) -> String {
    a.id.clone()
        .or_else(|| {
            a.output
                .as_deref()
                .or(a.input.as_deref())
                .and_then(|p| p.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "layer".into())
}

/// Parse `[id:]Name` of --translator (`unknown`: the sources do not name them).
fn parse_translator(s: &str, layer: &str, i: usize) -> anyhow::Result<Agent> {
    let default_id = || {
        if i == 0 {
            format!("{layer}.translator")
        } else {
            format!("{layer}.translator{}", i + 1)
        }
    };
    let (id, name) = match s.split_once(':') {
        Some((id, name)) if is_ncname(id.trim()) => (id.trim().to_owned(), name.trim()),
        _ => (default_id(), s.trim()),
    };
    if name.is_empty() {
        bail!("--translator {s:?}: expected [id:]Name, or `{UNKNOWN}`");
    }
    Ok(Agent::new(id, name.to_owned(), "translator".into()))
}

/// What the header and marking options hold besides plain strings.
struct Extras {
    bibls: Vec<(String, String)>,
    alt_identifiers: Vec<AltIdentifier>,
    notes: Vec<SourceNote>,
    marks: Marks,
}

/// Parse --bibl, --alt-identifier, --source-span, --variant and --sic.
fn parse_extras(h: &HeaderArgs, layer: &str) -> anyhow::Result<Extras> {
    let bibls = h
        .bibl
        .iter()
        .enumerate()
        .map(|(i, b)| match b.split_once('=') {
            Some((id, text)) if is_ncname(id) => (id.to_owned(), text.trim().to_owned()),
            _ => (format!("{layer}.bibl{}", i + 1), b.clone()),
        })
        .collect();
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let mut alt_identifiers = Vec::new();
    for s in &h.alt_identifier {
        let f: Vec<&str> = s.split('|').collect();
        match f.as_slice() {
            [repo, coll, idno, rest @ ..] if !idno.trim().is_empty() && rest.len() <= 1 => {
                alt_identifiers.push(AltIdentifier {
                    repository: opt(repo),
                    collection: opt(coll),
                    idno: idno.trim().to_owned(),
                    note: rest.first().and_then(|n| opt(n)),
                })
            }
            _ => bail!("--alt-identifier {s:?}: expected repository|collection|idno[|note]"),
        }
    }
    let notes = h
        .source_note
        .iter()
        .map(|s| SourceNote::parse(s).map_err(|e| anyhow::anyhow!("--source-note {s:?}: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut marks = Marks::default();
    for s in &h.source_span {
        let parsed = s.split_once('=').and_then(|(b, r)| {
            let (f, l) = r.split_once("..")?;
            (is_ncname(b) && is_ncname(f) && is_ncname(l)).then(|| SourceSpan {
                bibl: b.to_owned(),
                first: f.to_owned(),
                last: l.to_owned(),
            })
        });
        marks.sources.push(parsed.with_context(|| {
            format!("--source-span {s:?}: expected bibl-id=first-sentence..last-sentence")
        })?);
    }
    let wits = |w: &str| -> Vec<String> {
        w.split(',')
            .map(|x| x.trim().trim_start_matches('#').to_owned())
            .filter(|x| !x.is_empty())
            .collect()
    };
    for s in &h.variant {
        match s.split('|').collect::<Vec<_>>().as_slice() {
            [sent, lem, lw, rdg, rw] if is_ncname(sent) && !lem.is_empty() => {
                marks.variants.push(Variant {
                    sentence: (*sent).to_owned(),
                    lemma: (*lem).to_owned(),
                    lemma_wits: wits(lw),
                    reading: (*rdg).to_owned(),
                    reading_wits: wits(rw),
                })
            }
            _ => bail!("--variant {s:?}: expected sentence|lemma|lemma-wits|reading|reading-wits"),
        }
    }
    for s in &h.sic {
        match s.split('|').collect::<Vec<_>>().as_slice() {
            [sent, sic, corr, resp] if is_ncname(sent) && !sic.is_empty() && is_ncname(resp) => {
                marks.sics.push(Sic {
                    sentence: (*sent).to_owned(),
                    sic: (*sic).to_owned(),
                    corr: (*corr).to_owned(),
                    resp: (*resp).to_owned(),
                })
            }
            _ => bail!("--sic {s:?}: expected sentence|as printed|correction|resp-id"),
        }
    }
    Ok(Extras {
        bibls,
        alt_identifiers,
        notes,
        marks,
    })
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
            Ok(Agent::new(
                (*id).to_owned(),
                (*name).to_owned(),
                (*role).to_owned(),
            ))
        }
        _ => bail!("--resp {s:?}: expected id:Name:role (the id a name without spaces)"),
    }
}
