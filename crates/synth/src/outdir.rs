//! The folder `synth --mdaa` writes (`--out-dir DIR`), and what it may
//! replace there.
//!
//! DIR holds what synth wrote and nothing else: its `manifest.json` lists
//! every template with the SHA-256 of its content. Before a run writes,
//! everything in DIR is checked against the manifest: a file it does not
//! list, one whose content changed since, a link, anything but a file or a
//! folder on the way to a listed file, or a manifest that is not byte for
//! byte as synth writes it, makes the run refuse, listing them, and nothing
//! is changed. So a run replaces and removes only its own earlier output,
//! and a hand-written manifest cannot claim a folder.
//!
//! DIR itself is never replaced: new files are staged in a folder inside
//! it and moved into place while signals are held off, so its mode, owner
//! and any link to it stay as they are, and a symbolic link to a folder is
//! written through. A signal during the run removes the staging folder (and
//! DIR, when the run created it), leaving nothing beside DIR.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use module_kit::cli::{Failure, TempDir};
use module_kit::escape;
use serde_json::Value;

/// What the manifest says wrote it.
pub(crate) const GENERATOR: &str = "synth --mdaa";

/// The manifest's name in DIR.
pub(crate) const MANIFEST: &str = "manifest.json";

/// The largest manifest read back: a manifest of 10,000 instances is
/// about 5 MB.
const MAX_MANIFEST_BYTES: usize = 64 << 20;

/// How many unexpected entries a refusal lists before it counts the rest.
const LISTED: usize = 20;

/// The manifest's text, as synth writes it and as a manifest read back
/// must be.
pub(crate) fn manifest_text(manifest: &Value) -> String {
    serde_json::to_string_pretty(manifest).unwrap_or_default() + "\n"
}

/// DIR as found before a run: its earlier output, checked.
pub(crate) struct Previous {
    /// Files of the earlier output, relative to DIR, their content as recorded.
    pub files: Vec<PathBuf>,
    /// Folders holding them, relative to DIR, deepest first.
    pub dirs: Vec<PathBuf>,
}

