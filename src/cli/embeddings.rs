//! The `--embeddings` options shared by `align-text`, `align`, `run` and `embed`.

use anyhow::bail;
use std::sync::Arc;
use tei_align::embed::Embedder;
use tei_align::embed::cache::CachedEmbedder;
use tei_align::embed::e5::E5;
use tei_align::embed::http::HttpEmbedder;

/// Where sentence vectors come from.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EmbedArgs {
    /// Semantic evidence from sentence embeddings: `e5` (built in; `tei-align model install`
    /// first) or an OpenAI-compatible endpoint `http://HOST:PORT/v1/embeddings`.
    #[arg(long, value_name = "e5|URL")]
    pub embeddings: Option<String>,
    /// The model name the endpoint serves (with an endpoint URL only).
    #[arg(long, value_name = "NAME", requires = "embeddings")]
    pub embeddings_model: Option<String>,
}

impl EmbedArgs {
    /// The embedder the options name, if any.
    pub fn embedder(&self) -> anyhow::Result<Option<Arc<dyn Embedder>>> {
        let Some(src) = self.embeddings.as_deref() else {
            return Ok(None);
        };
        let e: Arc<dyn Embedder> = if src == "e5" {
            if self.embeddings_model.is_some() {
                bail!("--embeddings-model is for an endpoint URL; `e5` is one model");
            }
            Arc::new(E5::load_installed()?)
        } else if src.starts_with("http://") || src.starts_with("https://") {
            let Some(model) = self.embeddings_model.as_deref() else {
                bail!("--embeddings {src}: give the server's model with --embeddings-model NAME");
            };
            Arc::new(HttpEmbedder::connect(src, model)?)
        } else {
            bail!("--embeddings {src}: expected `e5` or an http(s):// endpoint URL");
        };
        // Vectors are kept by text hash and model: re-aligning after an edit embeds only the
        // new text.
        let dir = tei_align::embed::e5::model_dir()?.join("vectors");
        Ok(Some(Arc::new(CachedEmbedder::open(e, &dir)?)))
    }

    /// The embedder for an alignment, with a note on stderr saying what its vectors are used for.
    pub fn for_alignment(&self) -> anyhow::Result<Option<Arc<dyn Embedder>>> {
        let e = self.embedder()?;
        if let Some(e) = &e {
            super::ui::note(&format!(
                "sentence embeddings ({}) are used as semantic evidence in the search, beside \
                 length and lexical evidence",
                e.describe()
            ));
        }
        Ok(e)
    }
}
