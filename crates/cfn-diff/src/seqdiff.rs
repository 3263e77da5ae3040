//! Sequence diffs whose cost is bounded: the line diffs of inline code and
//! the diffs of ordered lists.
//!
//! Myers' algorithm is minimal, but costs time proportional to the length
//! of the sequences times the number of differences: two 40,000-line texts
//! that differ on every third line take seconds. So each region is first
//! trimmed of its common head and tail, then diffed with Myers only when
//! its differences fit the work left ([`WORK`], counted in steps of
//! Myers' search, never in time, so the result is the same on every
//! machine). A region that does not fit is split at its anchors, the items
//! found once in each side, kept in order (the longest such chain, as
//! patience diff finds it), and each part between anchors is diffed the
//! same way. A part with no anchor, once the work is spent, is shown as
//! one replacement: every old item removed and every new one added. Small
//! inputs get exactly the diff they had from Myers alone.

use similar::{capture_diff, Algorithm, DiffOp};
use std::collections::HashMap;
use std::hash::Hash;
use std::ops::Range;

/// The steps of Myers' search one diff may take, across all its regions:
/// about 20 ms of work.
const WORK: usize = 20_000_000;

/// How deep regions are split at their anchors before the rest of a region
/// is shown as one replacement.
const MAX_SPLITS: usize = 16;

/// The operations that turn `old` into `new`, in order: `Equal`, `Delete`,
/// `Insert`, and `Replace` for a deletion followed by an insertion.
pub(crate) fn diff<T: Hash + Eq>(old: &[T], new: &[T]) -> Vec<DiffOp> {
    let (a, b) = intern(old, new);
    let mut d = Differ { a: &a, b: &b, work: WORK, ops: Vec::new() };
    d.region(0..a.len(), 0..b.len(), 0);
    merge(d.ops)
}

/// Each distinct item as a number, so comparing two costs one step.
fn intern<T: Hash + Eq>(old: &[T], new: &[T]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<&T, u32> = HashMap::with_capacity(old.len() + new.len());
    let mut id = |x| {
        let next = ids.len() as u32;
        *ids.entry(x).or_insert(next)
    };
    let a = old.iter().map(&mut id).collect();
    let b = new.iter().map(&mut id).collect();
    (a, b)
}

struct Differ<'s> {
    a: &'s [u32],
    b: &'s [u32],
    /// Myers steps left.
    work: usize,
    ops: Vec<DiffOp>,
}

impl Differ<'_> {
    /// Myers' diff of a region when it fits the work left; else the
    /// region trimmed and split at its anchors.
    fn region(&mut self, ar: Range<usize>, br: Range<usize>, depth: usize) {
        if ar.is_empty() || br.is_empty() {
            return self.replace(ar, br);
        }
        if self.myers(ar.clone(), br.clone()) {
            return;
        }
        let head = common(ar.clone().zip(br.clone()), self.a, self.b);
        let (ar, br) = (ar.start + head..ar.end, br.start + head..br.end);
        let tail = common(ar.clone().rev().zip(br.clone().rev()), self.a, self.b);
        let (ar, br) = (ar.start..ar.end - tail, br.start..br.end - tail);
        if head > 0 {
            self.equal(ar.start - head, br.start - head, head);
        }
        let anchors = if depth < MAX_SPLITS && !ar.is_empty() && !br.is_empty() {
            anchors(self.a, ar.clone(), self.b, br.clone())
        } else {
            Vec::new()
        };
        if anchors.is_empty() {
            self.replace(ar.clone(), br.clone());
        } else {
            let (mut i, mut j) = (ar.start, br.start);
            for (x, y) in anchors {
                self.region(i..x, j..y, depth + 1);
                self.equal(x, y, 1);
                (i, j) = (x + 1, y + 1);
            }
            self.region(i..ar.end, j..br.end, depth + 1);
        }
        if tail > 0 {
            self.equal(ar.end, br.end, tail);
        }
    }

    /// Myers' diff of a region, if its differences fit half the work left
    /// (so a region that does not fit leaves work for its parts); the
    /// distance is measured first, and the diff costs as much again.
    fn myers(&mut self, ar: Range<usize>, br: Range<usize>) -> bool {
        let width = ar.len() + br.len();
        let max_d = self.work / 4 / width;
        match distance(&self.a[ar.clone()], &self.b[br.clone()], max_d) {
            Some(d) => {
                self.work = self.work.saturating_sub(2 * width * (d + 1));
                self.ops.extend(capture_diff(Algorithm::Myers, self.a, ar, self.b, br));
                true
            }
            None => {
                self.work = self.work.saturating_sub(width * max_d);
                false
            }
        }
    }

    fn equal(&mut self, old_index: usize, new_index: usize, len: usize) {
        self.ops.push(DiffOp::Equal { old_index, new_index, len });
    }

    /// Every old item removed and every new one added.
    fn replace(&mut self, ar: Range<usize>, br: Range<usize>) {
        if !ar.is_empty() {
            self.ops.push(DiffOp::Delete { old_index: ar.start, old_len: ar.len(), new_index: br.start });
        }
        if !br.is_empty() {
            self.ops.push(DiffOp::Insert { old_index: ar.end, new_index: br.start, new_len: br.len() });
        }
    }
}

