//! The editor: the person who confirms, creates or removes links by hand. They are recorded in
//! the alignment's own header (`titleStmt/respStmt[@xml:id]` with their name) and pointed at by
//! `@resp` and `<change who>`; their id must be an XML name that names nothing else — in
//! particular not a person or organisation of a layer header (`cs.publisher`, the newspaper, is not an
//! editor who confirmed a link).

use super::{ProjectError, Result};
use crate::model::{Agent, Work, WorkAlignment};
use std::path::Path;

/// The role recorded for editors in the alignment header.
const EDITOR_ROLE: &str = "editor";

/// How to name the editor, for the messages that ask for one.
const HOW: &str = "give --by id:\"Full Name\" (e.g. --by jnovak:\"Jan Novák\"), set \
                   $TEI_ALIGN_EDITOR the same way, or set git config user.name and user.email";

/// An editor: an id (an XML name) and a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    /// The id, used in `@resp="#id"`, `<change who="#id">` and `respStmt/@xml:id`.
    pub id: String,
    /// The full name, when given (`None`: keep the name the alignment records, or the id).
    pub name: Option<String>,
    /// Where the editor was named (`--by`, `$TEI_ALIGN_EDITOR`, `git config`), for messages.
    pub from: String,
}

impl Editor {
    /// Parse `id` or `id:Full Name`, as given by `from`.
    pub fn parse(spec: &str, from: &str) -> Result<Editor> {
        let (id, name) = match spec.split_once(':') {
            Some((id, name)) => (id.trim(), Some(name.trim())),
            None => (spec.trim(), None),
        };
        if !crate::tei::is_ncname(id) {
            return Err(ProjectError::Editor(format!(
                "{from} '{spec}' is not a valid editor id: use letters, digits, '-', '_' or '.', \
                 starting with a letter, then optionally :\"Full Name\" (e.g. --by jnovak:\"Jan Novák\")"
            )));
        }
        if name.is_some_and(str::is_empty) {
            return Err(ProjectError::Editor(format!(
                "{from} '{spec}': the name after ':' is empty (e.g. --by jnovak:\"Jan Novák\")"
            )));
        }
        Ok(Editor {
            id: id.to_owned(),
            name: name.map(str::to_owned),
            from: from.to_owned(),
        })
    }

    /// The editor named by `by` (`--by`), else `$TEI_ALIGN_EDITOR`, else git's `user.name` and
    /// `user.email` (as `git config` reads them in `project`, so a repository's own setting
    /// wins). No editor is an error telling how to name one: a link is never confirmed by
    /// nobody in particular.
    pub fn resolve(by: Option<&str>, project: Option<&Path>) -> Result<Editor> {
        if let Some(b) = by.filter(|s| !s.trim().is_empty()) {
            return Editor::parse(b, "--by");
        }
        if let Ok(e) = std::env::var("TEI_ALIGN_EDITOR")
            && !e.trim().is_empty()
        {
            return Editor::parse(&e, "$TEI_ALIGN_EDITOR");
        }
        if let Some(ed) = from_git(project)? {
            return Ok(ed);
        }
        Err(ProjectError::Editor(format!(
            "who is editing? no editor named: {HOW}"
        )))
    }

    /// Refuse an id that names something else in the work: a person or organisation of a layer
    /// header, the tool, a layer, a relation, link, ptr, segment or change of the alignment;
    /// or an editor recorded under this id with another name.
    pub fn check(&self, work: &Work, al: &WorkAlignment) -> Result<()> {
        let refuse = |what: String| {
            Err(ProjectError::Editor(format!(
                "{} '{}': this id is {what}; an editor needs an id of their own ({HOW})",
                self.from, self.id
            )))
        };
        for layer in &work.layers {
            if let Some(a) = layer.agents.iter().find(|a| a.id == self.id) {
                return refuse(format!(
                    "{} ({}) in the header of {}",
                    a.name,
                    a.role,
                    layer.path.display()
                ));
            }
        }
        if let Some(a) = al.agents.iter().find(|a| a.id == self.id) {
            if a.role != EDITOR_ROLE {
                return refuse(format!("{} ({}) in the alignment", a.name, a.role));
            }
            if let Some(name) = &self.name
                && a.name != *name
                && a.name != a.id
            {
                return refuse(format!("the editor {} in the alignment", a.name));
            }
            return Ok(());
        }
        if let Some(what) = other_id(al, &self.id) {
            return refuse(format!("{what} in the alignment"));
        }
        Ok(())
    }

