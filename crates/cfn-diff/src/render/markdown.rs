//! Markdown for a pull-request comment: a summary, a table of resources,
//! one table of properties per resource, long values folded in `<details>`.
//!
//! Every string from the diff is escaped for where it goes
//! ([`crate::escape`]): prose with its Markdown punctuation escaped, code
//! spans and fenced blocks with fences longer than any run of backticks in
//! them, HTML with entities, all on one line each. A template cannot close
//! a table, a fold or a block, nor add a heading, an image or a mention.

use super::{clip, impact_word, kind_word, name_of, type_of, verdict};
use crate::escape::{html, md_code, md_code_cell, md_fence, md_text};
use crate::model::{ChangeKind, Direction, Impact, PropertyChange, ResourceChange, TemplateDiff};
use crate::policy::Statement;
use crate::show::cell;
use std::collections::HashSet;
use std::fmt::Write;

/// Values longer than this go below the table, folded.
const CELL_MAX: usize = 80;

fn icon(r: &ResourceChange) -> &'static str {
    if r.orphans.is_some() {
        return "🛑";
    }
    match (r.kind, r.impact) {
        (ChangeKind::Added, _) => "🟢",
        (ChangeKind::Removed, _) => "🔴",
        (_, Impact::Replace) => "🔴",
        (_, Impact::MayReplace) => "🟠",
        (_, Impact::Update) => "🟡",
        _ => "⚪",
    }
}

/// Text in a table cell, as code.
fn code(s: &str) -> String {
    md_code_cell(s)
}

/// Text in a table cell or a line, as prose.
fn text(s: &str) -> String {
    md_text(s)
}

pub(super) fn render(diff: &TemplateDiff, mermaid: Option<&str>) -> String {
    let mut out = String::from("### CloudFormation changes\n\n");
    let _ = writeln!(out, "**{}**\n", text(&diff.summary.line));
    if !diff.resources.is_empty() {
        out.push_str("| | Resource | Type | What happens |\n|---|---|---|---|\n");
        let broadening: HashSet<&str> = diff
            .security
            .iter()
            .filter(|s| s.direction == Direction::Broadens)
            .map(|s| s.logical_id.as_str())
            .collect();
        for r in &diff.resources {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                icon(r),
                code(&name_of(r)),
                code(&type_of(r)),
                text(&verdict(r))
                    + if broadening.contains(r.logical_id.as_str()) {
                        "; ⚠️ security broadens"
                    } else {
                        ""
                    }
            );
        }
        out.push('\n');
    }
    if !diff.security.is_empty() {
        out.push_str("#### Security changes\n\n| | Resource | Kind | Change |\n|---|---|---|---|\n");
        for s in &diff.security {
            let mark = match s.direction {
                Direction::Broadens => "⚠️ broadens",
                Direction::Changes => "↔️ changes",
                Direction::Narrows => "✅ narrows",
            };
            let kind = match &s.policy_kind {
                Some(k) => format!("{} ({k})", category(s.category)),
                None => category(s.category).to_string(),
            };
            let _ = writeln!(out, "| {mark} | {} | {kind} | {} |", code(&s.logical_id), text(&s.description));
        }
        out.push('\n');
    }
    for r in diff.resources.iter().filter(|r| has_details(r)) {
        resource(&mut out, r);
    }
    if !diff.sections.is_empty() {
        out.push_str("#### Other changes\n\n| Section | Entry | Change | Details |\n|---|---|---|---|\n");
        let mut folded = Vec::new();
        for s in &diff.sections {
            let mut details: Vec<String> = s
                .changes
                .iter()
                .map(|c| {
                    let v = format!("{}: {} → {}", c.path, cell(c.old.as_ref()), cell(c.new.as_ref()));
                    if v.chars().count() > CELL_MAX || c.line_diff.is_some() {
                        folded.push((
                            format!("{}.{}", s.section, s.key.clone().unwrap_or_default()),
                            c.clone(),
                        ));
                        format!("{} (below)", if c.path.is_empty() { "value" } else { &c.path })
                    } else {
                        v
                    }
                })
                .collect();
            if s.changes.is_empty() && s.kind != ChangeKind::Modified {
                let v = cell(s.new.as_ref().or(s.old.as_ref()));
                details.push(clip(&v, CELL_MAX));
            }
            details.extend(s.notes.iter().map(|n| format!("⚠️ {n}")));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                text(&s.section),
                code(s.key.as_deref().unwrap_or("")),
                kind_word(s.kind),
                details.iter().map(|d| text(d)).collect::<Vec<_>>().join("<br>")
            );
        }
        out.push('\n');
        for (name, c) in folded {
            fold(&mut out, &format!("{name} {}", c.path), &c);
        }
    }
    if let Some(m) = mermaid {
        let _ = write!(
            out,
            "<details><summary>Resource graph</summary>\n\n{}\n</details>\n",
            md_fence("mermaid", m)
        );
    }
    out
}

fn has_details(r: &ResourceChange) -> bool {
    r.orphans.is_some()
        || !r.properties.is_empty()
        || !r.attributes.is_empty()
        || !r.notes.is_empty()
        || !r.physical_names.is_empty()
}

