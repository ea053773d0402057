//! Plain data shared by every module: works, layers, sentences, derivations, beads, links and
//! segments. No I/O here: `tei` fills these from files and writes them back.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// A person or program responsible for something (a translator, a publisher, an editor, the tool).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// Short id used in `@resp`/`@who` pointers, without the `#` (e.g. `kramer`, `tei-align`).
    pub id: String,
    /// Display name (e.g. `Mark Kramer`).
    pub name: String,
    /// What they did (e.g. `translator`, `publisher`, `transcriber`, `editor`).
    pub role: String,
    /// An organisation (a project, a team, a publisher), named with `orgName`, not `persName`:
    /// a project that corrected a text is no person.
    #[serde(default)]
    pub org: bool,
    /// How sure the attribution to them is, as the header gives it (`@cert` of the
    /// `publisher` or `respStmt`: `medium` for Hospodářské noviny, named as the Czech letter's
    /// publisher by another source only); `None` when stated without doubt. Every place that
    /// names them repeats it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<String>,
}

impl Agent {
    /// An agent not marked as an organisation (`org` false: written with `persName`, as a
    /// person or the tool is); set `org` for a project, team or publisher named with `orgName`.
    pub fn new(id: String, name: String, role: String) -> Self {
        Agent {
            id,
            name,
            role,
            org: false,
            cert: None,
        }
    }

    /// `, attribution with medium certainty` for an attribution held with doubt, else nothing.
    pub fn hedge(&self) -> String {
        self.cert
            .as_deref()
            .map(|c| format!(", attribution with {c} certainty"))
            .unwrap_or_default()
    }
}

/// How a layer was made from its source layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum DerivationKind {
    /// A translation into another language.
    Translation,
    /// A publication (e.g. a press version) of the source.
    Publication,
    /// A transcription of a manuscript or print.
    Transcription,
    /// Anything else, by its name.
    Other(String),
}

impl DerivationKind {
    /// The name used in TEI (`relation/@name`).
    pub fn as_str(&self) -> &str {
        match self {
            DerivationKind::Translation => "translation",
            DerivationKind::Publication => "publication",
            DerivationKind::Transcription => "transcription",
            DerivationKind::Other(s) => s,
        }
    }

    /// Parse a TEI name; unknown names are kept as `Other`.
    pub fn parse(name: &str) -> Self {
        match name {
            "translation" => DerivationKind::Translation,
            "publication" => DerivationKind::Publication,
            "transcription" => DerivationKind::Transcription,
            other => DerivationKind::Other(other.to_owned()),
        }
    }
}

/// Where a layer came from: its source layer and who made it from that source, how and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivation {
    /// The id of the source layer (e.g. `cs` for the English translation of the Czech).
    pub source: String,
    /// How it was made.
    pub kind: DerivationKind,
    /// Who made this step (ids of [`Agent`]s of the derived layer).
    pub resp: Vec<String>,
    /// When (ISO date or year), if known. A date of publication is not a date of derivation:
    /// this stays empty unless a source dates the step itself.
    pub when: Option<String>,
    /// What the step is, in words (`relation/desc`): e.g. "translation, translator unknown", or
    /// why two authentic versions are not simply a translation of one another.
    #[serde(default)]
    pub note: Option<String>,
}

/// The name recorded for someone the sources do not name (`<persName type="unknown">`).
pub(crate) const UNKNOWN_AGENT: &str = "unknown";

/// Who made a step, for people: "Mark Kramer", or "translator unknown" when the sources do not
/// name them.
pub(crate) fn agent_label(a: &Agent) -> String {
    if a.name == UNKNOWN_AGENT {
        format!(
            "{} unknown",
            if a.role.is_empty() { "maker" } else { &a.role }
        )
    } else {
        format!("{}{}", a.name, a.hedge())
    }
}