/// How many positions from the start of `pairs` hold equal items.
fn common(pairs: impl Iterator<Item = (usize, usize)>, a: &[u32], b: &[u32]) -> usize {
    pairs.take_while(|&(i, j)| a[i] == b[j]).count()
}

/// The number of items Myers' diff removes and adds, when at most `max_d`:
/// its forward search, keeping only the furthest point of each diagonal.
fn distance(a: &[u32], b: &[u32], max_d: usize) -> Option<usize> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = max_d.min(a.len() + b.len());
    let offset = max_d as isize + 1;
    let mut v = vec![0isize; 2 * max_d + 3];
    for d in 0..=max_d as isize {
        let mut k = -d;
        while k <= d {
            let at = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[at - 1] < v[at + 1]) { v[at + 1] } else { v[at - 1] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at] = x;
            if x >= n && y >= m {
                return Some(d as usize);
            }
            k += 2;
        }
    }
    None
}

/// The items found exactly once in each side of a region, paired, in the
/// longest chain that keeps their order on both sides.
fn anchors(a: &[u32], ar: Range<usize>, b: &[u32], br: Range<usize>) -> Vec<(usize, usize)> {
    // For each item: how often in old, how often in new, where in each.
    let mut seen: HashMap<u32, (u32, u32, usize, usize)> = HashMap::new();
    for i in ar {
        let e = seen.entry(a[i]).or_insert((0, 0, i, 0));
        e.0 += 1;
    }
    for j in br.clone() {
        if let Some(e) = seen.get_mut(&b[j]) {
            e.1 += 1;
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> =
        seen.into_values().filter(|e| e.0 == 1 && e.1 == 1).map(|e| (e.2, e.3)).collect();
    pairs.sort_unstable();
    longest_increasing(&pairs)
}

/// The longest chain of pairs (sorted by their first) whose seconds
/// increase too: patience sorting, `n log n`.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tops[k]: the index of the pair ending the best chain of length k + 1.
    let mut tops: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, y)) in pairs.iter().enumerate() {
        let k = tops.partition_point(|&t| pairs[t].1 < y);
        back[i] = k.checked_sub(1).map(|k| tops[k]);
        if k == tops.len() {
            tops.push(i);
        } else {
            tops[k] = i;
        }
    }
    let mut chain = Vec::with_capacity(tops.len());
    let mut at = tops.last().copied();
    while let Some(i) = at {
        chain.push(pairs[i]);
        at = back[i];
    }
    chain.reverse();
    chain
}

