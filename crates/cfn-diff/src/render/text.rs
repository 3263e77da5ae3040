//! Text for terminals: one block per resource, most dangerous first.
//!
//! Every string from the diff (logical IDs, types, values, reasons, notes,
//! statements) is written through [`esc`]: one value is one line, and
//! nothing in a template can move the cursor, erase a line or recolour the
//! report. Only the colours this module adds are escape sequences.

use super::{clip, direction_word, kind_word, name_of, type_of, verdict};
use crate::escape::{lines, text as esc};
use crate::model::{ChangeKind, Direction, Impact, PropertyChange, ResourceChange, TemplateDiff};
use crate::policy::StatementChanges;
use crate::show::cell;
use std::fmt::Write;

const RED: &str = "\x1b[31m";
const BOLD_RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[33m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

struct Paint(bool);

impl Paint {
    fn on(&self, colour: &str, s: &str) -> String {
        if self.0 {
            format!("{colour}{s}{RESET}")
        } else {
            s.to_string()
        }
    }
}

fn marker(r: &ResourceChange) -> (&'static str, &'static str) {
    if r.orphans.is_some() {
        return ("[!]", BOLD_RED);
    }
    match (r.kind, r.impact) {
        (ChangeKind::Added, _) => ("[+]", GREEN),
        (ChangeKind::Removed, _) => ("[-]", RED),
        (_, Impact::Replace) => ("[-/+]", RED),
        (_, Impact::MayReplace) => ("[~?]", YELLOW),
        (_, Impact::Update) => ("[~]", YELLOW),
        _ => ("[.]", DIM),
    }
}

fn impact_colour(i: Impact) -> &'static str {
    match i {
        Impact::Replace | Impact::Destroy => RED,
        Impact::MayReplace | Impact::Update => YELLOW,
        Impact::Create => GREEN,
        Impact::None => DIM,
    }
}

pub(super) fn render(diff: &TemplateDiff, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.on(if diff.is_empty() { GREEN } else { CYAN }, &esc(&diff.summary.line)));
    if !diff.resources.is_empty() {
        out.push_str("\nResources\n");
        for r in &diff.resources {
            resource(&mut out, &p, r);
        }
    }
    if !diff.security.is_empty() {
        out.push_str("\nSecurity changes\n");
        for s in &diff.security {
            let colour = match s.direction {
                Direction::Broadens => RED,
                Direction::Changes => YELLOW,
                Direction::Narrows => GREEN,
            };
            let _ = writeln!(
                out,
                "  {} {} ({}): {}",
                p.on(colour, &format!("[{}]", direction_word(s.direction))),
                esc(&s.logical_id),
                esc(&s.resource_type),
                esc(&s.description)
            );
        }
    }
    if !diff.sections.is_empty() {
        out.push_str("\nOther changes\n");
        for s in &diff.sections {
            let name = match &s.key {
                Some(k) => format!("{}.{}", esc(&s.section), esc(k)),
                None => esc(&s.section).into_owned(),
            };
            let _ = writeln!(out, "  {} {name}", kind_word(s.kind));
            match s.kind {
                ChangeKind::Modified if !s.changes.is_empty() => {
                    for c in &s.changes {
                        property(&mut out, &p, c, "    ");
                    }
                }
                ChangeKind::Added | ChangeKind::Removed | ChangeKind::Modified => {
                    let v = s.new.as_ref().or(s.old.as_ref());
                    if s.changes.is_empty() && s.key.is_none() {
                        let _ = writeln!(out, "    {}", clip(&esc(&cell(v)), 200));
                    }
                }
                _ => {}
            }
            for n in &s.notes {
                let _ = writeln!(out, "    {} {}", p.on(YELLOW, "note:"), esc(n));
            }
        }
    }
    out
}