/// What a derivation is, in words, when the layer gives no note: the kind and who made it as
/// the witness description names them ("translation by Mark Kramer", "translation, translator
/// unknown"). Never a publisher for a translator: only the makers named for the step count.
pub fn derivation_words(kind: &str, makers: &[&Agent]) -> String {
    let known: Vec<&str> = makers
        .iter()
        .filter(|a| a.name != UNKNOWN_AGENT)
        .map(|a| a.name.as_str())
        .collect();
    if makers.is_empty() {
        format!("{kind}; who made it is not recorded")
    } else if known.is_empty() {
        let labels: Vec<String> = makers.iter().map(|a| agent_label(a)).collect();
        format!("{kind}, {}", labels.join(", "))
    } else {
        format!("{kind} by {}", known.join(", "))
    }
}

/// One sentence of a layer: an `<s xml:id>` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Its `xml:id` (e.g. `cs.s12`).
    pub id: String,
    /// Its text, white space normalised, notes excluded.
    pub text: String,
    /// Index of the block (`<p>`, `<head>`, `<salute>` …) it stands in, counted from 0 over the
    /// whole layer. Paragraph boundaries are soft anchors for the aligner.
    pub block: usize,
    /// Line in the layer file where the `<s>` starts (for error messages), 1-based; 0 if unknown.
    pub line: usize,
}

/// What `trace` and the edition say of how a layer with no source layer was made. Not
/// "original": the tool knows only that no source is recorded, and a work's first layer may be
/// one of several authentic versions (the UDHR's English) rather than the original.
pub const NO_SOURCE_LAYER: &str =
    "not derived from another layer of this work (no source layer recorded)";

/// How a gap of a witness is shown in a sentence's text or in place of a missing passage, by
/// `trace` and the edition alike (`…naše prohlá[…]`): one mark, so both read the same.
pub const GAP_MARK: &str = "[…]";

/// A place where the witness has no text (`<gap reason>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// How many sentences of the layer come before the gap.
    pub after: usize,
    /// The block the gap stands in.
    pub block: usize,
    /// `@reason` of the gap (e.g. `source-incomplete`, `text-unavailable`).
    pub reason: String,
    /// A human description (`<desc>` inside the gap), if any.
    pub desc: Option<String>,
    /// True when the gap stands inside the sentence `after - 1` (the sentence breaks off
    /// there): that sentence is incomplete, and a link holding it covers less than its
    /// counterpart.
    #[serde(default)]
    pub inside: bool,
    /// For a gap inside a sentence: where it stands in the sentence's text, in characters
    /// from the start (the end for a sentence that breaks off), to show it in place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<usize>,
}

impl Gap {
    /// True when the gap opens the text of the sentence it stands inside: the sentence
    /// resumes after it (a fragment whose start is lost).
    pub fn opens_sentence(&self) -> bool {
        self.inside && self.at == Some(0) && self.after > 0
    }

    /// How many sentences come before the text lost in the gap: [`Gap::after`], less the
    /// sentence whose text it opens.
    pub fn position(&self) -> usize {
        self.after - usize::from(self.opens_sentence())
    }
}

/// One layer (witness) of a work: one TEI file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// The layer id, which is the file stem (`ru`, `cs`, `en`); in TEI pointers `#layer.<id>`.
    pub id: String,
    /// Language code (`xml:lang` of the TEI root).
    pub lang: String,
    /// The TEI file.
    pub path: PathBuf,
    /// The title of the layer (`titleStmt/title`).
    pub title: String,
    /// People responsible for this layer (`titleStmt/respStmt`).
    pub agents: Vec<Agent>,
    /// Where the text was taken from (`sourceDesc`), as readable text.
    pub source_desc: String,
    /// The layers it was derived from, one [`Derivation`] each (a translation made from the
    /// original with another version at hand, a collation); empty for an original.
    pub derivations: Vec<Derivation>,
    /// The sentences in document order.
    pub sentences: Vec<Sentence>,
    /// The gaps in document order.
    pub gaps: Vec<Gap>,
}

