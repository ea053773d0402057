//! Composing the pairwise links of all edges into N-way segments, each with its provenance chain.

use super::graph::layer_order;
use super::ids::{MarkAlloc, keep_segment_ids};
use crate::model::{EdgeAlignment, Layer, Link, Relation, Segment, Work, WorkAlignment};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Compose the pairwise alignments of all edges into N-way segments: the connected components of
/// the sentences joined by links, in document order (the order of every layer is respected;
/// where layers leave a choice, the layer earliest in derivation order decides). Every sentence
/// of every layer is in exactly one segment. Each segment lists every layer of the work (a layer
/// without text, or without a sentence here, with an empty list), and its chain: the ids of the
/// links and unaligned ptrs that touch it, edge by edge in derivation order.
///
/// Link ends that name sentences the work does not have are ignored (they cannot be placed).
pub fn compose(work: &Work, relations: &[Relation], edges: &[EdgeAlignment]) -> Vec<Segment> {
    let c = Composition::new(work, relations, edges);
    c.order
        .iter()
        .enumerate()
        .map(|(k, &comp)| c.segment(work, comp, format!("seg.{}", k + 1)))
        .collect()
}

/// The sentences of a work numbered layer by layer (layers in derivation order).
struct Nodes<'w> {
    layers: Vec<&'w Layer>,
    /// The first node of each layer.
    offset: Vec<usize>,
    /// Per layer (by id), its sentences' positions by id.
    index: HashMap<&'w str, HashMap<&'w str, usize>>,
    total: usize,
}

impl<'w> Nodes<'w> {
    fn new(work: &'w Work, relations: &[Relation]) -> Self {
        let order = layer_order(work, relations);
        let layers: Vec<&Layer> = order.iter().filter_map(|id| work.layer(id)).collect();
        let mut offset = Vec::with_capacity(layers.len());
        let mut total = 0;
        let mut index = HashMap::new();
        for l in &layers {
            offset.push(total);
            let mut at: HashMap<&str, usize> = HashMap::with_capacity(l.sentences.len());
            at.extend(
                l.sentences
                    .iter()
                    .enumerate()
                    .map(|(si, s)| (s.id.as_str(), total + si)),
            );
            index.insert(l.id.as_str(), at);
            total += l.sentences.len();
        }
        Nodes {
            layers,
            offset,
            index,
            total,
        }
    }

    /// The node of a sentence of a layer.
    fn node(&self, layer: &str, sentence: &str) -> Option<usize> {
        self.index.get(layer)?.get(sentence).copied()
    }

    /// The layer (its position in [`Nodes::layers`]) a node is in.
    fn layer_of(&self, node: usize) -> usize {
        self.offset.iter().rposition(|&o| o <= node).unwrap_or(0)
    }

    /// The sentence id of a node, with its layer's id.
    fn sentence(&self, node: usize) -> (&'w str, &'w str) {
        let li = self.layer_of(node);
        let l = self.layers[li];
        (
            l.id.as_str(),
            l.sentences[node - self.offset[li]].id.as_str(),
        )
    }
}

/// The connected components of the sentences joined by links, their document order and their
/// chains: all of a composition but the segments themselves.
struct Composition<'a> {
    nodes: Nodes<'a>,
    /// The nodes of each component, ascending.
    comp_nodes: Vec<Vec<usize>>,
    /// The ids of the links and ptrs touching each component, in chain order.
    chains: Vec<Vec<&'a str>>,
    /// The components in document order.
    order: Vec<usize>,
}

impl<'a> Composition<'a> {
    fn new(work: &'a Work, relations: &'a [Relation], edges: &'a [EdgeAlignment]) -> Self {
        let nodes = Nodes::new(work, relations);
        // Edges in derivation order (the order of `relations`), whatever order they are given in.
        let mut edge_order: Vec<&EdgeAlignment> = edges.iter().collect();
        edge_order.sort_by_key(|e| {
            relations
                .iter()
                .position(|r| r.id == e.relation)
                .unwrap_or(usize::MAX)
        });
        let rel_by_id: HashMap<&str, &Relation> =
            relations.iter().map(|r| (r.id.as_str(), r)).collect();
        // The nodes of each link, edge by edge (computed once: joining and chains use them).
        let link_nodes: Vec<Vec<Vec<usize>>> = edge_order
            .iter()
            .map(|e| {
                let rel = rel_by_id.get(e.relation.as_str());
                e.links
                    .iter()
                    .map(|l| rel.map_or_else(Vec::new, |r| link_nodes(&nodes, r, l)))
                    .collect()
            })
            .collect();
        let mut uf = UnionFind::new(nodes.total);
        for ns in link_nodes.iter().flatten() {
            for w in ns.windows(2) {
                uf.union(w[0], w[1]);
            }
        }
        let (comp_of, comp_nodes) = components(&mut uf, nodes.total);
        let order = document_order(&nodes, &comp_of, &comp_nodes);
        let chains = chains(&nodes, &edge_order, &link_nodes, &comp_of, comp_nodes.len());
        Composition {
            nodes,
            comp_nodes,
            chains,
            order,
        }
    }

