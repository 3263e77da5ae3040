//! Security group rules: what traffic may reach or leave what a group is
//! attached to.
//!
//! A group's inline `SecurityGroupIngress`/`SecurityGroupEgress` rules and
//! the `AWS::EC2::SecurityGroupIngress`/`Egress` resources that name it
//! (`GroupId: !Ref Group`, `!GetAtt Group.GroupId`) are read alike, as one
//! set of rules per group, so a rule moved from one form to the other is
//! no change. Each rule is a protocol, a port range and a peer (a CIDR, a
//! prefix list, or a group); a rule added that one already there covers
//! (a port inside its range, a CIDR inside its block) grants nothing new.
//!
//! EC2 gives a group created without egress rules one that lets all
//! traffic out to anywhere (IPv4 and IPv6), and takes it away once egress
//! rules are given (the template reference of `AWS::EC2::SecurityGroup`):
//! that rule is counted, so limiting egress narrows and removing the last
//! egress rule broadens. Egress is judged only for groups in both
//! templates: a new group's outbound rules give no more than the default.

use super::branches::{conditions_in, merge, Worlds};
use crate::canon::Canon;
use crate::model::{Direction, Flow, NetworkRule, SecurityCategory, SecurityChange};
use crate::show::compact;
use crate::template::{Resource, Template};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

const GROUP: &str = "AWS::EC2::SecurityGroup";
const INGRESS: &str = "AWS::EC2::SecurityGroupIngress";
const EGRESS: &str = "AWS::EC2::SecurityGroupEgress";

/// Well-known services by port, named when a rule opens them, those an
/// attacker reaches for first (remote shells and desktops) first.
const NAMED_PORTS: [(i64, &str); 17] = [
    (22, "SSH"),
    (3389, "RDP"),
    (23, "Telnet"),
    (5900, "VNC"),
    (5985, "WinRM"),
    (5986, "WinRM over TLS"),
    (2375, "Docker API"),
    (445, "SMB"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (27017, "MongoDB"),
    (21, "FTP"),
    (20, "FTP data"),
];

/// Where rules of a group are written in one template.
struct Source<'t> {
    /// The resource holding them (its new logical ID).
    owner: String,
    resource: &'t Resource,
    /// The inline list (of a group), or the rule resource's properties.
    kind: SourceKind<'t>,
}

enum SourceKind<'t> {
    Inline { flow: Flow, rules: &'t Value },
    Standalone { flow: Flow, rule: &'t Map<String, Value> },
}

/// The security group changes between two templates.
pub(crate) fn findings(
    old: &Template,
    new: &Template,
    renames: &HashMap<String, String>,
) -> Vec<SecurityChange> {
    let canon = Canon::plain(Some(renames));
    let (old_sources, new_sources) = (sources(old, Some(renames), &canon), sources(new, None, &canon));
    let mut keys: Vec<&String> = new_sources.keys().collect();
    keys.extend(old_sources.keys().filter(|k| !new_sources.contains_key(*k)));
    let group_in = |t: &Template, key: &str, renames: Option<&HashMap<String, String>>| {
        t.resources.iter().any(|(id, r)| r.type_name == GROUP && renamed(id, renames) == key)
    };
    let mut out = Vec::new();
    for key in keys {
        let (a, b) = (old_sources.get(key).map(Vec::as_slice), new_sources.get(key).map(Vec::as_slice));
        let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
        let (in_old, in_new) = (group_in(old, key, Some(renames)), group_in(new, key, None));
        // A group of the template on one side only: its egress is not judged.
        let egress = in_old == in_new;
        let mut names = Vec::new();
        for s in a.iter().chain(b) {
            match &s.kind {
                SourceKind::Inline { rules, .. } => conditions_in(rules, &mut names),
                SourceKind::Standalone { rule, .. } => {
                    rule.values().for_each(|v| conditions_in(v, &mut names))
                }
            }
            if let Some(c) = s.resource.condition.as_ref().and_then(Value::as_str) {
                if !names.iter().any(|n| n == c) {
                    names.push(c.to_string());
                }
            }
        }
        let worlds = Worlds::new(names);
        let mut found = Vec::new();
        for world in 0..worlds.len() {
            let read = |t: &Template, sources: &[Source], is_group: bool| {
                let mut rules = rules(t, key, sources, &worlds, world, &canon);
                if is_group && !rules.iter().any(|r| r.rule.flow == Flow::Egress && !r.rule.implicit) {
                    rules.extend(default_egress(key));
                }
                rules.retain(|r| egress || r.rule.flow == Flow::Ingress);
                rules
            };
            let (x, y) = (read(old, a, in_old), read(new, b, in_new));
            found.extend(compare(x, y).into_iter().map(|c| (world, c)));
        }
        out.extend(merge(&worlds, found));
    }
    out
}

fn renamed(id: &str, renames: Option<&HashMap<String, String>>) -> String {
    renames.and_then(|r| r.get(id)).cloned().unwrap_or_else(|| id.to_string())
}

/// The rule sources of a template by group; `renames` (old to new) for
/// the old template, so both sides name a group alike.
fn sources<'t>(
    t: &'t Template,
    renames: Option<&HashMap<String, String>>,
    canon: &Canon,
) -> IndexMap<String, Vec<Source<'t>>> {
    let mut out: IndexMap<String, Vec<Source>> = IndexMap::new();
    for (id, r) in &t.resources {
        let owner = renamed(id, renames);
        match r.type_name.as_str() {
            GROUP => {
                for (prop, flow) in
                    [("SecurityGroupIngress", Flow::Ingress), ("SecurityGroupEgress", Flow::Egress)]
                {
                    if let Some(rules) = r.properties.get(prop) {
                        let kind = SourceKind::Inline { flow, rules };
                        out.entry(owner.clone()).or_default().push(Source {
                            owner: owner.clone(),
                            resource: r,
                            kind,
                        });
                    }
                }
                out.entry(owner.clone()).or_default();
            }
            INGRESS | EGRESS => {
                let flow = if r.type_name == INGRESS { Flow::Ingress } else { Flow::Egress };
                let key = group_key(&r.properties, renames, canon);
                let kind = SourceKind::Standalone { flow, rule: &r.properties };
                out.entry(key).or_default().push(Source { owner, resource: r, kind });
            }
            _ => {}
        }
    }
    out
}

