//! The checks themselves, one method per thing checked, sharing what they need in [`Checker`]:
//! the work, the alignment, the sentence index, the alignment file's `xml:id` lines, and the
//! problems found so far.

use super::{Problem, canon, dup_ids, scan_xml};
use crate::model::{EdgeAlignment, Layer, Link, Relation, SentenceIndex, Unaligned};
use crate::model::{Work, WorkAlignment};
use crate::provenance::graph::find_cycle;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What every check reads, and the problems they add.
pub(super) struct Checker<'a> {
    work: &'a Work,
    al: &'a WorkAlignment,
    idx: SentenceIndex<'a>,
    /// The alignment file as named in messages.
    al_file: String,
    /// Line of each `xml:id` in the alignment file (first occurrence), for naming a line.
    line_of: HashMap<String, usize>,
    pub(super) problems: Vec<Problem>,
}

/// The two sides of a link, as (first, last) sentence positions in their layers.
type Span = (usize, usize);

impl<'a> Checker<'a> {
    pub(super) fn new(work: &'a Work, al: &'a WorkAlignment, alignment_path: &Path) -> Self {
        Checker {
            work,
            al,
            idx: SentenceIndex::new(work),
            al_file: alignment_path.display().to_string(),
            line_of: HashMap::new(),
            problems: Vec::new(),
        }
    }

    fn report(&mut self, file: &str, line: usize, message: String) {
        self.problems.push(Problem {
            file: file.to_owned(),
            line,
            message,
        });
    }

    /// A problem in the alignment file, at the line of the element with `xml:id` `id` (0 when
    /// it has none).
    fn in_alignment(&mut self, id: &str, message: String) {
        let line = self.line_of.get(id).copied().unwrap_or(0);
        self.problems.push(Problem {
            file: self.al_file.clone(),
            line,
            message,
        });
    }

    /// A problem with the alignment file as a whole.
    fn whole_alignment(&mut self, message: String) {
        let file = self.al_file.clone();
        self.report(&file, 0, message);
    }

    /// A check that compares nothing must not pass as if it had (a CI gate on a work whose
    /// layers name no sources).
    pub(super) fn something_is_compared(&mut self) {
        if self.al.edges.is_empty() {
            self.whole_alignment(
                "no derivation edge: no layer names another as its source, so nothing was compared"
                    .to_owned(),
            );
        }
    }

    /// Check 1: ids in the layer files: no duplicates within a file, none across layers.
    pub(super) fn layer_ids(&mut self) {
        let work = self.work;
        let mut sentence_home: HashMap<&str, &str> = HashMap::new();
        for layer in &work.layers {
            let file = layer.path.display().to_string();
            match crate::fsutil::read_text(&layer.path) {
                Ok(src) => match scan_xml(&src, &file) {
                    Ok(raw) => dup_ids(&raw.ids, &file, &mut |f, l, m| self.report(f, l, m)),
                    Err(pr) => self.problems.push(pr),
                },
                Err(e) => self.report(&file, 0, format!("cannot read: {e}")),
            }
            for s in &layer.sentences {
                if let Some(other) = sentence_home.insert(&s.id, &layer.id)
                    && other != layer.id
                {
                    self.report(
                        &file,
                        s.line,
                        format!("sentence id '{}' is also used in layer {other}", s.id),
                    );
                }
            }
        }
    }

    /// Check 2: the alignment file: ids, and every pointer resolves to a sentence of the file
    /// named. Also records the line of every `xml:id`, which the later checks name.
    pub(super) fn alignment_pointers(&mut self, alignment_path: &Path) {
        let al_file = self.al_file.clone();
        let raw = match crate::fsutil::read_text(alignment_path) {
            Ok(src) => match scan_xml(&src, &al_file) {
                Ok(raw) => raw,
                Err(pr) => return self.problems.push(pr),
            },
            Err(e) => return self.report(&al_file, 0, format!("cannot read: {e}")),
        };
        dup_ids(&raw.ids, &al_file, &mut |f, l, m| self.report(f, l, m));
        for (id, line) in &raw.ids {
            self.line_of.entry(id.clone()).or_insert(*line);
        }
        let mut targets = Targets {
            local: raw.ids.iter().map(|(i, _)| i.as_str()).collect(),
            base: alignment_path.parent().unwrap_or(Path::new(".")),
            layer_by_file: self
                .work
                .layers
                .iter()
                .map(|l| (canon(&l.path), l))
                .collect(),
            missing_files: BTreeSet::new(),
        };
        for (attr, tok, line) in &raw.pointers {
            if let Some(message) = self.resolve(&mut targets, attr, tok) {
                self.report(&al_file, *line, message);
            }
        }
    }