impl Layer {
    /// Index of the sentence with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.sentences.iter().position(|s| s.id == id)
    }

    /// True when sentence `idx` holds a gap (the witness breaks off inside it).
    pub fn is_truncated(&self, idx: usize) -> bool {
        self.gaps.iter().any(|g| g.inside && g.after == idx + 1)
    }

    /// True when the witness has no text at all (e.g. the Russian original of the letter).
    pub fn has_text(&self) -> bool {
        !self.sentences.is_empty()
    }

    /// True for an original: a layer derived from no other.
    pub fn is_original(&self) -> bool {
        self.derivations.is_empty()
    }

    /// The ids of the layers it was derived from, in header order.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.derivations.iter().map(|d| d.source.as_str())
    }

    /// The derivation of this layer from `source`, if it names that source.
    pub fn derivation_from(&self, source: &str) -> Option<&Derivation> {
        self.derivations.iter().find(|d| d.source == source)
    }

    /// What its derivation `d` is, in words, with the source: the layer's own note when it gives
    /// one ("official language version …"), else the kind and who made it ("translation from ru,
    /// translator unknown"; "translation from cs by Mark Kramer").
    pub fn describe_derivation(&self, d: &Derivation) -> String {
        let makers: Vec<&Agent> = d.resp.iter().filter_map(|id| self.agent(id)).collect();
        let kind = d.kind.as_str();
        let words = if makers.is_empty() && !d.resp.is_empty() {
            format!("{kind} by {}", d.resp.join(", "))
        } else {
            derivation_words(kind, &makers)
        };
        // The note import writes by default says the same as the words: show it once.
        let with_source = format!("{kind} from {}{}", d.source, &words[kind.len()..]);
        match &d.note {
            Some(n) if *n != words => format!("{} from {}: {n}", kind, d.source),
            _ => with_source,
        }
    }

    /// The agent with this id, if the layer names it.
    pub fn agent(&self, id: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }
}

/// A work: all layers of one document (`texts/<work>/*.xml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Work {
    /// The work id, which is its directory name (`letter-1968`).
    pub id: String,
    /// Its directory.
    pub dir: PathBuf,
    /// Its layers, sorted by id.
    pub layers: Vec<Layer>,
}

impl Work {
    /// The layer with this id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }
}

/// A pairwise bead as the aligner produces it: indices into the two sentence lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bead {
    /// Source sentence indices (consecutive, ascending; may be empty).
    pub src: Vec<usize>,
    /// Target sentence indices (consecutive, ascending; may be empty).
    pub tgt: Vec<usize>,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

impl Bead {
    /// The bead type as the field writes it: `"2-1"`.
    pub fn kind(&self) -> String {
        format!("{}-{}", self.src.len(), self.tgt.len())
    }
}

/// Whether a person has looked at a link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum LinkStatus {
    /// Made by the aligner.
    Automatic,
    /// Confirmed or corrected by a person; never changed by re-alignment.
    Verified {
        /// The editor's id.
        who: String,
        /// When (ISO 8601).
        when: String,
        /// What the editor confirmed: the text of the item's sentences as they read then
        /// ([`crate::provenance::digest`]). `None` for a confirmation made before digests were
        /// kept (unknown: never reported as changed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        digest: Option<ConfirmedText>,
    },
}

/// What a confirmation records of the text it was made on ([`crate::provenance::digest`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConfirmedText {
    /// A short digest of each of the item's sentences, in `@target` order, separated by
    /// spaces (`3f2a9c1e 7b0d11aa`).
    pub digest: String,
    /// The newest sentence of each of the item's layers then (`cs.s40 en.s41`): a sentence
    /// numbered above it came later, so one found right beside the item's sentences was split
    /// off from them or added beside them since. Empty when not recorded (files of session 15).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub newest: Vec<String>,
    /// Who recorded the text, and when, when that was not at the confirmation: the text of a
    /// confirmation made before texts were recorded, recorded later as it read then
    /// (`tei-align link <work> --record-text`). `None`: recorded when it was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<Recorded>,
}

