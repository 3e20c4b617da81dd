"""Incremental resolution reads a small neighbourhood: typo neighbours by symmetric deletion,
acronym blocks only where someone writes the acronym. Invented names only."""
from __future__ import annotations

import random

from rapidfuzz.distance import Levenshtein

from sabueso.core import Document, Entity, Extraction
from sabueso.resolve.matching import index_keys
from sabueso.resolve.typos import deletions
from sabueso.resolve.resolver import add_record
from sabueso.store import Store
from sabueso.store.resolution import load_profiles, neighbours, rebuild_blocks
from sabueso.store.schema import name_blocks

LETTERS = "abdeilmnoprstuvz"


def test_tokens_within_the_typo_budget_share_a_deletion() -> None:
    rng = random.Random(5)
    checked = 0
    for _ in range(3000):
        a = "".join(rng.choice(LETTERS) for _ in range(rng.randint(5, 12)))
        b = list(a)
        for _ in range(rng.randint(1, 2)):         # substitutions, insertions, deletions
            op, j = rng.random(), rng.randrange(len(b))
            if op < 0.4:
                b[j] = rng.choice(LETTERS)
            elif op < 0.7:
                b.insert(j, rng.choice(LETTERS))
            elif len(b) > 5:
                del b[j]
        b = "".join(b)
        budget = 2 if min(len(a), len(b)) >= 9 else 1
        if Levenshtein.distance(a, b) <= budget:
            checked += 1
            assert deletions(a, 2 if len(a) >= 9 else 1) & deletions(b, 2 if len(b) >= 9 else 1), (a, b)
    assert checked > 1000


def _doc(i: int, *entities: Entity) -> Extraction:
    return Extraction(Document(text=f"Documento {i}.", path=f"d{i}.txt"), list(entities))


def _word(rng: random.Random) -> str:
    return "V" + "".join(rng.choice("aeiou") + rng.choice("lmnprst") for _ in range(3))


def _groups_store(path, names: list[str]) -> Store:
    """A store with one document naming each group of ``names``."""
    store = Store.open(str(path))
    for i, name in enumerate(names):
        store.save_extraction(_doc(i, Entity("e1", "CriminalGroup", name)))
    return store


def _neighbours_of(store: Store, name: str) -> set[str]:
    """The stored keys a new group called ``name`` would be compared with."""
    probe: dict = {}
    add_record(probe, "CriminalGroup", name)
    with store.engine.begin() as conn:
        return neighbours(conn, probe.values())


def test_a_new_name_reads_its_typo_neighbours_not_the_whole_block(tmp_path) -> None:
    rng = random.Random(2)
    names = sorted({f"Frente {_word(rng)}" for _ in range(80)})
    with _groups_store(tmp_path / "n.db", names) as store:
        target = names[10]
        typo = target[:-1] + ("a" if target[-1] != "a" else "e")      # one substitution
        near = _neighbours_of(store, typo)
        groups = len(store.list_entities("CriminalGroup"))
        # every "Frente V..." shares the old typo block (same first letter); the index holds
        # only names within one edit of the new one
        assert 1 <= len(near) < 10, len(near)
        store.save_extraction(_doc(999, Entity("e1", "CriminalGroup", typo)))
        hits = [e for e in store.list_entities("CriminalGroup") if typo in e["aliases"]]
        assert len(hits) == 1 and target in hits[0]["aliases"]
        assert len(store.list_entities("CriminalGroup")) == groups


def test_acronym_blocks_are_read_only_where_someone_writes_the_acronym(tmp_path) -> None:
    rng = random.Random(3)
    # many organisations whose names give the acronym "BVP", none written as "BVP"
    names = sorted({f"Banda {_word(rng)} P{_word(rng)[1:]}" for _ in range(40)})
    with _groups_store(tmp_path / "a.db", names) as store:
        assert len(_neighbours_of(store, "Banda Velomu Pirasa")) < 5      # no holder: no acronym reads
        assert len(_neighbours_of(store, "BVP")) >= len(names)            # a holder reads them all
        # and the store still links a holder to the one name it stands for, once there is one
        store.save_extraction(_doc(500, Entity("e1", "CriminalGroup", "Banda Velomu Pirasa", ["BVP"])))
        store.save_extraction(_doc(501, Entity("e1", "CriminalGroup", "BVP")))
        hits = [e for e in store.list_entities("CriminalGroup") if "BVP" in [e["name"], *e["aliases"]]]
        assert len(hits) == 1


def test_rebuild_blocks_refiles_every_stored_key(tmp_path) -> None:
    with Store.open(str(tmp_path / "r.db")) as store:
        store.save_extraction(_doc(1, Entity("e1", "CriminalGroup", "Frente Valamo Norte", ["FVN"]),
                                   Entity("e2", "Person", "Ramiro Velasco Pinto")))
        with store.engine.begin() as conn:
            before = set(conn.execute(name_blocks.select()).fetchall())
            conn.execute(name_blocks.delete())
            n = rebuild_blocks(conn)
            after = set(conn.execute(name_blocks.select()).fetchall())
            profiles, _, _ = load_profiles(conn)
        assert after == before and n == len(after)
        assert after == {(b, p.key) for p in profiles.values() for b in index_keys(p)}
        assert any(b.startswith("d|") for b, _ in after) and any(b.startswith("A|") for b, _ in after)
