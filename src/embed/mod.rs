//! Sentence embeddings: the semantic evidence the aligner may use besides length and lexical
//! clues. This module defines the interface both sources of vectors implement — the built-in
//! inference of multilingual-e5-small and an OpenAI-compatible embeddings server — so that the
//! aligner depends on the interface only.

pub mod cache;
pub mod e5;
pub mod http;
pub mod install;

/// Errors of an embedding source.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The model file is missing or unusable (the message names the install command).
    #[error("{0}")]
    Model(String),
    /// An embeddings server failed or answered something unusable.
    #[error("{0}")]
    Server(String),
    /// Reading or writing a file (model, cache) failed.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A source of sentence vectors.
///
/// Implementations return one L2-normalised vector per input text, in input order, all of the
/// same dimension, and the same vector for the same text every time (deterministic), so that
/// alignments are reproducible and vectors can be cached by text hash.
pub trait Embedder: Send + Sync + std::fmt::Debug {
    /// What made the vectors, for the provenance record: the model name and the SHA-256 of its
    /// file, or the endpoint and the server's model name.
    fn describe(&self) -> String;
    /// The dimension of every vector.
    fn dim(&self) -> usize;
    /// Embed `texts` (sentences, or several consecutive sentences joined by a space).
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
}