fn resource(out: &mut String, p: &Paint, r: &ResourceChange) {
    let (mark, colour) = marker(r);
    let _ = writeln!(
        out,
        "{} {} {} {}",
        p.on(colour, mark),
        esc(&name_of(r)),
        p.on(DIM, &esc(&type_of(r))),
        p.on(colour, &esc(&verdict(r)))
    );
    if let Some(o) = &r.orphans {
        let _ = writeln!(
            out,
            "    {} {} {}: {}",
            p.on(BOLD_RED, "orphaned:"),
            esc(&o.attribute),
            esc(&o.policy),
            esc(&o.consequence)
        );
    }
    for n in &r.physical_names {
        let _ = writeln!(
            out,
            "    {} {}: {} → {}",
            p.on(RED, "physical name changes:"),
            esc(&n.property),
            esc(&cell(n.old.as_ref())),
            esc(&cell(n.new.as_ref()))
        );
    }
    for c in &r.properties {
        property(out, p, c, "    ");
    }
    for a in &r.attributes {
        let _ = writeln!(
            out,
            "    ~ {}: {} → {} ({})",
            esc(&a.attribute),
            clip(&esc(&cell(a.old.as_ref())), 80),
            clip(&esc(&cell(a.new.as_ref())), 80),
            esc(&a.meaning)
        );
    }
    for n in &r.notes {
        let _ = writeln!(out, "    {} {}", p.on(YELLOW, "note:"), esc(n));
    }
}

fn property(out: &mut String, p: &Paint, c: &PropertyChange, indent: &str) {
    let sign = match (&c.old, &c.new) {
        (None, Some(_)) => "+",
        (Some(_), None) => "-",
        _ => "~",
    };
    let effect = if c.reason.is_empty() {
        String::new()
    } else {
        format!(
            " {}",
            p.on(impact_colour(c.impact), &format!("[{}: {}]", super::impact_word(c.impact), esc(&c.reason)))
        )
    };
    let path = esc(&c.path);
    if c.caused_by.is_some() {
        let _ = writeln!(out, "{indent}{sign} {path}{effect}");
        return;
    }
    let detailed = c.line_diff.is_some() || c.statements.as_ref().is_some_and(|s| !s.is_empty());
    if detailed {
        let _ = writeln!(out, "{indent}{sign} {path}{effect}");
    } else {
        let shown = |v: Option<&serde_json::Value>, max| clip(&esc(&cell(v)), max);
        let values = match (&c.old, &c.new) {
            (None, Some(v)) | (Some(v), None) => shown(Some(v), 120),
            (a, b) => format!("{} → {}", shown(a.as_ref(), 60), shown(b.as_ref(), 60)),
        };
        let path = if c.path.is_empty() { String::new() } else { format!("{path}: ") };
        let _ = writeln!(out, "{indent}{sign} {path}{values}{effect}");
    }
    if let Some(d) = &c.line_diff {
        // Split on line feeds only: a carriage return or separator inside
        // a line is shown escaped, not taken as a line of its own.
        let d = lines(d);
        for line in d.split('\n').filter(|l| !l.is_empty() && !l.starts_with("---") && !l.starts_with("+++"))
        {
            let colour = if line.starts_with('+') {
                GREEN
            } else if line.starts_with('-') {
                RED
            } else {
                DIM
            };
            let _ = writeln!(out, "{indent}    {}", p.on(colour, line));
        }
    }
    if let Some(s) = &c.statements {
        statements(out, p, s, &format!("{indent}    "));
    }
}

fn statements(out: &mut String, p: &Paint, s: &StatementChanges, indent: &str) {
    for (sign, colour, list) in [("-", RED, &s.removed), ("+", GREEN, &s.added)] {
        for st in list {
            let mut parts = match &st.expression {
                Some(e) => vec![format!("given by {}", esc(e))],
                None => vec![esc(&st.effect).into_owned()],
            };
            if let Some(sid) = &st.sid {
                parts.push(format!("Sid {}", esc(sid)));
            }
            for (what, v) in [
                ("principal", &st.principals),
                ("not principal", &st.not_principals),
                ("action", &st.actions),
                ("not action", &st.not_actions),
                ("resource", &st.resources),
                ("not resource", &st.not_resources),
                ("condition", &st.conditions),
            ] {
                if !v.is_empty() {
                    parts.push(format!("{what} {}", esc(&v.join(", "))));
                }
            }
            let _ = writeln!(out, "{indent}{}", p.on(colour, &format!("{sign} {}", parts.join("; "))));
        }
    }
}