    /// What is wrong with one pointer token of attribute `attr`, if anything.
    fn resolve(&self, t: &mut Targets<'_>, attr: &str, tok: &str) -> Option<String> {
        let (file, frag) = tok.split_once('#').unwrap_or((tok, ""));
        if file.is_empty() {
            // A pointer within the alignment file (`corresp`, `change`), or to a layer by its
            // id (`#layer.cs`).
            return if let Some(l) = frag.strip_prefix("layer.") {
                self.work
                    .layer(l)
                    .is_none()
                    .then(|| format!("{attr} points to layer '{l}', which is not in the work"))
            } else if !t.local.contains(frag) && !self.al.agents.iter().any(|a| a.id == frag) {
                Some(format!("{attr}=\"#{frag}\" does not resolve in this file"))
            } else {
                None
            };
        }
        if attr != "target" {
            return None;
        }
        // The pointer is a URI: `letter%201968/cs.xml` names `letter 1968/cs.xml`.
        let path = t.base.join(crate::tei::standoff::decode_path(file));
        if !path.is_file() {
            return t
                .missing_files
                .insert(file.to_owned())
                .then(|| format!("pointer to {file}, which does not exist"));
        }
        match t.layer_by_file.get(&canon(&path)) {
            None => t.missing_files.insert(file.to_owned()).then(|| {
                format!(
                    "pointer to {file}, which is not a layer of work {}",
                    self.work.id
                )
            }),
            // A pointer to the whole file (`<ref target="cs.xml">`) is fine.
            Some(layer) => (!frag.is_empty() && self.idx.layer_id(frag) != Some(layer.id.as_str()))
                .then(|| format!("#{frag} does not resolve: no such sentence in {file}")),
        }
    }

    /// Check 3: the derivation graph: known layers, no cycle (in the alignment and in the
    /// headers), and the alignment's edges are the headers' derivations (else it is out of date).
    pub(super) fn derivation_graph(&mut self) {
        let (work, al) = (self.work, self.al);
        for r in &al.relations {
            for l in [&r.source, &r.derived] {
                if work.layer(l).is_none() {
                    self.in_alignment(
                        &r.id,
                        format!(
                            "relation {} names layer '{l}', which is not in the work",
                            r.id
                        ),
                    );
                }
            }
        }
        let edges: Vec<(String, String)> = al
            .relations
            .iter()
            .map(|r| (r.derived.clone(), r.source.clone()))
            .collect();
        if let Some(cycle) = find_cycle(&edges) {
            self.whole_alignment(format!(
                "the derivation graph has a cycle: {}",
                cycle.join(" → ")
            ));
        }
        let header_edges: Vec<(String, String)> = work
            .layers
            .iter()
            .flat_map(|l| l.sources().map(|s| (l.id.clone(), s.to_owned())))
            .collect();
        self.header_graph(&header_edges);
        self.headers_match_alignment(&header_edges);
    }

    /// The derivations the layer headers declare: known sources, no cycle. A cycle is reported
    /// once, on the file of the first layer in it (where the user fixes it), not again on the work.
    fn header_graph(&mut self, header_edges: &[(String, String)]) {
        let work = self.work;
        if let Some(cycle) = find_cycle(header_edges) {
            let file = cycle
                .first()
                .and_then(|l| work.layer(l))
                .map(|l| l.path.display().to_string())
                .unwrap_or(self.al_file.clone());
            self.report(
                &file,
                0,
                format!(
                    "the headers' derivation graph has a cycle: {}",
                    cycle.join(" ← ")
                ),
            );
        }
        for layer in &work.layers {
            for d in layer
                .derivations
                .iter()
                .filter(|d| work.layer(&d.source).is_none())
            {
                self.report(
                    &layer.path.display().to_string(),
                    0,
                    format!(
                        "layer {} is derived from '{}', which is not in the work",
                        layer.id, d.source
                    ),
                );
            }
        }
    }

    /// Every derivation in the headers has its relation in the alignment, and the other way.
    fn headers_match_alignment(&mut self, header_edges: &[(String, String)]) {
        let (work, al) = (self.work, self.al);
        for (derived, source) in header_edges {
            if !al
                .relations
                .iter()
                .any(|r| &r.source == source && &r.derived == derived)
                && let Some(l) = work.layer(derived)
            {
                self.report(
                    &l.path.display().to_string(),
                    0,
                    format!(
                        "the header derives {derived} from {source}, but the alignment has no such edge (run tei-align align)"
                    ),
                );
            }
        }
        for r in &al.relations {
            if !header_edges
                .iter()
                .any(|(d, s)| d == &r.derived && s == &r.source)
                && work.layer(&r.derived).is_some()
            {
                self.in_alignment(
                    &r.id,
                    format!(
                        "relation {}: the header of layer {} does not derive it from {} (run tei-align align)",
                        r.id, r.derived, r.source
                    ),
                );
            }
        }
    }