fn category(c: crate::model::SecurityCategory) -> &'static str {
    use crate::model::SecurityCategory::*;
    match c {
        PolicyStatement => "policy statement",
        PolicyAttachment => "policy attachment",
        Encryption => "encryption",
        PublicAccess => "public access",
        TlsOnly => "TLS only",
        Retention => "retention",
        RetainPolicy => "retain policy",
        DataProtection => "data protection",
        SecurityGroup => "security group",
        Logging => "logging",
    }
}

fn resource(out: &mut String, r: &ResourceChange) {
    let _ = writeln!(
        out,
        "#### {} {} ({}): {}\n",
        icon(r),
        md_code(&name_of(r)),
        text(&type_of(r)),
        text(&verdict(r))
    );
    if let Some(o) = &r.orphans {
        let _ = writeln!(
            out,
            "> [!CAUTION]\n> Orphaned by {} {}: {}\n",
            text(&o.attribute),
            text(&o.policy),
            text(&o.consequence)
        );
    }
    for n in &r.physical_names {
        let _ = writeln!(
            out,
            "- **Physical name changes**: {} {} → {}",
            text(&n.property),
            md_code(&cell(n.old.as_ref())),
            md_code(&cell(n.new.as_ref()))
        );
    }
    for n in &r.notes {
        let _ = writeln!(out, "- ⚠️ {}", text(n));
    }
    if !r.physical_names.is_empty() || !r.notes.is_empty() {
        out.push('\n');
    }
    let mut folded = Vec::new();
    if !r.properties.is_empty() || !r.attributes.is_empty() {
        out.push_str("| Property | Old | New | Impact |\n|---|---|---|---|\n");
        for c in &r.properties {
            let (old, new) = (cell(c.old.as_ref()), cell(c.new.as_ref()));
            let long = c.line_diff.is_some()
                || c.statements.is_some()
                || old.chars().count() > CELL_MAX
                || new.chars().count() > CELL_MAX;
            let (old, new) = if c.caused_by.is_some() {
                (code(&clip(&old, CELL_MAX)), "(same text, new value)".to_string())
            } else if long {
                folded.push(c.clone());
                ("(below)".to_string(), "(below)".to_string())
            } else {
                (value_cell(c.old.is_some(), &old), value_cell(c.new.is_some(), &new))
            };
            let _ = writeln!(
                out,
                "| {} | {old} | {new} | **{}**: {} |",
                code(&c.path),
                impact_word(c.impact),
                text(&c.reason)
            );
        }
        for a in &r.attributes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&a.attribute),
                value_cell(a.old.is_some(), &clip(&cell(a.old.as_ref()), CELL_MAX)),
                value_cell(a.new.is_some(), &clip(&cell(a.new.as_ref()), CELL_MAX)),
                text(&a.meaning)
            );
        }
        out.push('\n');
    }
    for c in folded {
        fold(out, &c.path, &c);
    }
}

fn value_cell(present: bool, s: &str) -> String {
    if present {
        code(s)
    } else {
        "*(none)*".to_string()
    }
}

fn fold(out: &mut String, title: &str, c: &PropertyChange) {
    let _ = writeln!(
        out,
        "<details><summary><code>{}</code>: {}</summary>\n",
        html(title),
        impact_word(c.impact)
    );
    if let Some(s) = c.statements.as_ref().filter(|s| !s.is_empty()) {
        out.push_str("| | Effect | Principal | Action | Resource | Condition |\n|---|---|---|---|---|---|\n");
        for (sign, list) in [("➖", &s.removed), ("➕", &s.added)] {
            for st in list {
                statement_row(out, sign, st);
            }
        }
        out.push('\n');
    } else if let Some(d) = &c.line_diff {
        let _ = writeln!(out, "{}", md_fence("diff", d));
    } else {
        for (what, v) in [("Old", &c.old), ("New", &c.new)] {
            let body = v
                .as_ref()
                .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
                .unwrap_or_else(|| "(none)".into());
            let _ = writeln!(out, "{what}:\n\n{}", md_fence("json", &body));
        }
    }
    out.push_str("</details>\n\n");
}

fn statement_row(out: &mut String, sign: &str, s: &Statement) {
    let join = |v: &[String], not: &[String]| -> String {
        let mut parts: Vec<String> = v.iter().map(|x| code(x)).collect();
        parts.extend(not.iter().map(|x| format!("NOT {}", code(x))));
        parts.join("<br>")
    };
    let _ = writeln!(
        out,
        "| {sign} | {}{} | {} | {} | {} | {} |",
        s.expression.as_ref().map(|e| format!("given by {}", code(e))).unwrap_or_else(|| text(&s.effect)),
        s.sid.as_ref().map(|sid| format!(" ({})", text(sid))).unwrap_or_default(),
        join(&s.principals, &s.not_principals),
        join(&s.actions, &s.not_actions),
        join(&s.resources, &s.not_resources),
        join(&s.conditions, &[])
    );
}
