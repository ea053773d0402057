//! The `link` and `unlink` commands, and the loading/saving of a work's alignment shared by the
//! review and interchange commands.

use anyhow::Context;
use std::path::{Path, PathBuf};
use tei_align::model::{Work, WorkAlignment};
use tei_align::review;

/// Arguments of `link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// Sentence ids of the two layers of one edge, e.g. `cs.s12 en.s13 en.s14`; or sentences
    /// of one layer, to confirm that they have no counterpart.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// The edge (`cs-en`) on which sentences of one layer are confirmed as unaligned, when the
    /// layer is on several.
    #[arg(long)]
    pub edge: Option<String>,
    /// The editor who confirms (an id, recorded in @resp and <change who>); default
    /// $TEI_ALIGN_EDITOR, else $USER.
    #[arg(long)]
    pub by: Option<String>,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// The time to record (ISO 8601); default now.
    #[arg(long, hide = true)]
    pub when: Option<String>,
}

/// Arguments of `unlink`.
#[derive(Debug, clap::Args)]
pub struct UnlinkArgs {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// A link id (`a.cs-en.12`) or sentence ids that all belong to one link.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// The editor (see `link --by`).
    #[arg(long)]
    pub by: Option<String>,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// The time to record (ISO 8601); default now.
    #[arg(long, hide = true)]
    pub when: Option<String>,
}

/// The default alignment file of a work, as `tei-align align` writes it:
/// `alignments/<work>/alignment.xml` under the current directory.
pub fn default_alignment_path(work: &Work) -> PathBuf {
    PathBuf::from("alignments")
        .join(&work.id)
        .join("alignment.xml")
}

/// Canonical form of a path that may not exist yet: the canonical parent joined with the file
/// name, so that `texts/w/./cs.xml`, a symlink to it and its absolute path all compare equal.
fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir).map_or_else(|_| p.to_owned(), |d| d.join(name))
        }
        _ => p.to_owned(),
    }
}

/// The layer of `work` whose file `path` is (compared as canonical paths), if any.
fn layer_at<'w>(path: &Path, work: &'w Work) -> Option<&'w tei_align::model::Layer> {
    let p = canonical(path);
    work.layers.iter().find(|l| canonical(&l.path) == p)
}

/// Refuse to write `output` when it is one of the user's own files: a layer of the work, any
/// file in the work directory, or (unless `alignment` is `None`) the alignment file. Exports and reports go elsewhere; only
/// the commands that update the alignment write it.
pub fn refuse_overwrite(
    output: &Path,
    work: &Work,
    alignment: Option<&Path>,
) -> anyhow::Result<()> {
    if let Some(layer) = layer_at(output, work) {
        anyhow::bail!(
            "{}: refusing to overwrite layer {} of work {} (give another output file)",
            output.display(),
            layer.id,
            work.id
        );
    }
    // Any other file in the work directory would be taken for a layer by the next command
    // that reads the work (as `align` also refuses).
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let (Ok(a), Ok(b)) = (parent.canonicalize(), work.dir.canonicalize())
        && a == b
    {
        anyhow::bail!(
            "{}: refusing to write into the work directory {} (it holds the layers; give a file elsewhere)",
            output.display(),
            work.dir.display()
        );
    }
    if let Some(a) = alignment
        && canonical(a) == canonical(output)
    {
        anyhow::bail!(
            "{}: refusing to overwrite the alignment file of work {} (give another output file)",
            output.display(),
            work.id
        );
    }
    Ok(())
}

/// Read the work and its alignment afresh (never cached: the file may have been edited by hand).
/// The alignment file may not be one of the work's layers (it is written back by the commands
/// that change it).
pub fn load(
    work_dir: &Path,
    alignment: Option<&Path>,
) -> anyhow::Result<(Work, PathBuf, WorkAlignment)> {
    let work = tei_align::tei::read_work(work_dir)?;
    let path = alignment.map_or_else(|| default_alignment_path(&work), Path::to_owned);
    // `--alignment texts/w/cs.xml` is a slip: reading it fails obscurely, and the commands that
    // update the alignment would overwrite the layer.
    if let Some(layer) = layer_at(&path, &work) {
        anyhow::bail!(
            "{}: this is layer {} of work {}, not its alignment file (see --alignment)",
            path.display(),
            layer.id,
            work.id
        );
    }
    if !path.is_file() {
        anyhow::bail!(
            "{}: no alignment file (run tei-align align {} first, or give --alignment)",
            path.display(),
            work_dir.display()
        );
    }
    let al = tei_align::tei::standoff::read_alignment(&path)?;
    Ok((work, path, al))
}