/// The group a rule resource belongs to: the logical ID its `GroupId`
/// (or `GroupName`) refers to, else the value as written.
fn group_key(props: &Map<String, Value>, renames: Option<&HashMap<String, String>>, canon: &Canon) -> String {
    let v = props.get("GroupId").or_else(|| props.get("GroupName"));
    let target = v.and_then(Value::as_object).and_then(|m| match (m.get("Ref"), m.get("Fn::GetAtt")) {
        (Some(Value::String(id)), _) => Some(id.as_str()),
        (_, Some(Value::Array(a))) if a.get(1).and_then(Value::as_str) == Some("GroupId") => a[0].as_str(),
        (_, Some(Value::String(s))) => s.strip_suffix(".GroupId"),
        _ => None,
    });
    match (target, v) {
        (Some(id), _) => renamed(id, renames),
        (None, Some(v)) => compact(&canon.free(v)),
        (None, None) => "(no group)".into(),
    }
}

/// A rule where it is written.
#[derive(Debug, Clone)]
struct Placed {
    owner: String,
    owner_type: String,
    path: Option<String>,
    rule: Rule,
}

/// A rule read for comparison.
#[derive(Debug, Clone)]
struct Rule {
    flow: Flow,
    protocol: Protocol,
    ports: Ports,
    peer: Peer,
    /// The parameter's default when the peer is a parameter.
    peer_default: Option<String>,
    implicit: bool,
    shown: NetworkRule,
    /// What identifies it: flow, protocol, ports and peer.
    key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Protocol {
    All,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ports {
    All,
    Range(i64, i64),
    /// ICMP type and code, -1 for any.
    Icmp(i64, i64),
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Peer {
    V4(u32, u8),
    V6(u128, u8),
    Other(String),
}

impl Rule {
    fn world(&self) -> bool {
        self.shown.open_to_world
    }

    /// Whether this rule lets through everything `other` does.
    fn covers(&self, other: &Rule) -> bool {
        if self.flow != other.flow {
            return false;
        }
        let protocol = self.protocol == Protocol::All || self.protocol == other.protocol;
        let ports = match (&self.ports, &other.ports) {
            (Ports::All, _) => true,
            (Ports::Range(a, b), Ports::Range(c, d)) => a <= c && d <= b,
            (Ports::Icmp(t, c), Ports::Icmp(t2, c2)) => (*t == -1 || t == t2) && (*c == -1 || c == c2),
            (x, y) => x == y,
        };
        let peer = match (&self.peer, &other.peer) {
            (Peer::V4(n, l), Peer::V4(m, k)) => l <= k && mask4(*m, *l) == *n,
            (Peer::V6(n, l), Peer::V6(m, k)) => l <= k && mask6(*m, *l) == *n,
            (x, y) => x == y,
        };
        protocol && ports && peer
    }

    /// The rule in words: `SSH (tcp 22) from 0.0.0.0/0`.
    fn text(&self) -> String {
        let side = if self.flow == Flow::Ingress { "from" } else { "to" };
        let default = self.peer_default.as_ref().map(|d| format!(" (defaults to {d})")).unwrap_or_default();
        let implicit =
            if self.implicit { " (the rule EC2 adds to a group given no egress rules)" } else { "" };
        format!("{} {side} {}{default}{implicit}", self.traffic(), self.shown.peer)
    }

    /// What traffic: `all traffic`, `SSH (tcp 22)`, `tcp 0-1024 (includes SSH 22, ...)`.
    fn traffic(&self) -> String {
        let name = match &self.protocol {
            Protocol::All => return "all traffic (every protocol and port)".into(),
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp | Protocol::Icmpv6 | Protocol::Other(_) => {
                return format!("{} {}", self.shown.protocol, self.shown.ports).trim_end().to_string()
            }
        };
        match self.ports {
            Ports::All => format!("all {name} ports ({name} 0-65535)"),
            Ports::Range(a, b) if a == b => match NAMED_PORTS.iter().find(|(p, _)| *p == a) {
                Some((_, service)) if name == "tcp" => format!("{service} ({name} {a})"),
                _ => format!("{name} {a}"),
            },
            Ports::Range(a, b) => {
                let inside: Vec<String> = NAMED_PORTS
                    .iter()
                    .filter(|(p, _)| name == "tcp" && a <= *p && *p <= b)
                    .map(|(p, s)| format!("{s} {p}"))
                    .collect();
                match inside.len() {
                    0 => format!("{name} {a}-{b}"),
                    1..=3 => format!("{name} {a}-{b} (includes {})", inside.join(", ")),
                    n => format!("{name} {a}-{b} (includes {} and {} more)", inside[..3].join(", "), n - 3),
                }
            }
            _ => format!("{name} {}", self.shown.ports),
        }
    }
}

fn mask4(addr: u32, len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        addr & (u32::MAX << (32 - u32::from(len.min(32))))
    }
}

fn mask6(addr: u128, len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        addr & (u128::MAX << (128 - u32::from(len.min(128))))
    }
}

/// The rules of one group in one world.
fn rules(
    t: &Template,
    group: &str,
    sources: &[Source],
    worlds: &Worlds,
    world: usize,
    canon: &Canon,
) -> Vec<Placed> {
    let mut out = Vec::new();
    for s in sources {
        if !worlds.includes(world, s.resource.condition.as_ref().and_then(Value::as_str)) {
            continue;
        }
        let place = |path: Option<String>, rule: Rule| Placed {
            owner: s.owner.clone(),
            owner_type: s.resource.type_name.clone(),
            path,
            rule,
        };
        match &s.kind {
            SourceKind::Inline { flow, rules } => {
                let prop =
                    if *flow == Flow::Ingress { "SecurityGroupIngress" } else { "SecurityGroupEgress" };
                let Some(resolved) = worlds.resolve(world, rules) else { continue };
                let items: Vec<&Value> = match resolved.as_ref() {
                    Value::Array(a) => a.iter().collect(),
                    other => vec![other],
                };
                for item in items {
                    let m = match item {
                        Value::Object(m) => Cow::Borrowed(m),
                        other => {
                            // An intrinsic in place of a rule: known only at deploy time.
                            let mut m = Map::new();
                            m.insert("IpProtocol".into(), other.clone());
                            Cow::Owned(m)
                        }
                    };
                    out.push(place(Some(prop.to_string()), read_rule(t, group, *flow, &m, canon)));
                }
            }
            SourceKind::Standalone { flow, rule } => {
                let m = worlds.properties(world, rule);
                out.push(place(None, read_rule(t, group, *flow, &m, canon)));
            }
        }
    }
    out
}

/// The rule EC2 adds to a group given no egress rules.
fn default_egress(group: &str) -> Vec<Placed> {
    ["0.0.0.0/0", "::/0"]
        .into_iter()
        .map(|cidr| {
            let peer = parse_cidr(cidr).unwrap_or(Peer::Other(cidr.into()));
            // Spelled as `read_rule` spells a rule's key, so a written rule can match it.
            let key = format!("{:?} {:?} {:?} {peer:?}", Flow::Egress, Protocol::All, Ports::All);
            Placed {
                owner: group.to_string(),
                owner_type: GROUP.into(),
                path: Some("SecurityGroupEgress".into()),
                rule: Rule {
                    flow: Flow::Egress,
                    protocol: Protocol::All,
                    ports: Ports::All,
                    peer,
                    peer_default: None,
                    implicit: true,
                    key,
                    shown: NetworkRule {
                        group: group.to_string(),
                        flow: Flow::Egress,
                        protocol: "all".into(),
                        ports: "all".into(),
                        peer: cidr.into(),
                        open_to_world: true,
                        implicit: true,
                    },
                },
            }
        })
        .collect()
}

fn parse_cidr(s: &str) -> Option<Peer> {
    let (addr, len) = s.trim().split_once('/')?;
    let len: u8 = len.parse().ok()?;
    if let Ok(a) = addr.parse::<Ipv4Addr>() {
        return (len <= 32).then(|| Peer::V4(mask4(u32::from(a), len), len));
    }
    let a = addr.parse::<Ipv6Addr>().ok()?;
    (len <= 128).then(|| Peer::V6(mask6(u128::from(a), len), len))
}

fn is_world(s: &str) -> bool {
    matches!(parse_cidr(s), Some(Peer::V4(_, 0)) | Some(Peer::V6(_, 0)))
}

/// Reads one rule: inline item or rule resource alike.
fn read_rule(t: &Template, group: &str, flow: Flow, m: &Map<String, Value>, canon: &Canon) -> Rule {
    let text = |v: &Value| match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        other => compact(&canon.free(other)),
    };
    let protocol_text = m.get("IpProtocol").map(text).unwrap_or_else(|| "-1".into());
    let protocol = match protocol_text.to_ascii_lowercase().as_str() {
        "-1" | "all" => Protocol::All,
        "tcp" | "6" => Protocol::Tcp,
        "udp" | "17" => Protocol::Udp,
        "icmp" | "1" => Protocol::Icmp,
        "icmpv6" | "58" => Protocol::Icmpv6,
        other => Protocol::Other(other.to_string()),
    };
    let port = |k: &str| -> Result<Option<i64>, String> {
        match m.get(k) {
            None => Ok(None),
            Some(v) => text(v).parse::<i64>().map(Some).map_err(|_| text(v)),
        }
    };
    let ports = match (&protocol, port("FromPort"), port("ToPort")) {
        (Protocol::All | Protocol::Other(_), _, _) => Ports::All,
        (Protocol::Icmp | Protocol::Icmpv6, Ok(a), Ok(b)) => Ports::Icmp(a.unwrap_or(-1), b.unwrap_or(-1)),
        (_, Ok(None | Some(-1)), Ok(None | Some(-1))) => Ports::All,
        (_, Ok(Some(a)), Ok(Some(b))) if a <= 0 && b >= 65_535 => Ports::All,
        (_, Ok(Some(a)), Ok(b)) => Ports::Range(a, b.unwrap_or(a)),
        (_, Ok(None), Ok(Some(b))) => Ports::Range(b, b),
        (_, a, b) => {
            let show = |p: Result<Option<i64>, String>| match p {
                Ok(Some(p)) => p.to_string(),
                Ok(None) => "?".to_string(),
                Err(text) => text,
            };
            Ports::Unknown(format!("{}-{}", show(a), show(b)))
        }
    };
    let peer_keys: &[&str] = match flow {
        Flow::Ingress => {
            &["CidrIp", "CidrIpv6", "SourcePrefixListId", "SourceSecurityGroupId", "SourceSecurityGroupName"]
        }
        Flow::Egress => &["CidrIp", "CidrIpv6", "DestinationPrefixListId", "DestinationSecurityGroupId"],
    };
    let found = peer_keys.iter().find_map(|k| m.get(*k).map(|v| (*k, v)));
    let (peer, peer_shown, peer_default) = match found {
        Some((k, Value::String(s))) if k.starts_with("Cidr") => match parse_cidr(s) {
            Some(p) => (p, s.trim().to_string(), None),
            None => (Peer::Other(s.clone()), s.clone(), None),
        },
        Some((k, v)) => {
            let shown = text(v);
            let kind = match k {
                "SourcePrefixListId" | "DestinationPrefixListId" => "prefix list ",
                "SourceSecurityGroupId" | "SourceSecurityGroupName" | "DestinationSecurityGroupId" => {
                    "security group "
                }
                _ => "",
            };
            let owner = m.get("SourceSecurityGroupOwnerId").map(|o| format!(" of account {}", text(o)));
            let default = parameter_default(t, v).filter(|d| k.starts_with("Cidr") && is_world(d));
            let shown = format!("{kind}{shown}{}", owner.unwrap_or_default());
            (Peer::Other(format!("{k} {}", canon.free(v))), shown, default)
        }
        None => (Peer::Other("none".into()), "no peer".into(), None),
    };
    let open_to_world = matches!(peer, Peer::V4(_, 0) | Peer::V6(_, 0)) || peer_default.is_some();
    let ports_shown = match &ports {
        Ports::All => "all".to_string(),
        Ports::Range(a, b) if a == b => a.to_string(),
        Ports::Range(a, b) => format!("{a}-{b}"),
        Ports::Icmp(t, c) => format!("type {t} code {c}"),
        Ports::Unknown(s) => s.clone(),
    };
    let protocol_shown = match &protocol {
        Protocol::All => "all".to_string(),
        Protocol::Tcp => "tcp".into(),
        Protocol::Udp => "udp".into(),
        Protocol::Icmp => "icmp".into(),
        Protocol::Icmpv6 => "icmpv6".into(),
        Protocol::Other(s) => s.clone(),
    };
    Rule {
        flow,
        key: format!("{flow:?} {protocol:?} {ports:?} {peer:?}"),
        shown: NetworkRule {
            group: group.to_string(),
            flow,
            protocol: protocol_shown,
            ports: ports_shown,
            peer: peer_shown,
            open_to_world,
            implicit: false,
        },
        protocol,
        ports,
        peer,
        peer_default,
        implicit: false,
    }
}