    /// Check 4: per edge: ids in the right layers, consecutive, no crossing, every sentence once.
    pub(super) fn edges(&mut self) {
        let al = self.al;
        for r in &al.relations {
            if !al.edges.iter().any(|e| e.relation == r.id) {
                self.in_alignment(
                    &r.id,
                    format!("no alignment (linkGrp) for relation {}", r.id),
                );
            }
        }
        for e in &al.edges {
            match al.relations.iter().find(|r| r.id == e.relation) {
                Some(r) => self.edge(r, e),
                None => {
                    self.whole_alignment(format!("linkGrp for unknown relation {}", e.relation))
                }
            }
        }
    }

    fn edge(&mut self, r: &'a Relation, e: &'a EdgeAlignment) {
        // Which beads cover each sentence id, to find the uncovered and the twice covered.
        let mut cover: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut spans = Vec::new();
        for l in &e.links {
            if let [Some(s), Some(d)] = self.link(r, l, &mut cover) {
                spans.push((s, d, l.id.as_str()));
            }
        }
        spans.sort();
        for w in spans.windows(2) {
            let ((_, d0, a), (_, d1, b)) = (w[0], w[1]);
            if d1.0 <= d0.1 {
                self.in_alignment(b, format!("links {a} and {b} cross"));
            }
        }
        for u in &e.unaligned {
            cover.entry(&u.sentence).or_default().push(&u.id);
            self.unaligned_ptr(r, u);
        }
        for layer in [&r.source, &r.derived] {
            if let Some(l) = self.work.layer(layer) {
                self.covered_once(r, l, &cover);
            }
        }
    }

    /// One link: each side's sentences are in its layer and consecutive, no side is empty.
    /// Returns the span of each side (`None` for an empty or unresolved side).
    fn link(
        &mut self,
        r: &'a Relation,
        l: &'a Link,
        cover: &mut BTreeMap<&'a str, Vec<&'a str>>,
    ) -> [Option<Span>; 2] {
        let mut sp = [None, None];
        for (k, (ids, layer)) in [(&l.source, &r.source), (&l.derived, &r.derived)]
            .into_iter()
            .enumerate()
        {
            let mut pos = Vec::new();
            for id in ids {
                cover.entry(id).or_default().push(&l.id);
                match self.idx.layer_id(id) {
                    Some(x) if x == layer => pos.push(self.idx.index(id).unwrap_or(0)),
                    Some(x) => self.in_alignment(
                        &l.id,
                        format!(
                            "link {}: {id} is in layer {x}, but this side of {} is layer {layer}",
                            l.id, r.id
                        ),
                    ),
                    None => {
                        self.in_alignment(&l.id, format!("link {}: unknown sentence {id}", l.id))
                    }
                }
            }
            pos.sort_unstable();
            if pos.windows(2).any(|w| w[1] != w[0] + 1) {
                self.in_alignment(
                    &l.id,
                    format!("link {}: the {layer} sentences are not consecutive", l.id),
                );
            }
            sp[k] = pos.first().map(|&f| (f, *pos.last().unwrap_or(&f)));
        }
        if l.source.is_empty() || l.derived.is_empty() {
            self.in_alignment(
                &l.id,
                format!(
                    "link {} has an empty side (write it as an unaligned ptr)",
                    l.id
                ),
            );
        }
        sp
    }

    /// One unaligned ptr: on this edge, on the side its kind says, at a sentence of its layer.
    fn unaligned_ptr(&mut self, r: &Relation, u: &Unaligned) {
        if u.layer != r.source && u.layer != r.derived {
            self.in_alignment(
                &u.id,
                format!("ptr {}: layer {} is not on edge {}", u.id, u.layer, r.id),
            );
        }
        let on_source = u.kind.on_source();
        if (on_source && u.layer != r.source) || (!on_source && u.layer != r.derived) {
            self.in_alignment(
                &u.id,
                format!(
                    "ptr {}: a {} ptr must point into layer {}, not {}",
                    u.id,
                    u.kind.as_str(),
                    if on_source { &r.source } else { &r.derived },
                    u.layer
                ),
            );
        }
        match self.idx.layer_id(&u.sentence) {
            Some(x) if x == u.layer => {}
            Some(x) => self.in_alignment(
                &u.id,
                format!(
                    "ptr {}: {} is in layer {x}, not {}",
                    u.id, u.sentence, u.layer
                ),
            ),
            None => self.in_alignment(
                &u.id,
                format!("ptr {}: unknown sentence {}", u.id, u.sentence),
            ),
        }
    }

