//! Renderings of a diff: text for terminals, Markdown for pull-request
//! comments, JSON for tools.

mod markdown;
mod text;

use crate::model::{ChangeKind, Direction, Impact, ResourceChange, TemplateDiff};
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain or coloured text.
    Text,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// JSON, as the crate's JSON Schema describes.
    Json,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format `{other}`: expected `text`, `markdown` or `json`")),
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours in text (set it when the output is a terminal).
    pub color: bool,
    /// A Mermaid graph to include in Markdown (from [`crate::Graph::mermaid`]).
    pub mermaid: Option<String>,
}

/// Renders a diff.
pub fn render(diff: &TemplateDiff, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Text => text::render(diff, options.color),
        Format::Markdown => markdown::render(diff, options.mermaid.as_deref()),
        Format::Json => {
            // serde_json escapes the C0 controls; the rest of what could
            // drive a terminal is escaped here, meaning the same JSON.
            let s = serde_json::to_string_pretty(diff).unwrap_or_else(|e| {
                serde_json::json!({"error": format!("the diff could not be written as JSON: {e}")})
                    .to_string()
            });
            crate::escape::json(s) + "\n"
        }
    }
}

/// The headline of a resource change: what happens to it, in a few words.
pub(crate) fn verdict(r: &ResourceChange) -> String {
    if let Some(o) = &r.orphans {
        let what = match r.kind {
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            _ => "replaced",
        };
        return format!("{what}, orphaned ({} {})", o.attribute, o.policy);
    }
    match (r.kind, r.impact) {
        (ChangeKind::Added, _) => "added".into(),
        (ChangeKind::Removed, _) => "removed (deleted)".into(),
        (ChangeKind::Renamed, _) => "renamed (replaced)".into(),
        (ChangeKind::TypeChanged, _) => "type changed (replaced)".into(),
        (_, Impact::Replace) => "replaced".into(),
        (_, Impact::MayReplace) => "may be replaced".into(),
        (_, Impact::Update) => "updated in place".into(),
        _ => "no resource update".into(),
    }
}

/// The type shown for a resource change (`A → B` when it changes).
pub(crate) fn type_of(r: &ResourceChange) -> String {
    match (&r.old_type, &r.new_type) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (_, Some(t)) | (Some(t), None) => t.clone(),
        (None, None) => String::new(),
    }
}

/// A resource's name as shown (`Old → New` for renames).
pub(crate) fn name_of(r: &ResourceChange) -> String {
    match &r.old_logical_id {
        Some(old) => format!("{old} → {}", r.logical_id),
        None => r.logical_id.clone(),
    }
}

pub(crate) fn impact_word(i: Impact) -> &'static str {
    match i {
        Impact::None => "none",
        Impact::Update => "update",
        Impact::MayReplace => "may replace",
        Impact::Replace => "replace",
        Impact::Create => "create",
        Impact::Destroy => "destroy",
    }
}

pub(crate) fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Broadens => "broadens",
        Direction::Changes => "changes",
        Direction::Narrows => "narrows",
    }
}

pub(crate) fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Modified => "modified",
        ChangeKind::TypeChanged => "type changed",
        ChangeKind::Renamed => "renamed",
    }
}

/// Shortens a one-line value for a table or a line.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
