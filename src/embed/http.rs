//! Sentence vectors from any OpenAI-compatible embeddings server (`POST …/v1/embeddings` with
//! `{"model", "input": [texts]}`): text-embeddings-inference, vLLM, Ollama, llama.cpp's server.
//!
//! Texts go in batches; a failed request (connection error, 429 or 5xx) is retried with
//! exponential backoff; vectors are L2-normalized here, since not every server does. A server
//! that is down gives an error naming the endpoint. An API key, if the server needs one, is
//! read from `$TEI_ALIGN_EMBEDDINGS_KEY` (never from the command line, where it would end up in
//! shell histories).

use super::{EmbedError, Embedder};
use std::time::Duration;

/// Texts per request.
const BATCH: usize = 64;
/// Retries of a failed request, after the first attempt.
const RETRIES: u32 = 4;
/// The first retry's delay; each next one doubles.
const BACKOFF: Duration = Duration::from_millis(250);

/// An OpenAI-compatible embeddings endpoint.
pub struct HttpEmbedder {
    url: String,
    model: String,
    dim: usize,
    key: Option<String>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for HttpEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpEmbedder")
            .field("url", &self.url)
            .field("model", &self.model)
            .finish()
    }
}

impl HttpEmbedder {
    /// Connect to `url` (the full embeddings endpoint) for `model`; one probe request checks
    /// that the server answers and learns the vectors' dimension.
    pub fn connect(url: &str, model: &str) -> Result<HttpEmbedder, EmbedError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        let mut e = HttpEmbedder {
            url: url.to_string(),
            model: model.to_string(),
            dim: 0,
            key: std::env::var("TEI_ALIGN_EMBEDDINGS_KEY")
                .ok()
                .filter(|k| !k.is_empty()),
            agent,
        };
        let probe = e.request(&["probe"])?;
        e.dim = probe.first().map_or(0, Vec::len);
        if e.dim == 0 {
            return Err(e.err("returned an empty vector"));
        }
        Ok(e)
    }

    fn err(&self, msg: impl std::fmt::Display) -> EmbedError {
        EmbedError::Server(format!("embeddings server {}: {msg}", self.url))
    }

    /// One batch, with retries.
    fn request(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let body = serde_json::json!({ "model": self.model, "input": texts }).to_string();
        let mut delay = BACKOFF;
        let mut attempt = 0;
        loop {
            match self.post(&body) {
                Ok(text) => return self.parse(&text, texts.len()),
                Err((_, true)) if attempt < RETRIES => {
                    std::thread::sleep(delay);
                    delay *= 2;
                    attempt += 1;
                }
                Err((msg, _)) => {
                    let tries = if attempt > 0 {
                        format!(" (after {} attempts)", attempt + 1)
                    } else {
                        String::new()
                    };
                    return Err(self.err(format!("{msg}{tries}")));
                }
            }
        }
    }

    /// One POST: the body, or the error and whether it is worth retrying.
    fn post(&self, body: &str) -> Result<String, (String, bool)> {
        let mut req = self
            .agent
            .post(&self.url)
            .header("content-type", "application/json");
        if let Some(k) = &self.key {
            req = req.header("authorization", &format!("Bearer {k}"));
        }
        match req.send(body) {
            Ok(mut resp) => resp
                .body_mut()
                .with_config()
                .limit(1 << 30)
                .read_to_string()
                .map_err(|e| (format!("reading the answer: {e}"), true)),
            Err(ureq::Error::StatusCode(code)) => {
                Err((format!("HTTP status {code}"), code == 429 || code >= 500))
            }
            Err(e) => Err((format!("not reachable ({e}): is the server running?"), true)),
        }
    }

    fn parse(&self, text: &str, n: usize) -> Result<Vec<Vec<f32>>, EmbedError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| self.err(format!("answer is not JSON: {e}")))?;
        let data = v["data"]
            .as_array()
            .ok_or_else(|| self.err("answer has no \"data\" list"))?;
        if data.len() != n {
            return Err(self.err(format!("{} vectors for {n} texts", data.len())));
        }
        let mut out = vec![Vec::new(); n];
        for (k, item) in data.iter().enumerate() {
            // Servers may list the vectors in any order; "index" says whose each is.
            let i = item["index"].as_u64().map_or(k, |i| i as usize);
            let vec: Vec<f32> = item["embedding"]
                .as_array()
                .ok_or_else(|| self.err("an item has no \"embedding\" list"))?
                .iter()
                .map(|x| x.as_f64().map(|x| x as f32))
                .collect::<Option<_>>()
                .ok_or_else(|| self.err("an embedding holds a non-number"))?;
            let slot = out
                .get_mut(i)
                .ok_or_else(|| self.err(format!("index {i} out of range")))?;
            *slot = normalize(vec);
        }
        if out
            .iter()
            .any(|v| v.is_empty() || (self.dim > 0 && v.len() != self.dim))
        {
            return Err(self.err("vectors missing or of differing dimensions"));
        }
        Ok(out)
    }
}

fn normalize(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    v
}

impl Embedder for HttpEmbedder {
    fn describe(&self) -> String {
        format!("{} at {}", self.model, self.url)
    }
    fn dim(&self) -> usize {
        self.dim
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            out.extend(self.request(batch)?);
        }
        Ok(out)
    }
}
