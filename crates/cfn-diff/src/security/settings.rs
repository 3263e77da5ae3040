//! Changes of the settings [`known`](super::known) describes, judged with
//! their units and what leaving them out means.

use super::known::{of_type, source_url, Absent, Known, Rule, Unit};
use super::Sink;
use crate::canon::Canon;
use crate::compare::{is_intrinsic, item_label};
use crate::model::{Direction, SecurityCategory};
use crate::show::compact;
use serde_json::{Map, Value};

/// What a path reaches in one template.
#[derive(Clone, Copy)]
enum Read<'v> {
    /// A value.
    Value(&'v Value),
    /// An intrinsic function on the way (`!If` beyond the conditions read,
    /// `!FindInMap`): the value is known only at deploy time.
    Opaque(&'v Value),
}

/// The values a path reaches, each named by its display path
/// (`LifecycleConfiguration.Rules[Id=expire].ExpirationInDays`).
fn reach<'v>(props: &'v Map<String, Value>, path: &str) -> Vec<(String, Read<'v>)> {
    let mut out = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    let Some((first, rest)) = segs.split_first() else { return out };
    if let Some(v) = props.get(*first) {
        walk(v, rest, first.to_string(), &mut out);
    }
    out
}

fn walk<'v>(v: &'v Value, segs: &[&str], shown: String, out: &mut Vec<(String, Read<'v>)>) {
    if let Value::Object(m) = v {
        if is_intrinsic(m) && !segs.is_empty() {
            return out.push((shown, Read::Opaque(v)));
        }
    }
    let Some((first, rest)) = segs.split_first() else { return out.push((shown, Read::Value(v))) };
    match (v, *first) {
        (Value::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                let label = item_label(item).filter(|_| item.is_object()).unwrap_or_else(|| i.to_string());
                walk(item, rest, format!("{shown}[{label}]"), out);
            }
        }
        (Value::Object(m), key) => {
            if let Some(x) = m.get(key) {
                walk(x, rest, format!("{shown}.{key}"), out);
            }
        }
        _ => {}
    }
}

/// The changes of a resource's known settings.
pub(crate) fn changes(sink: &mut Sink, old: &Map<String, Value>, new: &Map<String, Value>, canon: &Canon) {
    let known: Vec<&Known> = of_type(sink.type_name).collect();
    // A block missing on one side is one finding; what is inside it is not judged.
    let missing_blocks: Vec<&str> = known
        .iter()
        .filter(|k| matches!(k.rule, Rule::Block { .. }))
        .filter(|k| reach(old, k.path).is_empty() || reach(new, k.path).is_empty())
        .map(|k| k.path)
        .collect();
    for k in known {
        let inside =
            |b: &&str| k.path.len() > b.len() && k.path.starts_with(b) && k.path[b.len()..].starts_with('/');
        if missing_blocks.iter().any(inside) {
            continue;
        }
        let (a, b) = (reach(old, k.path), reach(new, k.path));
        let mut labels: Vec<&String> = b.iter().map(|(l, _)| l).collect();
        labels.extend(a.iter().map(|(l, _)| l).filter(|l| !b.iter().any(|(x, _)| x == *l)));
        for label in labels {
            let (x, y) = (find(&a, label), find(&b, label));
            setting(sink, k, label, x, y, canon);
        }
    }
}

fn find<'v>(side: &[(String, Read<'v>)], label: &str) -> Option<Read<'v>> {
    side.iter().find(|(l, _)| l == label).map(|(_, r)| *r)
}

fn value<'v>(r: Option<Read<'v>>) -> Option<&'v Value> {
    match r {
        Some(Read::Value(v)) | Some(Read::Opaque(v)) => Some(v),
        None => None,
    }
}

