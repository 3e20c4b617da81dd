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

from typing import Callable, Iterable, Sequence, cast


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
    """Union-find whose unions respect cannot-links and a per-cluster attribute.

    One dict holds the forest: a key maps to its parent key, a root to its cluster's size.
    Membership, the root and its size are one look-up per key, not one in each of a set, a
    parent and a size dict: at a million keys each look-up is a miss in the CPU caches (whose
    cost grows with the dicts)."""

    def __init__(self, keys: Iterable[str], cannot: dict[str, set[str]] | None = None,
                 attr: dict[str, str] | None = None) -> None:
        self.node: dict[str, str | int] = dict.fromkeys(keys, 1)
        self.cannot = {k: set(v) for k, v in (cannot or {}).items() if k in self.node}
        self.attr = dict(attr or {})

    def __contains__(self, k: str) -> bool:
        return k in self.node

    def find(self, k: str) -> str:
        node = self.node
        root = k
        while isinstance(up := node.get(root, 1), str):
            root = up
        while k != root:
            node[k], k = root, cast(str, node[k])
        return root

    def blocked(self, ra: str, rb: str, check_attr: bool = True) -> bool:
        if self.attr:
            xa, xb = self.attr.get(ra), self.attr.get(rb)
            if check_attr and xa and xb and xa != xb:
                return True
        if not self.cannot:
            return False
        na, nb = self.cannot.get(ra), self.cannot.get(rb)
        if na and any(self.find(x) == rb for x in na):
            return True
        return bool(nb and any(self.find(x) == ra for x in nb))

    def union(self, a: str, b: str, check_attr: bool = True) -> bool:
        """Join the clusters of ``a`` and ``b`` (both among the keys) unless forbidden;
        ``check_attr=False``: a reviewer's merge, which only a cannot-link stops."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.blocked(ra, rb, check_attr):
            return False
        node = self.node
        sa, sb = cast(int, node[ra]), cast(int, node[rb])
        if (sb, ra) > (sa, rb):           # union by size (ties: the smaller key is the root)
            ra, rb, sa, sb = rb, ra, sb, sa
        node[rb] = ra
        node[ra] = sa + sb
        if self.cannot and rb in self.cannot:
            self.cannot.setdefault(ra, set()).update(self.cannot.pop(rb))
        if self.attr and rb in self.attr:
            self.attr.setdefault(ra, self.attr.pop(rb))
        return True


def cluster(keys: Iterable[str], links: Iterable[tuple], merges: Iterable[tuple[str, str]] = (),
            cannot: dict[str, set[str]] | None = None, attr: dict[str, str] | None = None,
            groups: Iterable[Sequence[str]] = ()) -> dict[str, list[str]]:
    """Clusters of ``keys``: root -> sorted member keys. ``links`` are ``(score, a, b, rule,
    needs)`` rule links, strongest first (``needs``: keys that must already be one cluster);
    links and merges naming keys outside ``keys`` are ignored."""
    uf = Clusters(keys, cannot, attr)
    for g in groups:
        g = [k for k in g if k in uf]
        for k in g[1:]:
            uf.union(g[0], k)
    for a, b in merges:
        if a in uf and b in uf:
            uf.union(a, b, check_attr=False)
    node, find, union = uf.node, uf.find, uf.union
    for link in links:
        if link[1] in node and link[2] in node:
            if len(link) > 4 and link[4] and _split(link[4], node, find):
                continue          # a pending link: its candidates are not one entity
            union(link[1], link[2])
    out: dict[str, list[str]] = {}
    for k, up in node.items():            # a root's entry holds its size: no look-up
        out.setdefault(find(up) if isinstance(up, str) else k, []).append(k)
    for members in out.values():
        if len(members) > 1:
            members.sort()
    return out


def _split(keys: Sequence[str], node: dict, find: Callable[[str], str]) -> bool:
    """Whether ``keys`` (those among the clustered ones) are in more than one cluster (stops
    at the first that is not with the others: pending links mostly are)."""
    first = None
    for k in keys:
        if k in node:
            r = find(k)
            if first is None:
                first = r
            elif r != first:
                return True
    return False


def choose_ids(clusters: dict[str, list[str]], current: dict[str, str],
               weight: dict[str, int]) -> dict[str, str]:
    """key -> canonical id. A cluster keeps the current entity id that holds most of its
    records (among its own keys, so ids stay unique); else its most used key (then smallest)."""
    out: dict[str, str] = {}
    for members in clusters.values():
        if len(members) == 1:             # its own key, current or not: no look-ups
            out[members[0]] = members[0]
            continue
        votes: dict[str, int] = {}
        if current:
            inside: set[str] | None = None
            for k in members:
                cur = current.get(k)
                if cur is None:
                    continue
                if inside is None:
                    inside = set(members)
                if cur in inside:
                    votes[cur] = votes.get(cur, 0) + weight.get(k, 1)
        if votes:
            cid = min(votes, key=lambda c: (-votes[c], c))
        else:
            cid = min(members, key=lambda k: (-weight.get(k, 1), k))
        for k in members:
            out[k] = cid
    return out