    /// Component `c` as a segment with this id: every layer of the work listed.
    fn segment(&self, work: &Work, c: usize, id: String) -> Segment {
        let mut members: BTreeMap<String, Vec<String>> = work
            .layers
            .iter()
            .map(|l| (l.id.clone(), Vec::new()))
            .collect();
        for &n in &self.comp_nodes[c] {
            let (layer, sentence) = self.nodes.sentence(n);
            if let Some(v) = members.get_mut(layer) {
                v.push(sentence.to_owned());
            }
        }
        Segment {
            id,
            members,
            chain: self.chains[c].iter().map(|&s| s.to_owned()).collect(),
        }
    }

    /// Whether `old` is exactly component `c`: the same sentences and the same chain.
    /// (Each layer's sentences in the order the composition lists them: ascending.)
    fn same_as(&self, c: usize, old: &Segment) -> bool {
        let nodes = &self.comp_nodes[c];
        let count: usize = old.members.values().map(Vec::len).sum();
        let in_order = |(layer, ids): (&String, &Vec<String>)| {
            let mut last = None;
            ids.iter().all(|s| {
                let n = self.nodes.node(layer, s);
                let ok = n.is_some_and(|n| last < Some(n) && nodes.binary_search(&n).is_ok());
                last = n;
                ok
            })
        };
        count == nodes.len()
            && old
                .chain
                .iter()
                .map(String::as_str)
                .eq(self.chains[c].iter().copied())
            && old.members.iter().all(in_order)
    }
}

/// The nodes a link joins: its source sentences, then its derived ones.
fn link_nodes(nodes: &Nodes<'_>, r: &Relation, l: &Link) -> Vec<usize> {
    let side = |layer: &str, ids: &[String]| -> Vec<usize> {
        ids.iter().filter_map(|s| nodes.node(layer, s)).collect()
    };
    let mut v = side(&r.source, &l.source);
    v.extend(side(&r.derived, &l.derived));
    v
}

/// The component of every node, and the nodes of each component (ascending), components
/// numbered in the order of their first node.
fn components(uf: &mut UnionFind, total: usize) -> (Vec<usize>, Vec<Vec<usize>>) {
    // A root is a node of its component, so a component is met first at or before its root.
    let mut comp_of_root: Vec<usize> = vec![usize::MAX; total];
    let mut comp_nodes: Vec<Vec<usize>> = Vec::new();
    let mut comp_of = Vec::with_capacity(total);
    for node in 0..total {
        let root = uf.find(node);
        if comp_of_root[root] == usize::MAX {
            comp_of_root[root] = comp_nodes.len();
            comp_nodes.push(Vec::new());
        }
        let c = comp_of_root[root];
        comp_nodes[c].push(node);
        comp_of.push(c);
    }
    (comp_of, comp_nodes)
}

/// The components in document order: per layer, the components in the order they first
/// appear, merged ([`merge_orders`]).
fn document_order(nodes: &Nodes<'_>, comp_of: &[usize], comp_nodes: &[Vec<usize>]) -> Vec<usize> {
    let mut lists: Vec<Vec<usize>> = Vec::with_capacity(nodes.layers.len());
    for (li, l) in nodes.layers.iter().enumerate() {
        let mut list = Vec::new();
        let mut seen = vec![false; comp_nodes.len()];
        for si in 0..l.sentences.len() {
            let c = comp_of[nodes.offset[li] + si];
            if !std::mem::replace(&mut seen[c], true) {
                list.push(c);
            }
        }
        lists.push(list);
    }
    let comp_layers: Vec<BTreeSet<usize>> = comp_nodes
        .iter()
        .map(|ns| ns.iter().map(|&n| nodes.layer_of(n)).collect())
        .collect();
    merge_orders(&lists, &comp_layers)
}

/// Which links and ptrs touch each component: edge by edge in derivation order, an edge's
/// links before its ptrs.
fn chains<'a>(
    nodes: &Nodes<'_>,
    edge_order: &[&'a EdgeAlignment],
    link_nodes: &[Vec<Vec<usize>>],
    comp_of: &[usize],
    n_comps: usize,
) -> Vec<Vec<&'a str>> {
    let mut chains: Vec<Vec<&str>> = vec![Vec::new(); n_comps];
    // Items are visited in chain order already (edge, then links, then ptrs), so pushing
    // keeps each chain sorted.
    for (e, ln) in edge_order.iter().zip(link_nodes) {
        for (l, ns) in e.links.iter().zip(ln) {
            if let Some(&n0) = ns.first() {
                chains[comp_of[n0]].push(l.id.as_str());
            }
        }
        for u in &e.unaligned {
            if let Some(n0) = nodes.node(&u.layer, &u.sentence) {
                chains[comp_of[n0]].push(u.id.as_str());
            }
        }
    }
    chains
}