fn setting(sink: &mut Sink, k: &Known, shown: &str, old: Option<Read>, new: Option<Read>, canon: &Canon) {
    let (a, b) = (value(old), value(new));
    // A block on both sides is judged by the settings inside it.
    let block_kept = matches!(k.rule, Rule::Block { .. }) && a.is_some() && b.is_some();
    if block_kept || a.map(|v| canon.free(v)) == b.map(|v| canon.free(v)) || same_in_effect(&k.rule, a, b) {
        return;
    }
    let opaque = matches!(old, Some(Read::Opaque(_))) || matches!(new, Some(Read::Opaque(_)));
    let verdict = if opaque { None } else { judge(&k.rule, a, b) };
    let (direction, headline) = match verdict {
        Some(d) => (d, headline(k, d)),
        None => (Direction::Changes, format!("{} changed", noun(k))),
    };
    let description = match (&k.rule, b) {
        (Rule::Block { absent }, None) => format!("{shown} removed: {absent}"),
        (Rule::Block { .. }, Some(_)) => format!("{shown} added: {}", k.meaning),
        _ => format!(
            "{headline}: {shown} {} → {} — {}",
            shown_value(&k.rule, a),
            shown_value(&k.rule, b),
            k.meaning
        ),
    };
    let mut change = sink.change(k.category, direction, Some(shown.to_string()), description);
    change.meaning = Some(k.meaning.to_string());
    change.source = Some(source_url(k));
    sink.out.push(change);
}

/// Whether two values mean the same once what leaving one out means is
/// taken into account (`AES256` and no algorithm, `false` and no switch).
fn same_in_effect(rule: &Rule, old: Option<&Value>, new: Option<&Value>) -> bool {
    match rule {
        Rule::Switch { absent, .. } => {
            let read = |v: Option<&Value>| v.map_or(*absent, boolean);
            read(old).is_some() && read(old) == read(new)
        }
        Rule::Level { absent, .. } => {
            matches!((level(old, *absent), level(new, *absent)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y))
        }
        Rule::Duration { unit, absent, .. } => {
            let (x, y) = (length(*unit, *absent, old), length(*unit, *absent, new));
            x.is_some() && x == y
        }
        Rule::Key { .. } | Rule::Block { .. } => false,
    }
}

/// A named value, or what leaving it out means.
fn level<'v>(v: Option<&'v Value>, absent: Option<&'static str>) -> Option<&'v str> {
    match v {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => None,
        None => absent,
    }
}

/// Which way a change goes; `None` when the values cannot be read
/// (intrinsics) or the rule does not tell.
fn judge(rule: &Rule, old: Option<&Value>, new: Option<&Value>) -> Option<Direction> {
    let by = |weaker: bool, stronger: bool| {
        Some(if weaker {
            Direction::Broadens
        } else if stronger {
            Direction::Narrows
        } else {
            Direction::Changes
        })
    };
    match rule {
        Rule::Switch { protects, absent } => {
            let read = |v: Option<&Value>| match v {
                None => *absent,
                Some(v) => boolean(v),
            };
            let (x, y) = (read(old)?, read(new)?);
            by(x == *protects && y != *protects, x != *protects && y == *protects)
        }
        Rule::Key { .. } => match (old, new) {
            (Some(_), None) => Some(Direction::Broadens),
            (None, Some(_)) => Some(Direction::Narrows),
            _ => Some(Direction::Changes),
        },
        Rule::Level { ranks, absent } => {
            let rank = |v: Option<&Value>| -> Option<u8> {
                let s = level(v, *absent)?;
                ranks.iter().find(|(name, _)| name.eq_ignore_ascii_case(s)).map(|(_, r)| *r)
            };
            let (x, y) = (rank(old)?, rank(new)?);
            by(y < x, y > x)
        }
        Rule::Duration { unit, absent, .. } => {
            let (x, y) = (length(*unit, *absent, old)?, length(*unit, *absent, new)?);
            by(y < x, y > x)
        }
        Rule::Block { .. } => match (old, new) {
            (Some(_), None) => Some(Direction::Broadens),
            (None, Some(_)) => Some(Direction::Narrows),
            _ => None,
        },
    }
}

