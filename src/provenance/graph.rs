//! The derivation graph of a work: its relations (edges source → derived), the ONE order of its
//! layers every part of the tool uses ([`derivation_order`]: sources before what was derived from
//! them, ties by id), and cycle detection (`find_cycle`) for the graph and for `check`.

use super::ProvenanceError;
use crate::model::{Layer, Relation, Work};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The relation id of an edge: `rel.<source>-<derived>`.
pub fn relation_id(source: &str, derived: &str) -> String {
    format!("rel.{source}-{derived}")
}

/// The derivation graph of a work: one [`Relation`] per derived layer, in derivation order
/// (sources before what was derived from them). Errors for duplicate layer ids, a missing source
/// layer, and cycles.
pub fn derivation_graph(work: &Work) -> Result<Vec<Relation>, ProvenanceError> {
    let mut seen = HashSet::new();
    for l in &work.layers {
        if !seen.insert(l.id.as_str()) {
            return Err(ProvenanceError::DuplicateLayer {
                id: l.id.clone(),
                path: l.path.display().to_string(),
            });
        }
    }
    let by_id: HashMap<&str, &Layer> = work.layers.iter().map(|l| (l.id.as_str(), l)).collect();
    for l in &work.layers {
        if let Some(d) = l
            .derivations
            .iter()
            .find(|d| !by_id.contains_key(d.source.as_str()))
        {
            return Err(ProvenanceError::MissingSource {
                layer: l.id.clone(),
                source_layer: d.source.clone(),
                path: l.path.display().to_string(),
            });
        }
    }
    // A layer may have several sources, so the graph is a DAG, not a forest: a depth-first
    // search over derived → source edges finds a cycle (deterministic: layers in id order).
    let mut back: Vec<(String, String)> = work
        .layers
        .iter()
        .flat_map(|l| l.sources().map(|s| (l.id.clone(), s.to_owned())))
        .collect();
    back.sort();
    if let Some(found) = find_cycle(&back) {
        // `found` follows sources (derived → source, first repeated at the end); show it
        // source → derived.
        let cycle: Vec<String> = found.into_iter().rev().collect();
        let first = by_id
            .get(cycle[0].as_str())
            .map(|l| l.path.display().to_string())
            .unwrap_or_default();
        return Err(ProvenanceError::Cycle { cycle, path: first });
    }
    let mut relations: Vec<Relation> = work
        .layers
        .iter()
        .flat_map(|l| {
            l.derivations.iter().map(|d| Relation {
                id: relation_id(&d.source, &l.id),
                source: d.source.clone(),
                derived: l.id.clone(),
                kind: d.kind.clone(),
                resp: d.resp.clone(),
                when: d.when.clone(),
            })
        })
        .collect();
    // By id first, so the order does not depend on the order the layers come in (ties in
    // `derivation_order` go by the relations' order); the same source named twice in one
    // header would make two edges with one id.
    relations.sort_by(|a, b| a.id.cmp(&b.id));
    relations.dedup_by(|a, b| a.id == b.id);
    let order = layer_order(work, &relations);
    let rank = |id: &str| order.iter().position(|o| o == id).unwrap_or(usize::MAX);
    relations.sort_by_key(|r| (rank(&r.derived), rank(&r.source)));
    Ok(relations)
}

/// The layer ids of a work in derivation order (originals first, ties by id).
pub fn layer_order(work: &Work, relations: &[Relation]) -> Vec<String> {
    let ids: Vec<String> = work.layers.iter().map(|l| l.id.clone()).collect();
    derivation_order(&ids, relations)
}

/// The layers of a work in [`derivation_order`] (layers the relations do not mention among
/// them, by id).
pub fn ordered_layers<'a>(work: &'a Work, relations: &[Relation]) -> Vec<&'a Layer> {
    let ids: Vec<String> = work.layers.iter().map(|l| l.id.clone()).collect();
    derivation_order(&ids, relations)
        .iter()
        .filter_map(|id| work.layer(id))
        .collect()
}

/// Order layer ids so every source comes before what was derived from it: Kahn's algorithm,
/// where among the layers ready at a time the one the relations name first goes first (as the
/// derived layer of a relation, or for an original as a source), then by id. Every part of the
/// tool (the alignment file, the edition, coverage, TMX, trace) uses this one order; a layer
/// with two sources comes after both. Layers caught in a cycle come last, by id.
pub fn derivation_order(ids: &[String], relations: &[Relation]) -> Vec<String> {
    let mut indeg: BTreeMap<&str, usize> = ids.iter().map(|i| (i.as_str(), 0)).collect();
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    // Where the relations first name a layer: as derived, else as source.
    let mut named: HashMap<&str, (usize, usize)> = HashMap::new();
    for (k, r) in relations.iter().enumerate() {
        // Relations in order: the first entry is the earliest.
        let d = named
            .entry(r.derived.as_str())
            .or_insert((usize::MAX, usize::MAX));
        d.0 = d.0.min(k);
        let s = named
            .entry(r.source.as_str())
            .or_insert((usize::MAX, usize::MAX));
        s.1 = s.1.min(k);
        if indeg.contains_key(r.source.as_str()) && indeg.contains_key(r.derived.as_str()) {
            *indeg.entry(r.derived.as_str()).or_default() += 1;
            children
                .entry(r.source.as_str())
                .or_default()
                .push(r.derived.as_str());
        }
    }
    let key = |id: &str| {
        let (d, s) = named.get(id).copied().unwrap_or((usize::MAX, usize::MAX));
        (d.min(s), id.to_owned())
    };
    let mut ready: BTreeSet<(usize, String)> = indeg
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(k, _)| key(k))
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut placed: HashSet<String> = HashSet::new();
    while let Some((_, n)) = ready.pop_first() {
        for c in children
            .get(n.as_str())
            .map(|v| v.as_slice())
            .unwrap_or(&[])
        {
            if let Some(d) = indeg.get_mut(c) {
                *d -= 1;
                if *d == 0 {
                    ready.insert(key(c));
                }
            }
        }
        placed.insert(n.clone());
        out.push(n);
    }
    for id in indeg.keys() {
        if !placed.contains(*id) {
            out.push((*id).to_owned());
        }
    }
    out
}

/// A cycle in a graph given as (from, to) edges, as the list of its nodes (first repeated at
/// the end), if there is one.
pub(crate) fn find_cycle(edges: &[(String, String)]) -> Option<Vec<String>> {
    let mut adj: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        adj.entry(a).or_default().push(b);
    }
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state: HashMap<&str, u8> = HashMap::new();
    fn visit<'a>(
        n: &'a str,
        adj: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut HashMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(n, 1);
        stack.push(n);
        for &m in adj.get(n).map(Vec::as_slice).unwrap_or(&[]) {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|&x| x == m).unwrap_or(0);
                    let mut c: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
                    c.push(m.to_owned());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(m, adj, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n, 2);
        None
    }
    let nodes: Vec<&str> = adj.keys().copied().collect();
    for n in nodes {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, &adj, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}