/// The components in document order, from each layer's order of first appearance
/// (`lists`) and the layers each component has sentences in (`comp_layers`).
fn merge_orders(lists: &[Vec<usize>], comp_layers: &[BTreeSet<usize>]) -> Vec<usize> {
    // Merge the per-layer orders: emit a component when it heads every layer it occurs in,
    // trying layers in derivation order; if none is ready (crossing links), force the head of
    // the first non-empty layer so the merge always ends.
    let mut heads = vec![0usize; lists.len()];
    let mut emitted = vec![false; comp_layers.len()];
    let mut out_order: Vec<usize> = Vec::with_capacity(comp_layers.len());
    loop {
        for (li, h) in heads.iter_mut().enumerate() {
            while *h < lists[li].len() && emitted[lists[li][*h]] {
                *h += 1;
            }
        }
        let head = |li: usize| lists[li].get(heads[li]).copied();
        let ready = (0..lists.len())
            .filter_map(head)
            .find(|&c| comp_layers[c].iter().all(|&li| head(li) == Some(c)));
        let pick = match ready.or_else(|| (0..lists.len()).find_map(head)) {
            Some(c) => c,
            None => break,
        };
        emitted[pick] = true;
        out_order.push(pick);
    }
    out_order
}

/// Recompute the segments of an alignment after its edges changed (e.g. after a manual link).
/// A segment with the same members as before keeps its id; new ones get ids never used before.
/// The high-water marks are brought up to date.
///
/// Only the segments the change touched are made anew: a segment whose sentences and chain are
/// what they were is kept as it is (a `link` on a 50,000-sentence work changes a few of them).
/// The result is the same as `recompose_full`'s.
pub fn recompose(work: &Work, alignment: &mut WorkAlignment) {
    let old = std::mem::take(&mut alignment.segments);
    let mut ids = MarkAlloc::new(alignment, &old);
    let c = Composition::new(work, &alignment.relations, &alignment.edges);
    // An old segment is found by its first sentence.
    let mut old_at: Vec<Option<usize>> = vec![None; c.nodes.total];
    for (k, s) in old.iter().enumerate() {
        let first = s
            .members
            .iter()
            .flat_map(|(l, ids)| ids.iter().filter_map(|id| c.nodes.node(l, id)))
            .min();
        if let Some(n) = first {
            old_at[n].get_or_insert(k);
        }
    }
    let mut old: Vec<Option<Segment>> = old.into_iter().map(Some).collect();
    let mut kept: Vec<Option<Segment>> = Vec::with_capacity(c.order.len());
    for &comp in &c.order {
        let found = old_at[c.comp_nodes[comp][0]]
            .filter(|&k| old[k].as_ref().is_some_and(|s| c.same_as(comp, s)));
        kept.push(found.and_then(|k| old[k].take()));
    }
    // The rest are composed anew and given ids as a full recomposition gives them, against the
    // old segments not kept.
    let remaining: Vec<Segment> = old.into_iter().flatten().collect();
    let fresh_at: Vec<usize> = (0..kept.len()).filter(|&k| kept[k].is_none()).collect();
    let mut fresh: Vec<Segment> = fresh_at
        .iter()
        .map(|&k| c.segment(work, c.order[k], String::new()))
        .collect();
    keep_segment_ids(&mut fresh, &remaining, &mut ids);
    for (k, s) in fresh_at.into_iter().zip(fresh) {
        kept[k] = Some(s);
    }
    drop(c);
    alignment.segments = kept.into_iter().flatten().collect();
    let marks = ids.marks();
    alignment.id_high_water.extend(marks);
}

/// [`recompose`] by composing every segment anew (what it must equal; an alignment run
/// composes this way).
#[cfg(test)]
pub(crate) fn recompose_full(work: &Work, alignment: &mut WorkAlignment) {
    let mut segments = compose(work, &alignment.relations, &alignment.edges);
    let mut ids = super::IdAlloc::new(alignment);
    keep_segment_ids(&mut segments, &alignment.segments, &mut ids);
    alignment.segments = segments;
    let prefixes = super::ids::mark_prefixes(&alignment.relations);
    let marks = ids.marks(prefixes.iter().map(String::as_str));
    alignment.id_high_water.extend(marks);
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller root wins, so the result does not depend on the order of unions.
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}
