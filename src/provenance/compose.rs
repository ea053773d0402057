//! Composing the pairwise links of all edges into N-way segments, each with its provenance chain.

use super::graph::layer_order;
use super::ids::{IdAlloc, keep_segment_ids, mark_prefixes};
use crate::model::{EdgeAlignment, Layer, Link, Relation, Segment, Work, WorkAlignment};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Compose the pairwise alignments of all edges into N-way segments: the connected components of
/// the sentences joined by links, in document order (the order of every layer is respected;
/// where layers leave a choice, the layer earliest in derivation order decides). Every sentence
/// of every layer is in exactly one segment. Each segment lists every layer of the work (a layer
/// without text, or without a sentence here, with an empty list), and its chain: the ids of the
/// links and unaligned ptrs that touch it, edge by edge in derivation order.
///
/// Link ends that name sentences the work does not have are ignored (they cannot be placed).
pub fn compose(work: &Work, relations: &[Relation], edges: &[EdgeAlignment]) -> Vec<Segment> {
    let order = layer_order(work, relations);
    let layers: Vec<&Layer> = order.iter().filter_map(|id| work.layer(id)).collect();
    // Node numbering: layer by layer.
    let mut offset = Vec::with_capacity(layers.len());
    let mut total = 0;
    for l in &layers {
        offset.push(total);
        total += l.sentences.len();
    }
    let mut node_of: HashMap<(&str, &str), usize> = HashMap::new();
    for (li, l) in layers.iter().enumerate() {
        for (si, s) in l.sentences.iter().enumerate() {
            node_of.insert((l.id.as_str(), s.id.as_str()), offset[li] + si);
        }
    }
    let mut uf = UnionFind::new(total);
    let rel_by_id: HashMap<&str, &Relation> =
        relations.iter().map(|r| (r.id.as_str(), r)).collect();
    // Edges in derivation order (the order of `relations`), whatever order they are given in.
    let mut edge_order: Vec<&EdgeAlignment> = edges.iter().collect();
    let rank = |e: &EdgeAlignment| {
        relations
            .iter()
            .position(|r| r.id == e.relation)
            .unwrap_or(usize::MAX)
    };
    edge_order.sort_by_key(|e| rank(e));

    let link_nodes = |e: &EdgeAlignment, l: &Link| -> Vec<usize> {
        let Some(r) = rel_by_id.get(e.relation.as_str()) else {
            return Vec::new();
        };
        l.source
            .iter()
            .filter_map(|s| node_of.get(&(r.source.as_str(), s.as_str())).copied())
            .chain(
                l.derived
                    .iter()
                    .filter_map(|s| node_of.get(&(r.derived.as_str(), s.as_str())).copied()),
            )
            .collect()
    };
    for e in &edge_order {
        for l in &e.links {
            let nodes = link_nodes(e, l);
            for w in nodes.windows(2) {
                uf.union(w[0], w[1]);
            }
        }
    }
    // Components, and each one's first position in each layer.
    let mut comp_of_root: HashMap<usize, usize> = HashMap::new();
    let mut comp_nodes: Vec<Vec<usize>> = Vec::new();
    for node in 0..total {
        let root = uf.find(node);
        let c = *comp_of_root.entry(root).or_insert_with(|| {
            comp_nodes.push(Vec::new());
            comp_nodes.len() - 1
        });
        comp_nodes[c].push(node);
    }
    let comp_of = |node: usize, uf: &mut UnionFind| comp_of_root[&uf.find(node)];
    // Per layer, the components in the order they first appear.
    let mut lists: Vec<Vec<usize>> = Vec::with_capacity(layers.len());
    for (li, l) in layers.iter().enumerate() {
        let mut list = Vec::new();
        let mut seen = HashSet::new();
        for si in 0..l.sentences.len() {
            let c = comp_of(offset[li] + si, &mut uf);
            if seen.insert(c) {
                list.push(c);
            }
        }
        lists.push(list);
    }
    let layer_of = |node: usize| offset.iter().rposition(|&o| o <= node).unwrap_or(0);
    let comp_layers: Vec<BTreeSet<usize>> = comp_nodes
        .iter()
        .map(|ns| ns.iter().map(|&n| layer_of(n)).collect())
        .collect();
    let out_order = merge_orders(&lists, &comp_layers);

    // Chains: which links and ptrs touch each component.
    let mut chain_items: Vec<Vec<(usize, usize, String)>> = vec![Vec::new(); comp_nodes.len()];
    for (ei, e) in edge_order.iter().enumerate() {
        for (k, l) in e.links.iter().enumerate() {
            let nodes = link_nodes(e, l);
            if let Some(&n0) = nodes.first() {
                let c = comp_of(n0, &mut uf);
                chain_items[c].push((ei, k, l.id.clone()));
            }
        }
        for (k, u) in e.unaligned.iter().enumerate() {
            if let Some(&n0) = node_of.get(&(u.layer.as_str(), u.sentence.as_str())) {
                let c = comp_of(n0, &mut uf);
                chain_items[c].push((ei, e.links.len() + k, u.id.clone()));
            }
        }
    }
    out_order
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let mut members: BTreeMap<String, Vec<String>> = work
                .layers
                .iter()
                .map(|l| (l.id.clone(), Vec::new()))
                .collect();
            let mut nodes = comp_nodes[c].clone();
            nodes.sort_unstable();
            for n in nodes {
                let li = layer_of(n);
                let l = layers[li];
                if let Some(v) = members.get_mut(&l.id) {
                    v.push(l.sentences[n - offset[li]].id.clone());
                }
            }
            let mut items = chain_items[c].clone();
            items.sort();
            Segment {
                id: format!("seg.{}", k + 1),
                members,
                chain: items.into_iter().map(|(_, _, id)| id).collect(),
            }
        })
        .collect()
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
pub fn recompose(work: &Work, alignment: &mut WorkAlignment) {
    let mut segments = compose(work, &alignment.relations, &alignment.edges);
    let mut ids = IdAlloc::new(alignment);
    keep_segment_ids(&mut segments, &alignment.segments, &mut ids);
    alignment.segments = segments;
    let prefixes = mark_prefixes(&alignment.relations);
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
