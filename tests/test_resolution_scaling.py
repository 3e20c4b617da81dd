"""Bulk resolution shortcuts (see bench/resolution.py) give exactly the plain results: the
pruned blocking of ``candidate_links`` against every block of ``block_keys``, the bucketed link
order against a full sort, and ``add_record``'s memo against no memo. Invented names only."""
from __future__ import annotations

import random
from collections import defaultdict

import pytest

from sabueso.resolve import matching as m
from sabueso.resolve import typos
from sabueso.resolve.cluster import choose_ids
from sabueso.resolve.resolver import add_record, resolve

CONS, VOWELS = "bcdfglmnprstvz", "aeiou"


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(CONS) + rng.choice(VOWELS) for _ in range(syllables)).capitalize()


def records(n: int, seed: int = 1) -> list[tuple[str, str, list[str], str | None]]:
    """Person, group, organisation and place records with the variants that resolution links:
    typos, accents, possessives, nicknames, acronyms, partial names (small pools: big blocks)."""
    rng = random.Random(seed)
    given = [word(rng, 3) for _ in range(12)]
    surnames = [word(rng, rng.randint(2, 4)) for _ in range(40)]
    ents = []
    for _ in range(n // 4):
        r = rng.random()
        if r < 0.5:
            ents.append(("Person", f"{rng.choice(given)} {rng.choice(surnames)} "
                                   f"{rng.choice(surnames)}", f"El {word(rng, 2)}"))
        elif r < 0.7:
            ents.append(("CriminalGroup", f"Banda de {word(rng, 3)} {word(rng, 2)}",
                         f"Los {word(rng, 2)}s"))
        elif r < 0.9:
            words = [word(rng, 2) for _ in range(3)]
            ents.append(("Organization", f"{words[0]} de {words[1]} {words[2]}",
                         "".join(w[0] for w in words).upper()))
        else:
            ents.append(("Place", f"{word(rng, 3)} {word(rng, 2)}", None))
    out = []
    for _ in range(n):
        t, name, other = rng.choice(ents)
        r, aliases = rng.random(), []
        if r < 0.15:
            name = name.translate(str.maketrans("aeiou", "áéíóú"))
        elif r < 0.3:
            name = "The " + name + "’s"
        elif r < 0.45 and other:
            name, aliases = other, [name]
        elif r < 0.6 and other:
            aliases = [other]
        elif r < 0.75:
            parts = name.split()
            i = rng.randrange(len(parts))
            if len(parts[i]) >= 5:
                parts[i] = parts[i][:3] + rng.choice(VOWELS) + parts[i][4:]
            name = " ".join(parts)
        elif r < 0.85 and t == "Person":
            name = " ".join(name.split()[:2])
        elif r < 0.9:
            name = name.lower()            # a common noun: keyed per document, generic
        out.append((t, name, aliases, rng.choice(["VE", "CO"]) if t == "Place" else None))
    return out


def plain_links(profiles, focus=None) -> list[tuple]:
    """``candidate_links`` without its pruning: every block of ``block_keys``, one full sort."""
    out: list[tuple] = []
    profiles = list(profiles)
    typo_groups: dict[str, list] = {}
    for fn in m.PASSES:
        blocks = defaultdict(list)
        for p in profiles:
            for b in fn(p, m.type_class(p.type), p.tokens):
                blocks[b].append(p)
        for b, ms in blocks.items():
            kind, _, rest = b.partition("|")
            if kind == "f":           # the first letter's and the sound's blocks: read together
                parts = b.split("|")          # f | class | tokens | i | letter or ~sound | rest
                typo_groups.setdefault("|".join(parts[1:4] + parts[5:]), []).extend(ms)
                continue
            if len(ms) < 2 or (focus is not None and not any(p.key in focus for p in ms)):
                continue
            if kind == "x":
                m._exact(rest.partition("|")[2], ms, out)
            elif kind == "a":
                m._acronym(rest.partition("|")[2], ms, out)
            elif kind == "p":
                m._partial(rest, ms, out)
            elif kind == "g":
                m._chain(ms, m.SCORES["geo"], "geo", out)
    order = {p.key: i for i, p in enumerate(profiles)}
    for g, ms in typo_groups.items():
        ms = sorted({p.key: p for p in ms}.values(), key=lambda p: order[p.key])
        if len(ms) > 1 and (focus is None or any(p.key in focus for p in ms)):
            typos.typo_links(int(g.split("|")[2]), ms, out, focus)
    out.sort(key=lambda e: (-e[0], e[1], e[2]))
    return out


def snapshot(profiles) -> list[tuple]:
    return sorted((k, p.type, p.norm, sorted(p.aliases), sorted(p.acronyms), p.weight,
                   p.generic, p.country, p.geo) for k, p in profiles.items())


@pytest.fixture(scope="module")
def profiles():
    out: dict = {}
    memo: dict = {}
    for t, name, aliases, country in records(6000):
        add_record(out, t, name, aliases, country, memo=memo)
    return out


def test_pruned_blocking_gives_every_link(profiles) -> None:
    links = m.candidate_links(profiles.values())
    assert {r for _, _, _, r, _ in links} >= {"same_name", "name_alias", "typo", "acronym",
                                              "partial_name"}
    assert any(needs for *_, needs in links)                # pending links too
    assert links == plain_links(profiles.values())
    focus = set(list(profiles)[::5])
    assert m.candidate_links(profiles.values(), focus) == plain_links(profiles.values(), focus)


def test_link_order_is_a_full_sort() -> None:
    rng = random.Random(5)
    keys = [f"n{rng.getrandbits(64):016x}" for _ in range(300)] + ["n1", "n12", "n2"]
    links = [(rng.choice(list(m.SCORES.values())), rng.choice(keys), rng.choice(keys), "r",
              (rng.choice(keys),)) for _ in range(3000)]
    assert m.strongest_first(links) == sorted(links, key=lambda e: (-e[0], e[1], e[2]))


def test_memo_changes_nothing(profiles) -> None:
    plain: dict = {}
    for t, name, aliases, country in records(6000):
        add_record(plain, t, name, aliases, country)
    assert snapshot(plain) == snapshot(profiles)
    memo: dict = {}
    first: dict = {}
    second: dict = {}                      # one memo, then another profiles dict: starts over
    for t, name, aliases, country in records(6000)[:3000]:
        add_record(first, t, name, aliases, country, memo=memo)
    for t, name, aliases, country in records(6000):
        add_record(second, t, name, aliases, country, memo=memo)
    assert snapshot(second) == snapshot(profiles)


def test_resolution_is_repeatable(profiles) -> None:
    runs = []
    for _ in range(2):
        clusters = resolve(profiles)
        ids = choose_ids(clusters, {}, {k: p.weight for k, p in profiles.items()})
        runs.append(sorted(ids.items()))
    assert runs[0] == runs[1]
    assert len(set(dict(runs[0]).values())) < len(profiles)   # some keys were joined


def _typo_block(n: int, seed: int, head: str = "") -> list[m.Profile]:
    """One typo block: ``n`` distinct "Banda <word>" groups (varying token 1)."""
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < n:
        words[(head + word(rng, 3)[len(head):]).lower()] = None
    return [m.Profile(key=f"k{i}", type="CriminalGroup", norm=f"banda {w}", weight=1)
            for i, w in enumerate(words)]


def test_typo_pairs_through_deletions_are_every_pair_within_reach() -> None:
    block = _typo_block(600, seed=3)           # dense: many names one edit apart
    toks = [p.tokens[1] for p in block]
    brute = {i: {j for j in range(i) if typos._reach(block[i], block[j], toks[i], toks[j])}
             for i in range(len(block))}
    near = typos._within_reach(block, 1)
    assert near == {i: js for i, js in brute.items() if js}
    assert sum(len(js) for js in near.values()) > 20


def test_a_huge_typo_block_still_links_its_variants() -> None:
    # thousands of names with one first letter (a sub-block bigger than any pairwise limit)
    block = _typo_block(4500, seed=4, head="b")
    typo = m.Profile(key="typo", type="CriminalGroup", norm=block[0].norm[:-1] + "x", weight=1)
    out: list = []
    typos.typo_links(1, [*block, typo], out, focus={"typo"})
    assert [(a, b) for _, a, b, *_ in out] == [("typo", "k0")]