/// The default of a parameter a value refers to (`!Ref SSHLocation`).
fn parameter_default(t: &Template, v: &Value) -> Option<String> {
    let name = v.as_object()?.get("Ref")?.as_str()?;
    let default = t.sections.get("Parameters")?.get(name)?.get("Default")?;
    default.as_str().map(str::to_string)
}

/// The changes between a group's rules in two templates (one world).
fn compare(old: Vec<Placed>, new: Vec<Placed>) -> Vec<SecurityChange> {
    let mut removed: Vec<Placed> = Vec::new();
    let mut kept_new: Vec<bool> = vec![false; new.len()];
    for o in &old {
        match (0..new.len()).find(|&j| !kept_new[j] && new[j].rule.key == o.rule.key) {
            Some(j) => kept_new[j] = true,
            None => removed.push(o.clone()),
        }
    }
    let added: Vec<&Placed> = new.iter().enumerate().filter(|(j, _)| !kept_new[*j]).map(|(_, p)| p).collect();
    let covered_by = |r: &Rule, set: &[Placed]| set.iter().find(|p| p.rule.covers(r)).map(|p| p.rule.text());
    // Pair an added rule with a removed one of the same flow and peer, or
    // else the same protocol and ports: one rule edited.
    let mut pairs: Vec<(Placed, &Placed)> = Vec::new();
    let mut unpaired: Vec<&Placed> = Vec::new();
    for a in added {
        let same =
            |p: &Placed, f: &dyn Fn(&Rule, &Rule) -> bool| p.rule.flow == a.rule.flow && f(&p.rule, &a.rule);
        let i = removed.iter().position(|p| same(p, &|x, y| x.peer == y.peer)).or_else(|| {
            removed.iter().position(|p| same(p, &|x, y| x.protocol == y.protocol && x.ports == y.ports))
        });
        match i {
            Some(i) => pairs.push((removed.remove(i), a)),
            None => unpaired.push(a),
        }
    }
    let mut out = Vec::new();
    for a in unpaired {
        let flow = flow_word(a.rule.flow);
        let (direction, text) = match covered_by(&a.rule, &old) {
            Some(by) => {
                (Direction::Changes, format!("{flow} rule added: {}; already allowed by {by}", a.rule.text()))
            }
            None if a.rule.flow == Flow::Ingress && a.rule.world() => {
                (Direction::Broadens, format!("ingress opened to the world: {}", a.rule.text()))
            }
            None => (Direction::Broadens, format!("{flow} rule added: {}", a.rule.text())),
        };
        out.push(change(a, direction, text));
    }
    for r in &removed {
        let flow = flow_word(r.rule.flow);
        let (direction, text) = match covered_by(&r.rule, &new) {
            Some(by) => {
                (Direction::Changes, format!("{flow} rule removed: {}; still allowed by {by}", r.rule.text()))
            }
            None => (Direction::Narrows, format!("{flow} rule removed: {}", r.rule.text())),
        };
        out.push(change(r, direction, text));
    }
    for (r, a) in pairs {
        let flow = flow_word(a.rule.flow);
        let broadens = covered_by(&a.rule, &old).is_none();
        let direction = if broadens {
            Direction::Broadens
        } else if covered_by(&r.rule, &new).is_none() {
            Direction::Narrows
        } else {
            Direction::Changes
        };
        let text = if broadens && a.rule.flow == Flow::Ingress && a.rule.world() && !r.rule.world() {
            format!("ingress opened to the world: {} (was {})", a.rule.text(), r.rule.text())
        } else {
            format!("{flow} rule changed: {} → {}", r.rule.text(), a.rule.text())
        };
        out.push(change(a, direction, text));
    }
    out
}