/// Who recorded the text of a confirmation made by someone else, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recorded {
    /// The editor's id.
    pub who: String,
    /// When (ISO 8601).
    pub when: String,
}

impl ConfirmedText {
    /// A text recorded at the confirmation, by its digest only.
    pub fn of_digest(digest: impl Into<String>) -> Self {
        ConfirmedText {
            digest: digest.into(),
            newest: Vec::new(),
            recorded: None,
        }
    }
}

impl LinkStatus {
    /// A confirmation by `who` at `when` whose text is not recorded yet (the edge core records
    /// it when the item is put in: [`crate::provenance::digest`]).
    pub fn confirmed(who: impl Into<String>, when: impl Into<String>) -> Self {
        LinkStatus::Verified {
            who: who.into(),
            when: when.into(),
            digest: None,
        }
    }

    /// True when a person confirmed the item.
    pub fn is_verified(&self) -> bool {
        matches!(self, LinkStatus::Verified { .. })
    }

    /// The recorded digest of the confirmed texts, if any.
    pub fn digest(&self) -> Option<&str> {
        self.confirmed_text().map(|t| t.digest.as_str())
    }

    /// What the confirmation recorded of its text, if anything.
    pub fn confirmed_text(&self) -> Option<&ConfirmedText> {
        match self {
            LinkStatus::Verified { digest, .. } => digest.as_ref(),
            LinkStatus::Automatic => None,
        }
    }
}

/// One bead of an edge, on sentence ids: a TEI `<link>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// `xml:id` of the link (e.g. `a.cs-en.12`).
    pub id: String,
    /// Sentence ids in the source layer (may be empty only in the model of a 0-1 bead; such beads
    /// are written as [`Unaligned`]).
    pub source: Vec<String>,
    /// Sentence ids in the derived layer.
    pub derived: Vec<String>,
    /// Confidence in [0, 1] (`@cert`).
    pub cert: f64,
    /// Automatic or verified.
    pub status: LinkStatus,
    /// One side covers clearly less than the other (a witness cut off mid-sentence, a dropped
    /// clause): `@subtype="partial"`.
    #[serde(default)]
    pub partial: bool,
}

impl Link {
    /// The bead type: `"2-1"`.
    pub fn kind(&self) -> String {
        format!("{}-{}", self.source.len(), self.derived.len())
    }

    /// The ids of its sentences, source side first, in `@target` order.
    pub fn sentence_ids(&self) -> Vec<&str> {
        self.source
            .iter()
            .chain(&self.derived)
            .map(String::as_str)
            .collect()
    }
}

/// Why a sentence has no counterpart along an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum UnalignedKind {
    /// A source sentence the derived layer omits (1-0).
    SourceOnly,
    /// A derived sentence with no source counterpart: an addition (0-1).
    DerivedOnly,
    /// A derived sentence whose source counterpart is missing because the source witness has a
    /// gap there: not the translator's doing.
    SourceGap,
    /// A source sentence whose derived counterpart is missing because the derived witness has a
    /// gap there (it breaks off, or has a lacuna): not the translator's omission.
    DerivedGap,
}

impl UnalignedKind {
    /// True for a ptr on the source side of its edge (`source-only`, `derived-gap`).
    pub fn on_source(&self) -> bool {
        matches!(self, UnalignedKind::SourceOnly | UnalignedKind::DerivedGap)
    }

    /// True for a gap of a witness (`source-gap`, `derived-gap`): a fact of the witness, not
    /// the translator's doing, never doubtful.
    pub fn is_gap(&self) -> bool {
        matches!(self, UnalignedKind::SourceGap | UnalignedKind::DerivedGap)
    }