    /// Record the editor among the alignment's agents (with their name), or give a recorded
    /// editor known only by id the name now given.
    pub fn record(&self, al: &mut WorkAlignment) {
        match al.agents.iter_mut().find(|a| a.id == self.id) {
            Some(a) => {
                if let Some(name) = &self.name {
                    a.name.clone_from(name);
                }
            }
            None => al.agents.push(Agent::new(
                self.id.clone(),
                self.name.clone().unwrap_or_else(|| self.id.clone()),
                EDITOR_ROLE.into(),
            )),
        }
    }
}

/// Check and record the people an imported file names as having confirmed its beads (`who`,
/// from its `resp`), as [`Editor::check`] and [`Editor::record`] do for `--by`: an id of a
/// person or organisation of a layer header is refused. `from` names the file in messages.
pub fn record_confirmers<'a>(
    work: &Work,
    al: &mut WorkAlignment,
    who: impl IntoIterator<Item = &'a str>,
    from: &str,
) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for id in who {
        let id = id.trim_start_matches('#');
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let ed = Editor {
            id: id.to_owned(),
            name: None,
            from: format!("resp in {from}"),
        };
        ed.check(work, al)?;
        ed.record(al);
    }
    Ok(())
}

/// What else `id` names in the alignment, if anything.
fn other_id(al: &WorkAlignment, id: &str) -> Option<&'static str> {
    if id == "tei-align" {
        return Some("the tool");
    }
    if id
        .strip_prefix("layer.")
        .is_some_and(|l| al.layer_files.contains_key(l))
    {
        return Some("a layer");
    }
    if al.relations.iter().any(|r| r.id == id) {
        return Some("a derivation relation");
    }
    if al.changes.iter().any(|c| c.id == id) {
        return Some("a change");
    }
    if al.segments.iter().any(|s| s.id == id) {
        return Some("a segment");
    }
    for e in &al.edges {
        if e.links.iter().any(|l| l.id == id) {
            return Some("a link");
        }
        if e.unaligned.iter().any(|u| u.id == id) {
            return Some("an unaligned ptr");
        }
    }
    None
}

/// One `git config` value, if git is installed and the value is set.
fn git_config(key: &str, dir: Option<&Path>) -> Option<String> {
    let mut cmd = std::process::Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    let out = cmd
        .args(["config", "--get", key])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let v = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!v.is_empty()).then_some(v)
}

/// The editor from git's `user.name` (the name) and `user.email` (its local part is the id; the
/// name made ASCII when there is no e-mail address).
fn from_git(dir: Option<&Path>) -> Result<Option<Editor>> {
    let Some(name) = git_config("user.name", dir) else {
        return Ok(None);
    };
    let email = git_config("user.email", dir);
    let base = email
        .as_deref()
        .and_then(|e| e.split('@').next())
        .filter(|l| !l.is_empty())
        .map_or_else(|| any_ascii::any_ascii(&name), str::to_owned);
    let id: String = base
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if !crate::tei::is_ncname(&id) {
        return Err(ProjectError::Editor(format!(
            "git config user.name '{name}': no editor id can be made of it or of user.email; {HOW}"
        )));
    }
    Ok(Some(Editor {
        id,
        name: Some(name),
        from: "git config user.email".into(),
    }))
}
