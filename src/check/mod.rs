//! Consistency checks of a work and its alignment: pointers, ids, crossing beads, coverage per
//! edge, the derivation graph, TEI validity.
