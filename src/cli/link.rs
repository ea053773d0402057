//! The `link` and `unlink` commands, and the opening of a work for a change by hand (shared with
//! `import-alignment`).

use std::path::{Path, PathBuf};
use tei_align::project::{Editor, LockMode, Opened, WorkLock, WorkRef};
use tei_align::review;

/// Arguments of `link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// Sentence ids of the two layers of one edge, e.g. `cs.s12 en.s13 en.s14`; or sentences
    /// of one layer, to confirm that they have no counterpart; or the id of one link or
    /// unaligned ptr, to confirm it as it stands (e.g. one reported as "confirmed on another
    /// text: review"). With --record-text: the ids of the confirmed links and ptrs whose text
    /// to record (default: every confirmation without a record of its text).
    #[arg(required_unless_present = "record_text")]
    pub ids: Vec<String>,
    /// The edge (`cs-en`) on which sentences of one layer are confirmed as unaligned, when the
    /// layer is on several.
    #[arg(long)]
    pub edge: Option<String>,
    /// Record the text of confirmations that have no record of it (made before tei-align kept
    /// one) as it reads now, under your name, so that a later edit is reported: the
    /// confirmations stay their editors'; a change of yours says you recorded their text.
    #[arg(long)]
    pub record_text: bool,
    /// Who, where, when.
    #[command(flatten)]
    pub edit: EditArgs,
}

/// Arguments of `unlink`.
#[derive(Debug, clap::Args)]
pub struct UnlinkArgs {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// A link id (`a.cs-en.12`) or sentence ids that all belong to one link.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Who, where, when.
    #[command(flatten)]
    pub edit: EditArgs,
}

/// The options of every change by hand (`link`, `unlink`, `import-alignment`), in one place so
/// that the three commands name, check and record their editor the same way.
#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The editor who makes the change (for `import-alignment`: who confirmed the file's
    /// confirmed links when it does not say): `id:"Full Name"` (the id is recorded in @resp and
    /// <change who>, the name in the alignment's header) or a recorded editor's id; default
    /// $TEI_ALIGN_EDITOR (the same form), else git config user.name and user.email.
    #[arg(long, value_name = "ID[:NAME]")]
    pub by: Option<String>,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// The time to record (ISO 8601); default now.
    #[arg(long, hide = true)]
    pub when: Option<String>,
    /// When another command is editing the work, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
}

impl EditArgs {
    /// Open `work` for `command`, a change by hand: under the work's lock, with the editor
    /// checked against the people of the work and recorded in the alignment. Also returns the
    /// time to record.
    pub fn open(&self, work: &Path, command: &str) -> anyhow::Result<(Opened, Editor, String)> {
        let w = WorkRef::resolve(work, self.alignment.as_deref())?;
        let (o, editor) = w.edit_as(self.by.as_deref(), lock_mode(self.wait), command)?;
        let when = self.when.clone().unwrap_or_else(review::now_iso);
        Ok((o, editor, when))
    }
}

/// The lock mode of `--wait`.
pub fn lock_mode(wait: bool) -> LockMode {
    if wait { LockMode::Wait } else { LockMode::Fail }
}

/// The lock of the work that the layer file `output` belongs to (its directory is a work of a
/// project), if any: a layer is written under the same lock as the alignment.
pub fn layer_lock(output: &Path, wait: bool) -> anyhow::Result<Option<WorkLock>> {
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(w) = WorkRef::resolve(dir, None) else {
        return Ok(None);
    };
    Ok(Some(WorkLock::acquire(
        &w.alignment,
        &w.id,
        lock_mode(wait),
        "import",
    )?))
}

/// Run `link`.
pub fn run_link(args: LinkArgs) -> anyhow::Result<()> {
    let (mut o, editor, when) = args.edit.open(&args.work, "link")?;
    let who = editor.id;
    if args.record_text {
        let out = review::record_texts(&o.work, &mut o.alignment, &args.ids, (&who, &when))?;
        if out.change.is_some() {
            o.save()?;
        }
        for s in &out.skipped {
            eprintln!(
                "warning: {s} names a sentence the work no longer has: not recorded (see tei-align check)"
            );
        }
        match out.change {
            Some(c) => {
                let n = out.recorded.len();
                outln!(
                    "recorded the text of {n} confirmation{} as it reads now (by {who}, {c}):",
                    if n == 1 { "" } else { "s" },
                );
                for r in &out.recorded {
                    outln!("  {r}");
                }
            }
            None => outln!("no confirmation without a record of its text: nothing recorded"),
        }
        return Ok(());
    }
    let (work, al) = (&o.work, &mut o.alignment);
    let idx = review::SentenceIndex::new(work);
    // One link or ptr id: its sentences (a sentence id is never also an item id).
    let mut args = args;
    if let [one] = args.ids.as_slice()
        && idx.get(one).is_none()
        && let Some((ids, edge)) = review::item_sentences(al, one)
    {
        args.ids = ids;
        args.edge = args.edge.or(edge);
    }
    let layers: std::collections::BTreeSet<&str> =
        args.ids.iter().filter_map(|id| idx.layer_id(id)).collect();
    if layers.len() == 1 && args.ids.iter().all(|id| idx.get(id).is_some()) {
        let out =
            review::confirm_unaligned(work, al, &args.ids, args.edge.as_deref(), &who, &when)?;
        o.save()?;
        outln!(
            "confirmed without counterpart on {}: {} (by {who})",
            out.relation,
            args.ids.join(" ")
        );
        return Ok(());
    }
    let out = review::link(work, al, &args.ids, &who, &when)?;
    o.save()?;
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
    let (mut o, editor, when) = args.edit.open(&args.work, "unlink")?;
    let who = editor.id;
    let out = review::unlink(&o.work, &mut o.alignment, &args.ids, &who, &when)?;
    o.save()?;
    outln!(
        "removed {} on {}; confirmed without counterpart: {} (by {who})",
        out.link,
        out.relation,
        out.unaligned.join(" ")
    );
    Ok(())
}