    /// The TEI `@subtype`.
    pub fn as_str(&self) -> &'static str {
        match self {
            UnalignedKind::SourceOnly => "source-only",
            UnalignedKind::DerivedOnly => "derived-only",
            UnalignedKind::SourceGap => "source-gap",
            UnalignedKind::DerivedGap => "derived-gap",
        }
    }
}

/// A sentence with no counterpart along an edge: a TEI `<ptr type="unaligned">`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unaligned {
    /// `xml:id` of the ptr.
    pub id: String,
    /// Which kind.
    pub kind: UnalignedKind,
    /// The layer of the sentence.
    pub layer: String,
    /// The sentence id.
    pub sentence: String,
    /// Confidence that it really has no counterpart, in [0, 1].
    pub cert: f64,
    /// Automatic or verified.
    pub status: LinkStatus,
}

/// A derivation edge of the graph: `<relation name active passive resp>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// `xml:id`, e.g. `rel.cs-en`.
    pub id: String,
    /// The source layer id (`@passive`).
    pub source: String,
    /// The derived layer id (`@active`).
    pub derived: String,
    /// How.
    pub kind: DerivationKind,
    /// Who made the derived layer from the source (agent ids).
    pub resp: Vec<String>,
    /// When, if known.
    pub when: Option<String>,
}

/// The alignment along one derivation edge: one `<linkGrp type="alignment">`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeAlignment {
    /// The relation id (`@corresp`).
    pub relation: String,
    /// The links in document order.
    pub links: Vec<Link>,
    /// The unaligned sentences.
    pub unaligned: Vec<Unaligned>,
}

impl EdgeAlignment {
    /// How many of its links and unaligned ptrs a person confirmed (what a re-alignment must
    /// keep and a dropped edge would lose).
    pub fn confirmed(&self) -> usize {
        let links = self
            .links
            .iter()
            .filter(|l| l.status != LinkStatus::Automatic);
        let ptrs = self
            .unaligned
            .iter()
            .filter(|u| u.status != LinkStatus::Automatic);
        links.count() + ptrs.count()
    }
}

/// An N-way segment: the sentences of every layer that correspond, and its provenance chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// `xml:id`, e.g. `seg.12`.
    pub id: String,
    /// Sentence ids per layer id (a layer with no text has an empty list).
    pub members: BTreeMap<String, Vec<String>>,
    /// The ids of the links and unaligned ptrs along the derivation paths (`@corresp`).
    pub chain: Vec<String>,
}

/// The `@status` of a `<change>`: who made it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeStatus {
    /// Made by the tool (an alignment run, an import).
    Automatic,
    /// Made or confirmed by a person.
    Verified,
    /// Any other status a file names (kept as written).
    Other(String),
}

impl ChangeStatus {
    /// The word written in `@status`.
    pub fn as_str(&self) -> &str {
        match self {
            ChangeStatus::Automatic => "automatic",
            ChangeStatus::Verified => "verified",
            ChangeStatus::Other(s) => s,
        }
    }

    /// Read `@status`.
    pub fn parse(s: &str) -> Self {
        match s {
            "automatic" => ChangeStatus::Automatic,
            "verified" => ChangeStatus::Verified,
            other => ChangeStatus::Other(other.to_owned()),
        }
    }
}

/// A `<change>` in the alignment file's revision description: one per operation (an alignment
/// run, an import, a `link`), never shared by two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// `xml:id`, e.g. `ch1`.
    pub id: String,
    /// `@status`.
    pub status: ChangeStatus,
    /// `@who` without `#`.
    pub who: String,
    /// `@when`.
    pub when: String,
    /// What was done.
    pub desc: String,
}