/// Why an entry of DIR is not the earlier output.
enum Foreign {
    Unlisted,
    Changed,
    NotAFile(&'static str),
    BadManifest(String),
}

impl Foreign {
    fn words(&self) -> String {
        match self {
            Foreign::Unlisted => "not written by synth (not in its manifest)".into(),
            Foreign::Changed => {
                "changed since synth wrote it (its SHA-256 differs from the manifest's)".into()
            }
            Foreign::NotAFile(kind) => format!("{kind}, which synth never writes"),
            Foreign::BadManifest(why) => format!("not a manifest synth wrote: {why}"),
        }
    }
}

/// The files an earlier run's manifest lists, with their SHA-256, if the
/// manifest is exactly as synth writes one.
fn listed(dir: &Path) -> Result<BTreeMap<PathBuf, String>, String> {
    let bytes = module_kit::cli::read_bytes(&dir.join(MANIFEST), MAX_MANIFEST_BYTES, "the manifest")
        .map_err(|e| match e {
            module_kit::cli::ReadError::Io(e) => format!("cannot read it: {e}"),
            module_kit::cli::ReadError::Refused(kind) => format!("it is {kind}"),
            module_kit::cli::ReadError::TooLarge(max) => {
                format!("it is over {}", module_kit::limits::bytes(max))
            }
        })?;
    let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    let manifest: Value = serde_json::from_str(&text).map_err(|e| format!("it is not JSON ({e})"))?;
    if manifest["generator"] != GENERATOR {
        return Err(format!("its `generator` is not `{GENERATOR}`"));
    }
    if manifest_text(&manifest) != text {
        return Err("it is not laid out as synth writes a manifest (edited, or written by hand)".into());
    }
    let mut files = BTreeMap::new();
    for t in manifest["templates"].as_array().into_iter().flatten() {
        let (Some(path), Some(sha)) = (t["template"].as_str(), t["sha256"].as_str()) else {
            return Err("a template entry lacks `template` or `sha256`".into());
        };
        let rel = Path::new(path);
        let plain = rel.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain || rel.as_os_str().is_empty() {
            return Err(format!("it lists `{}`, which is not a path inside the folder", escape::text(path)));
        }
        files.insert(rel.to_path_buf(), sha.to_string());
    }
    Ok(files)
}

/// Checks DIR (which exists) before a run writes to it: every entry must be
/// the earlier output as its manifest records it. An empty DIR has none.
pub(crate) fn check(dir: &Path) -> Result<Previous, Failure> {
    let shown = escape::path(dir);
    let meta = std::fs::metadata(dir)
        .map_err(|e| Failure(format!("error: {shown}: cannot read the folder: {e}")))?;
    if !meta.is_dir() {
        let kind = module_kit::cli::FileKind::of(&meta).words();
        return Err(Failure(format!(
            "error: {shown}: is {kind}, not a folder\n  expected: a new or empty folder, or one an earlier `synth --mdaa` wrote\n  help: give another --out-dir"
        )));
    }
    let mut entries = Vec::new();
    walk(dir, Path::new(""), &mut entries)
        .map_err(|e| Failure(format!("error: {shown}: cannot read the folder: {e}")))?;
    if entries.is_empty() {
        return Ok(Previous { files: Vec::new(), dirs: Vec::new() });
    }
    let listed = if entries.iter().any(|(rel, kind)| rel == Path::new(MANIFEST) && kind.is_none()) {
        listed(dir)
    } else {
        Err("there is none".to_string())
    };
    let mut foreign: Vec<(PathBuf, Foreign)> = Vec::new();
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let listed = match listed {
        Ok(l) => l,
        Err(why) => {
            foreign.push((PathBuf::from(MANIFEST), Foreign::BadManifest(why)));
            BTreeMap::new()
        }
    };
    for (rel, kind) in entries {
        if rel == Path::new(MANIFEST) && kind.is_none() {
            continue;
        }
        match kind {
            Some("a directory") => {
                if listed.keys().any(|f| f.starts_with(&rel)) {
                    dirs.push(rel);
                } else {
                    foreign.push((rel, Foreign::Unlisted));
                }
            }
            Some(kind) => foreign.push((rel, Foreign::NotAFile(kind))),
            None => match listed.get(&rel) {
                None => foreign.push((rel, Foreign::Unlisted)),
                Some(sha) => match std::fs::read(dir.join(&rel)) {
                    Ok(bytes) if crate::sha256::hex(&bytes) == *sha => files.push(rel),
                    _ => foreign.push((rel, Foreign::Changed)),
                },
            },
        }
    }
    if foreign.is_empty() {
        // Deepest first, so that each is empty when its turn to go comes.
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        return Ok(Previous { files, dirs });
    }
    let mut message = format!(
        "error: {shown}: the folder holds what an earlier `synth --mdaa` did not write, so nothing was written or removed:"
    );
    for (rel, why) in foreign.iter().take(LISTED) {
        message.push_str(&format!("\n  {}: {}", escape::path(rel), why.words()));
    }
    if foreign.len() > LISTED {
        message.push_str(&format!("\n  and {} more", foreign.len() - LISTED));
    }
    message.push_str(
        "\n  expected: a new or empty folder, or one holding only an earlier `synth --mdaa` output as its manifest records it\n  help: move these out of the folder, or give a new --out-dir",
    );
    Err(Failure(message))
}

/// Every entry under `dir/rel`, relative to `dir`, with what it is when it
/// is not a regular file (`Some("a directory")` for folders, which are also
/// walked). Links are not followed.
fn walk(dir: &Path, rel: &Path, out: &mut Vec<(PathBuf, Option<&'static str>)>) -> std::io::Result<()> {
    let mut names: Vec<_> = std::fs::read_dir(dir.join(rel))?.collect::<Result<_, _>>()?;
    names.sort_by_key(|e| e.file_name());
    for entry in names {
        let path = rel.join(entry.file_name());
        let meta = entry.metadata()?;
        let kind = if meta.file_type().is_symlink() {
            Some("a symbolic link")
        } else {
            match module_kit::cli::FileKind::of(&meta) {
                module_kit::cli::FileKind::Regular => None,
                other => Some(other.words()),
            }
        };
        out.push((path.clone(), kind));
        if kind == Some("a directory") {
            walk(dir, &path, out)?;
        }
    }
    Ok(())
}

/// Where a run writes: DIR, created by the run if it did not exist, and a
/// staging folder inside it.
pub(crate) struct Target {
    dir: PathBuf,
    created: Option<TempDir>,
    staging: TempDir,
}

impl Target {
    /// Prepares DIR for a run: creates it if it does not exist, and a
    /// staging folder in it. Both go if the run fails or is interrupted.
    pub fn prepare(dir: &Path) -> Result<Target, Failure> {
        let shown = escape::path(dir);
        let created = if std::fs::symlink_metadata(dir).is_err() {
            Some(
                TempDir::create(dir)
                    .map_err(|e| Failure(format!("error: {shown}: cannot create the folder: {e}")))?,
            )
        } else {
            None
        };
        let staging = TempDir::create_in(dir, ".synth-mdaa-")
            .map_err(|e| Failure(format!("error: {shown}: cannot create a staging folder in it: {e}")))?;
        Ok(Target { dir: dir.to_path_buf(), created, staging })
    }

    /// The staging folder new files are written to.
    pub fn staging(&self) -> &Path {
        self.staging.path()
    }

    /// Moves the staged `files` (relative paths, the manifest last) into
    /// DIR and removes the earlier output's files that the new one does not
    /// have, with signals held off so that a signal cannot cut it in half.
    pub fn commit(self, files: &[PathBuf], previous: &Previous) -> Result<(), Failure> {
        let Target { dir, created, staging } = self;
        let shown = escape::path(&dir);
        let new: std::collections::HashSet<&PathBuf> = files.iter().collect();
        let mut held = module_kit::cli::hold_signals();
        let moved = (|| -> std::io::Result<()> {
            for rel in files {
                let to = dir.join(rel);
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::rename(staging.path().join(rel), &to)?;
            }
            for rel in &previous.files {
                if !new.contains(rel) {
                    std::fs::remove_file(dir.join(rel))?;
                }
            }
            for rel in &previous.dirs {
                // Only if empty now: a folder the new output still uses stays.
                let _ = std::fs::remove_dir(dir.join(rel));
            }
            Ok(())
        })();
        let _ = staging.remove(&mut held);
        if let Err(e) = moved {
            // A folder this run created goes as `created` drops, which
            // takes the lock `held` holds.
            drop(held);
            return Err(Failure(format!(
                "error: {shown}: cannot put the templates in place: {e}\n  help: the folder may hold part of the new output; run again once the cause is fixed (files no manifest records are listed then)"
            )));
        }
        if let Some(created) = created {
            created.keep(&mut held);
        }
        Ok(())
    }
}