/// A duration in seconds, infinite for ever.
fn length(unit: Unit, absent: Absent, v: Option<&Value>) -> Option<f64> {
    const DAY: f64 = 86_400.0;
    let scale = match unit {
        Unit::Seconds => 1.0,
        Unit::Hours => 3_600.0,
        Unit::Days | Unit::DaysOrYears => DAY,
    };
    let Some(v) = v else {
        return Some(match absent {
            Absent::Forever => f64::INFINITY,
            Absent::Default(n) => n as f64 * scale,
            Absent::Nothing => 0.0,
        });
    };
    match (unit, v) {
        (Unit::DaysOrYears, Value::Object(m)) => match (m.get("Days"), m.get("Years")) {
            (Some(d), None) => number(d).map(|d| d * DAY),
            (None, Some(y)) => number(y).map(|y| y * 365.0 * DAY),
            _ => None,
        },
        (Unit::DaysOrYears, _) => None,
        (_, v) => number(v).map(|n| n * scale),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A value as a reviewer reads it: with its unit, and what "not set" means.
fn shown_value(rule: &Rule, v: Option<&Value>) -> String {
    let Some(v) = v else {
        return match rule {
            Rule::Switch { absent: Some(b), .. } => format!("not set ({b})"),
            Rule::Key { absent } => format!("not set ({absent})"),
            Rule::Level { absent: Some(a), .. } => format!("not set ({a})"),
            Rule::Duration { absent: Absent::Forever, .. } => "not set (for ever)".into(),
            Rule::Duration { absent: Absent::Nothing, .. } => "not set (none)".into(),
            Rule::Duration { unit, absent: Absent::Default(n), .. } => {
                format!("not set ({})", with_unit(*unit, *n as f64))
            }
            _ => "not set".into(),
        };
    };
    match rule {
        Rule::Duration { unit: Unit::DaysOrYears, .. } => match v.as_object() {
            Some(m) if !is_intrinsic(m) => {
                match (m.get("Days").and_then(number), m.get("Years").and_then(number)) {
                    (Some(d), None) => plural(d, "day"),
                    (None, Some(y)) => plural(y, "year"),
                    _ => compact(v),
                }
            }
            _ => compact(v),
        },
        Rule::Duration { unit, zero, .. } => match number(v) {
            Some(n) if n == 0.0 && zero.is_some() => format!("0 ({})", zero.unwrap_or_default()),
            Some(n) => with_unit(*unit, n),
            None => compact(v),
        },
        _ => compact(v),
    }
}

fn with_unit(unit: Unit, n: f64) -> String {
    match unit {
        Unit::Seconds => plural(n, "second"),
        Unit::Hours => plural(n, "hour"),
        Unit::Days | Unit::DaysOrYears => plural(n, "day"),
    }
}

fn plural(n: f64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1.0 { "" } else { "s" })
}

fn noun(k: &Known) -> &'static str {
    match k.category {
        SecurityCategory::Encryption => "encryption",
        SecurityCategory::PublicAccess => "public access",
        SecurityCategory::Retention => "retention",
        SecurityCategory::Logging => "logging",
        _ => "protection",
    }
}

fn headline(k: &Known, d: Direction) -> String {
    let (weaker, stronger) = match (&k.rule, k.category) {
        (Rule::Key { .. }, _) => ("encryption key removed", "encryption key set"),
        (_, SecurityCategory::Encryption) => ("encryption weakened", "encryption strengthened"),
        (_, SecurityCategory::PublicAccess) => ("public access widened", "public access narrowed"),
        (_, SecurityCategory::Retention) => ("retention shortened", "retention lengthened"),
        (_, SecurityCategory::Logging) => ("logging reduced", "logging increased"),
        _ => ("protection weakened", "protection strengthened"),
    };
    match (d, &k.rule) {
        (Direction::Broadens, _) => weaker.into(),
        (Direction::Narrows, _) => stronger.into(),
        (Direction::Changes, Rule::Key { .. }) => "encryption key swapped".into(),
        (Direction::Changes, _) => format!("{} changed", noun(k)),
    }
}