/// The whole alignment of a work: what `alignments/<work>/alignment.xml` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkAlignment {
    /// The work id.
    pub work: String,
    /// Layer id → path of its TEI file, relative to the alignment file (as written in pointers).
    pub layer_files: BTreeMap<String, String>,
    /// The people and programs named in `@resp`/`@who`.
    pub agents: Vec<Agent>,
    /// The derivation graph.
    pub relations: Vec<Relation>,
    /// One alignment per relation.
    pub edges: Vec<EdgeAlignment>,
    /// The N-way segments in document order.
    pub segments: Vec<Segment>,
    /// The revision history.
    pub changes: Vec<Change>,
    /// The highest number ever given to an automatic id, per id prefix (`a.cs-en`, `u.cs-en`,
    /// `seg`), so that a new link gets a number above it and an id that once named a link never
    /// names a different one, even after that link is gone. Written in the tool's
    /// `appInfo/application` (`<desc type="high-water">a.cs-en.57 u.cs-en.12</desc>`); empty for
    /// alignments made by hand.
    #[serde(default)]
    pub id_high_water: BTreeMap<String, u64>,
    /// The change (its id) that made or last changed each link and ptr, by the item's id: the
    /// item's `@change`. An item not listed (an alignment built in memory) points at the latest
    /// automatic change when automatic, at its editor's change of its date when confirmed; see
    /// [`crate::provenance::record`].
    #[serde(default)]
    pub item_changes: BTreeMap<String, String>,
}

/// Where a sentence is: its layer (index into `work.layers`) and its position in that layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentencePos {
    /// Index of the layer in `work.layers`.
    pub layer: usize,
    /// Index of the sentence in the layer.
    pub index: usize,
}

/// A lookup from sentence id to its place in the work.
#[derive(Debug, Clone)]
pub struct SentenceIndex<'a> {
    work: &'a Work,
    map: HashMap<&'a str, SentencePos>,
    /// The newest sentence of each layer (by index into `work.layers`), found on first use:
    /// every confirmation records it, and finding it scans the whole layer, so an import of
    /// thousands of confirmed links must not scan once per link (that was quadratic).
    newest: std::sync::OnceLock<Vec<Option<String>>>,
}

impl<'a> SentenceIndex<'a> {
    /// Index every sentence of every layer. When an id occurs twice the first one wins (`check`
    /// reports the duplicate).
    pub fn new(work: &'a Work) -> Self {
        let mut map = HashMap::new();
        for (li, layer) in work.layers.iter().enumerate() {
            for (si, s) in layer.sentences.iter().enumerate() {
                map.entry(s.id.as_str()).or_insert(SentencePos {
                    layer: li,
                    index: si,
                });
            }
        }
        SentenceIndex {
            work,
            map,
            newest: std::sync::OnceLock::new(),
        }
    }

    /// The newest sentence of the layer `layer` (the one numbered highest,
    /// [`crate::provenance::digest::newest_of`]), computed once for all the layers.
    pub(crate) fn newest(&self, layer: &str) -> Option<&str> {
        let newest = self.newest.get_or_init(|| {
            self.work
                .layers
                .iter()
                .map(crate::provenance::digest::newest_of)
                .collect()
        });
        let li = self.work.layers.iter().position(|l| l.id == layer)?;
        newest[li].as_deref()
    }

    /// Where the sentence with this id is.
    pub fn get(&self, id: &str) -> Option<SentencePos> {
        self.map.get(id).copied()
    }

    /// The layer id of a sentence.
    pub fn layer_id(&self, id: &str) -> Option<&'a str> {
        self.get(id).map(|p| self.work.layers[p.layer].id.as_str())
    }

    /// Position of a sentence within its layer.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.get(id).map(|p| p.index)
    }

    /// The text of a sentence.
    pub fn text(&self, id: &str) -> Option<&'a str> {
        self.get(id)
            .map(|p| self.work.layers[p.layer].sentences[p.index].text.as_str())
    }

    /// The work indexed.
    pub fn work(&self) -> &'a Work {
        self.work
    }
}
