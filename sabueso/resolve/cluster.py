"""Clustering name keys into entities, with reviewers' judgements applied first.

Judgements (like OpenSanctions nomenklatura's) are folded in time order by :func:`fold`:

- ``merge a b``: a positive link (merges are transitive: links are unioned);
- ``not_same a b``: a cannot-link; it also drops an earlier ``merge a b``. A cannot-link
  blocks any union that would put ``a`` and ``b`` in one cluster, directly or through others;
- ``split`` of an entity (its keys at that time): drops the earlier merges among those keys
  and makes them pairwise cannot-links, so each becomes its own entity again until a later
  ``merge`` joins two of them (a later judgement on a pair overrides an earlier one).

:func:`cluster` unions, in order: pre-existing groups (incremental saving keeps the entities
already built), reviewers' merges (chronological), then rule links (strongest first); a union
is skipped when a cannot-link or (except for reviewers' merges) a conflicting attribute (two
countries for one place) would end up inside one cluster.
"""
from __future__ import annotations

from typing import Iterable, Sequence


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def fold(judgements: Iterable[tuple[str, str, str | None, Sequence[str]]]
         ) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """``(kind, a, b, keys)`` rows, oldest first -> (merge links in order, cannot-links)."""
    pos: dict[tuple[str, str], None] = {}
    neg: set[tuple[str, str]] = set()
    for kind, a, b, keys in judgements:
        if kind == "merge" and b and a != b:
            p = _pair(a, b)
            neg.discard(p)
            pos.pop(p, None)
            pos[p] = None
        elif kind == "not_same" and b and a != b:
            p = _pair(a, b)
            pos.pop(p, None)
            neg.add(p)
        elif kind == "split":
            members = sorted(set(keys or ()) | {a})
            inside = set(members)
            for p in [p for p in pos if p[0] in inside and p[1] in inside]:
                del pos[p]
            neg.update((x, y) for i, x in enumerate(members) for y in members[i + 1:])
    cannot: dict[str, set[str]] = {}
    for a, b in neg:
        cannot.setdefault(a, set()).add(b)
        cannot.setdefault(b, set()).add(a)
    return list(pos), cannot


class Clusters:
    """Union-find whose unions respect cannot-links and a per-cluster attribute."""

    def __init__(self, cannot: dict[str, set[str]] | None = None,
                 attr: dict[str, str] | None = None) -> None:
        self.parent: dict[str, str] = {}
        self.size: dict[str, int] = {}          # roots of clusters bigger than one
        self.cannot = {k: set(v) for k, v in (cannot or {}).items()}
        self.attr = dict(attr or {})

    def find(self, k: str) -> str:
        parent = self.parent
        root = k
        while parent.get(root, root) != root:
            root = parent[root]
        while k != root:
            parent[k], k = root, parent.get(k, k)
        return root

    def blocked(self, ra: str, rb: str, check_attr: bool = True) -> bool:
        xa, xb = self.attr.get(ra), self.attr.get(rb)
        if check_attr and xa and xb and xa != xb:
            return True
        na, nb = self.cannot.get(ra), self.cannot.get(rb)
        if na and any(self.find(x) == rb for x in na):
            return True
        return bool(nb and any(self.find(x) == ra for x in nb))

    def union(self, a: str, b: str, check_attr: bool = True) -> bool:
        """Join the clusters of ``a`` and ``b`` unless forbidden; ``check_attr=False``: a
        reviewer's merge, which only a cannot-link stops."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.blocked(ra, rb, check_attr):
            return False
        sa, sb = self.size.get(ra, 1), self.size.get(rb, 1)
        if (sb, ra) > (sa, rb):           # union by size (ties: the smaller key is the root)
            ra, rb, sa, sb = rb, ra, sb, sa
        self.parent[rb] = ra
        self.size[ra] = sa + sb
        self.size.pop(rb, None)
        if rb in self.cannot:
            self.cannot.setdefault(ra, set()).update(self.cannot.pop(rb))
        if rb in self.attr:
            self.attr.setdefault(ra, self.attr.pop(rb))
        return True


def cluster(keys: Iterable[str], links: Iterable[tuple], merges: Iterable[tuple[str, str]] = (),
            cannot: dict[str, set[str]] | None = None, attr: dict[str, str] | None = None,
            groups: Iterable[Sequence[str]] = ()) -> dict[str, list[str]]:
    """Clusters of ``keys``: root -> sorted member keys. ``links`` are ``(score, a, b, rule,
    needs)`` rule links, strongest first (``needs``: keys that must already be one cluster);
    links and merges naming keys outside ``keys`` are ignored."""
    keys = set(keys)
    uf = Clusters({k: v for k, v in (cannot or {}).items() if k in keys}, attr)
    for g in groups:
        g = [k for k in g if k in keys]
        for k in g[1:]:
            uf.union(g[0], k)
    for a, b in merges:
        if a in keys and b in keys:
            uf.union(a, b, check_attr=False)
    for link in links:
        if link[1] in keys and link[2] in keys:
            needs = link[4] if len(link) > 4 else ()
            if needs and len({uf.find(k) for k in needs if k in keys}) > 1:
                continue          # a pending link: its candidates are not one entity
            uf.union(link[1], link[2])
    out: dict[str, list[str]] = {}
    for k in keys:
        out.setdefault(uf.find(k), []).append(k)
    for members in out.values():
        if len(members) > 1:
            members.sort()
    return out


def choose_ids(clusters: dict[str, list[str]], current: dict[str, str],
               weight: dict[str, int]) -> dict[str, str]:
    """key -> canonical id. A cluster keeps the current entity id that holds most of its
    records (among its own keys, so ids stay unique); else its most used key (then smallest)."""
    out: dict[str, str] = {}
    for members in clusters.values():
        inside = set(members)
        votes: dict[str, int] = {}
        for k in members:
            cur = current.get(k)
            if cur in inside:
                votes[cur] = votes.get(cur, 0) + weight.get(k, 1)
        if votes:
            cid = min(votes, key=lambda c: (-votes[c], c))
        else:
            cid = min(members, key=lambda k: (-weight.get(k, 1), k))
        for k in members:
            out[k] = cid
    return out