/// Recompose the N-way segments after a change of the pairwise links (the provenance
/// composition), then write atomically.
pub fn save(work: &Work, path: &Path, al: &mut WorkAlignment) -> anyhow::Result<()> {
    tei_align::provenance::recompose(work, al);
    tei_align::tei::standoff::write_alignment(path, al)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// The editor id: `--by`, else $TEI_ALIGN_EDITOR, else $USER, else `editor`. It becomes an
/// `xml:id` and a `#pointer` in the alignment file, so it must be an XML name (NCName): no
/// spaces, slashes or leading digit.
pub fn editor(by: Option<String>) -> anyhow::Result<String> {
    let (who, from) = match by.filter(|s| !s.trim().is_empty()) {
        Some(b) => (b, "--by"),
        None => match std::env::var("TEI_ALIGN_EDITOR")
            .ok()
            .filter(|s| !s.trim().is_empty())
        {
            Some(e) => (e, "$TEI_ALIGN_EDITOR"),
            None => match std::env::var("USER").ok().filter(|s| !s.trim().is_empty()) {
                Some(u) => (u, "$USER"),
                None => return Ok("editor".into()),
            },
        },
    };
    if !tei_align::tei::is_ncname(&who) {
        anyhow::bail!(
            "{from} '{who}' is not a valid editor id: use letters, digits, '-', '_' or '.', \
             starting with a letter (e.g. --by jnovak)"
        );
    }
    Ok(who)
}

/// Run `link`.
pub fn run_link(args: LinkArgs) -> anyhow::Result<()> {
    let (work, path, mut al) = load(&args.work, args.alignment.as_deref())?;
    let who = editor(args.by)?;
    let when = args.when.unwrap_or_else(review::now_iso);
    let idx = review::SentenceIndex::new(&work);
    let layers: std::collections::BTreeSet<&str> =
        args.ids.iter().filter_map(|id| idx.layer_id(id)).collect();
    if layers.len() == 1 && args.ids.iter().all(|id| idx.get(id).is_some()) {
        let out = review::confirm_unaligned(
            &work,
            &mut al,
            &args.ids,
            args.edge.as_deref(),
            &who,
            &when,
        )?;
        save(&work, &path, &mut al)?;
        outln!(
            "confirmed without counterpart on {}: {} (by {who})",
            out.relation,
            args.ids.join(" ")
        );
        return Ok(());
    }
    let out = review::link(&work, &mut al, &args.ids, &who, &when)?;
    save(&work, &path, &mut al)?;
    if out.confirmed_existing {
        outln!("confirmed {} on {} (by {who})", out.link, out.relation);
    } else {
        outln!(
            "linked {} as {} on {} (by {who})",
            args.ids.join(" "),
            out.link,
            out.relation
        );
        for (id, verified) in &out.removed {
            if *verified {
                eprintln!("warning: replaced {id}, which a person had confirmed");
            } else {
                outln!("replaced {id}");
            }
        }
        if !out.orphaned.is_empty() {
            outln!(
                "now without counterpart (to review): {}",
                out.orphaned.join(" ")
            );
        }
    }
    Ok(())
}

/// Run `unlink`.
pub fn run_unlink(args: UnlinkArgs) -> anyhow::Result<()> {
    let (work, path, mut al) = load(&args.work, args.alignment.as_deref())?;
    let who = editor(args.by)?;
    let when = args.when.unwrap_or_else(review::now_iso);
    let out = review::unlink(&work, &mut al, &args.ids, &who, &when)?;
    save(&work, &path, &mut al)?;
    outln!(
        "removed {} on {}; confirmed without counterpart: {} (by {who})",
        out.link,
        out.relation,
        out.unaligned.join(" ")
    );
    Ok(())
}