    /// Every sentence of `layer` is covered exactly once on edge `r`.
    fn covered_once(&mut self, r: &Relation, layer: &Layer, cover: &BTreeMap<&str, Vec<&str>>) {
        let file = layer.path.display().to_string();
        for s in &layer.sentences {
            match cover.get(s.id.as_str()).map(Vec::as_slice) {
                None | Some([]) => self.report(
                    &file,
                    s.line,
                    format!(
                        "{} is not covered on edge {} (no link or unaligned ptr)",
                        s.id, r.id
                    ),
                ),
                Some([_]) => {}
                Some(many) => self.in_alignment(
                    many[1],
                    format!(
                        "{} is covered {} times on edge {} ({})",
                        s.id,
                        many.len(),
                        r.id,
                        many.join(", ")
                    ),
                ),
            }
        }
    }

    /// Check 5: segments: members in their layers, chains made of known links and ptrs.
    pub(super) fn segments(&mut self) {
        let al = self.al;
        let bead_ids: BTreeSet<&str> = al
            .edges
            .iter()
            .flat_map(|e| {
                e.links
                    .iter()
                    .map(|l| l.id.as_str())
                    .chain(e.unaligned.iter().map(|u| u.id.as_str()))
            })
            .collect();
        for g in &al.segments {
            for (layer, ids) in &g.members {
                for id in ids {
                    if self.idx.layer_id(id) != Some(layer.as_str()) {
                        self.in_alignment(
                            &g.id,
                            format!("segment {}: {id} is not a sentence of layer {layer}", g.id),
                        );
                    }
                }
            }
            for c in &g.chain {
                if !bead_ids.contains(c.as_str()) {
                    self.in_alignment(
                        &g.id,
                        format!("segment {}: chain names {c}, which is no link or ptr", g.id),
                    );
                }
            }
        }
    }

    /// Check 7: a confirmed link or ptr points at the change that records its editor's
    /// confirmation (`<change status="verified" who="#…">` of the person in its `@resp`). Two
    /// editors' files merged by git (both numbered their new changes `ch9`, `ch10` …) and
    /// renumbered by hand can leave a person's links pointing at another person's change, which
    /// would then say who confirmed them and when.
    pub(super) fn confirmations(&mut self) {
        let al = self.al;
        let by_id: HashMap<&str, &crate::model::Change> =
            al.changes.iter().map(|c| (c.id.as_str(), c)).collect();
        for e in &al.edges {
            let items = e.links.iter().map(|l| (&l.id, &l.status));
            let ptrs = e.unaligned.iter().map(|u| (&u.id, &u.status));
            for (id, status) in items.chain(ptrs) {
                let crate::model::LinkStatus::Verified { who, .. } = status else {
                    continue;
                };
                let Some(c) = al.item_changes.get(id).and_then(|c| by_id.get(c.as_str())) else {
                    continue;
                };
                if c.status == crate::model::ChangeStatus::Verified && &c.who != who {
                    self.in_alignment(
                        id,
                        format!(
                            "{id} was confirmed by {who}, but its change {} is {}'s ({}): \
                             a bad merge? point it at {who}'s change",
                            c.id, c.who, c.desc
                        ),
                    );
                }
            }
        }
    }

    /// Check 8: no conflict of a merge is still open (`merge-alignment` kept our item and
    /// recorded theirs in a `<change status="conflict">`; a person decides with `link`).
    pub(super) fn merge_conflicts(&mut self) {
        for c in crate::provenance::merge::open_conflicts(self.al) {
            self.in_alignment(
                &c.change,
                format!(
                    "{}: an open merge conflict on {}: {}",
                    c.change,
                    c.items.join(", "),
                    c.desc
                ),
            );
        }
    }
}

/// What resolving the alignment file's pointers needs.
struct Targets<'w> {
    /// The alignment file's own `xml:id`s.
    local: BTreeSet<&'w str>,
    /// The directory pointers are relative to.
    base: &'w Path,
    layer_by_file: HashMap<PathBuf, &'w Layer>,
    /// Files already reported missing (one message per file, not per pointer).
    missing_files: BTreeSet<String>,
}