/// Adjacent operations joined: equal runs into one, a deletion followed by
/// an insertion into a replacement.
fn merge(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        let joined = match (out.last().copied(), op) {
            (Some(DiffOp::Equal { old_index, new_index, len }), DiffOp::Equal { len: more, .. }) => {
                Some(DiffOp::Equal { old_index, new_index, len: len + more })
            }
            (Some(DiffOp::Delete { old_index, old_len, new_index }), DiffOp::Insert { new_len, .. }) => {
                Some(DiffOp::Replace { old_index, old_len, new_index, new_len })
            }
            (
                Some(DiffOp::Delete { old_index, old_len, new_index }),
                DiffOp::Delete { old_len: more, .. },
            ) => Some(DiffOp::Delete { old_index, old_len: old_len + more, new_index }),
            (
                Some(DiffOp::Insert { old_index, new_index, new_len }),
                DiffOp::Insert { new_len: more, .. },
            ) => Some(DiffOp::Insert { old_index, new_index, new_len: new_len + more }),
            (
                Some(DiffOp::Replace { old_index, old_len, new_index, new_len }),
                DiffOp::Insert { new_len: more, .. },
            ) => Some(DiffOp::Replace { old_index, old_len, new_index, new_len: new_len + more }),
            _ => None,
        };
        match joined {
            Some(j) => *out.last_mut().expect("joined to the last") = j,
            None => out.push(op),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the operations to `old`, checking they account for every item.
    fn apply(ops: &[DiffOp], old: &[&str], new: &[&str]) -> Vec<String> {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        for op in ops {
            let (o, n) = (op.old_range(), op.new_range());
            assert_eq!((o.start, n.start), (i, j), "{ops:?}");
            if let DiffOp::Equal { .. } = op {
                assert_eq!(&old[o.clone()], &new[n.clone()]);
            }
            out.extend(new[n.clone()].iter().map(|s| s.to_string()));
            (i, j) = (o.end, n.end);
        }
        assert_eq!((i, j), (old.len(), new.len()));
        out
    }

    fn changed(ops: &[DiffOp]) -> usize {
        ops.iter()
            .filter(|o| !matches!(o, DiffOp::Equal { .. }))
            .map(|o| o.old_range().len() + o.new_range().len())
            .sum()
    }

    #[test]
    fn small_inputs_get_myers_diff() {
        let old = ["a", "b", "c", "d"];
        let new = ["a", "x", "c", "d", "e"];
        let ops = diff(&old, &new);
        assert_eq!(ops, capture_diff(Algorithm::Myers, &old[..], 0..4, &new[..], 0..5));
        assert_eq!(apply(&ops, &old, &new), new);
        assert_eq!(changed(&ops), 3);
    }

    #[test]
    fn large_differences_split_at_anchors_and_stay_exact_where_it_counts() {
        // 40,000 lines, every third changed: far more than Myers may take.
        let old: Vec<String> = (0..40_000).map(|i| format!("line {i}")).collect();
        let new: Vec<String> = (0..40_000)
            .map(|i| if i % 3 == 1 { format!("changed {i}") } else { format!("line {i}") })
            .collect();
        let (o, n): (Vec<&str>, Vec<&str>) =
            (old.iter().map(String::as_str).collect(), new.iter().map(String::as_str).collect());
        let ops = diff(&o, &n);
        assert_eq!(apply(&ops, &o, &n), new);
        // Each changed line is one line replaced, as Myers would say.
        assert_eq!(changed(&ops), 2 * 13_333);
        assert!(ops.iter().all(|op| op.old_range().len() <= 1 || matches!(op, DiffOp::Equal { .. })));
    }

    #[test]
    fn without_anchors_the_rest_is_one_replacement() {
        // Items that repeat have no anchor; past the work, one replacement.
        let old: Vec<&str> = (0..30_000).map(|i| if i % 2 == 0 { "x" } else { "y" }).collect();
        let new: Vec<&str> = (0..30_000).map(|i| if i % 3 == 0 { "x" } else { "z" }).collect();
        let ops = diff(&old, &new);
        assert_eq!(apply(&ops, &old, &new), new);
    }

    #[test]
    fn patience_finds_the_longest_ordered_chain() {
        assert_eq!(longest_increasing(&[(0, 3), (1, 1), (2, 2), (3, 0), (4, 4)]), [(1, 1), (2, 2), (4, 4)]);
    }
}