fn flow_word(f: Flow) -> &'static str {
    match f {
        Flow::Ingress => "ingress",
        Flow::Egress => "egress",
    }
}

fn change(p: &Placed, direction: Direction, description: String) -> SecurityChange {
    SecurityChange {
        logical_id: p.owner.clone(),
        resource_type: p.owner_type.clone(),
        category: SecurityCategory::SecurityGroup,
        direction,
        path: p.path.clone(),
        policy_kind: None,
        description,
        statement: None,
        rule: Some(p.rule.shown.clone()),
        when: None,
        meaning: None,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(old: &str, new: &str) -> Vec<SecurityChange> {
        let parse = |s: &str| Template::parse("t.yaml", s).expect("a template");
        findings(&parse(old), &parse(new), &HashMap::new())
    }

    #[test]
    fn writing_out_the_default_egress_rule_changes_nothing() {
        let old =
            "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: g}\n";
        let new = "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n      SecurityGroupEgress:\n        - {IpProtocol: '-1', CidrIp: 0.0.0.0/0}\n        - {IpProtocol: -1, CidrIpv6: '::/0'}\n";
        assert_eq!(diff(old, new), Vec::new());
    }

    #[test]
    fn cidrs_and_ports_cover_what_they_contain() {
        let t = Template::parse("t.yaml", "Resources: {}").expect("a template");
        let canon = Canon::plain(None);
        let rule = |yaml: &str| {
            let v: Value = crate::parse::parse_value("r.yaml", &format!("rule: {yaml}")).expect("a rule");
            read_rule(&t, "G", Flow::Ingress, v["rule"].as_object().expect("a mapping"), &canon)
        };
        let wide = rule("{IpProtocol: tcp, FromPort: 1000, ToPort: 2000, CidrIp: 10.0.0.0/8}");
        assert!(wide.covers(&rule("{IpProtocol: '6', FromPort: 1500, ToPort: 1500, CidrIp: 10.20.0.0/16}")));
        assert!(!wide.covers(&rule("{IpProtocol: tcp, FromPort: 1500, ToPort: 2500, CidrIp: 10.20.0.0/16}")));
        assert!(!wide.covers(&rule("{IpProtocol: tcp, FromPort: 1500, ToPort: 1500, CidrIp: 11.0.0.0/16}")));
        assert!(!wide.covers(&rule("{IpProtocol: udp, FromPort: 1500, ToPort: 1500, CidrIp: 10.0.0.0/16}")));
        let v6 = rule("{IpProtocol: '-1', CidrIpv6: '2001:db8::/32'}");
        assert!(
            v6.covers(&rule("{IpProtocol: icmpv6, FromPort: -1, ToPort: -1, CidrIpv6: '2001:db8:1::/48'}"))
        );
        assert!(!v6.covers(&wide));
        let all_tcp = rule("{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0}");
        assert_eq!((all_tcp.ports.clone(), all_tcp.world()), (Ports::All, true));
        assert_eq!(
            rule("{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}").traffic(),
            "RDP (tcp 3389)"
        );
    }
}
