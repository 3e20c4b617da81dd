"""Acceptance of cross-document identity (issue 19): every annotated article in ../shared/eval
and tests/corpus in one store; B-cubed precision and recall of its Person and CriminalGroup
entities against the gold identities (sabueso/analyze/identity.py; also bench/identity.py)."""
from __future__ import annotations

import pytest

from sabueso.analyze.identity import bcubed, gold_files, ingest, measure, report
from sabueso.store import Store

from .conftest import CORPUS, SHARED

#: Issue 19 acceptance, on the 35 articles annotated when it was accepted (the shared ones and
#: these of tests/corpus): both >= 0.95 (measured: precision 1.000, recall 0.951).
MIN_PRECISION = 0.95
MIN_RECALL = 0.95
ACCEPTANCE_CORPUS = {'barrio18_honduras', 'beltran_leyva_case_digest', 'choneros_fito_case',
    'cjng_family', 'clan_del_golfo_uraba', 'eln_catatumbo_report', 'guasones_zulia',
    'injertos_cono_norte', 'klansman_spanish_town_longform', 'los_huistas_huehuetenango',
    'los_lobos', 'los_monos_rosario', 'ms13_el_salvador', 'ndrangheta_gioia_tauro',
    'official_link', 'pcc_santos_port', 'prison_extortion', 'routes_pacific', 'sinaloa_events',
    'sindicatos_mineros_bolivar', 'twin_cartel', 'twin_cartel'}
#: On every annotated article, later ones included (harder: a nickname shared by a father and
#: son, a translated name typed otherwise): a regression floor under the 2026-12-05 figure
#: (precision 1.000, recall 0.944 over 43 articles).
MIN_RECALL_ALL = 0.93


def _measure(tmp_path_factory, golds):
    with Store.open(str(tmp_path_factory.mktemp("identity") / "all.db")) as store:
        return measure(store, ingest(store, golds))


@pytest.fixture(scope="module")
def golds():
    if not SHARED.exists():
        pytest.skip("../shared/eval is not present beside the repo")
    return gold_files([SHARED, CORPUS])


def test_bcubed_of_people_and_groups(golds, tmp_path_factory):
    chosen = [g for g in golds if SHARED in g.parents or
              g.name.replace(".gold.json", "") in ACCEPTANCE_CORPUS]
    assert len(chosen) == 35
    measured = _measure(tmp_path_factory, chosen)
    print("\n" + report(measured))
    assert measured["elements"] > 300
    assert measured["precision"] >= MIN_PRECISION, report(measured)
    assert measured["recall"] >= MIN_RECALL, report(measured)


def test_bcubed_on_every_annotated_article(golds, tmp_path_factory):
    measured = _measure(tmp_path_factory, golds)
    print("\n" + report(measured))
    assert measured["precision"] >= MIN_PRECISION, report(measured)
    assert measured["recall"] >= MIN_RECALL_ALL, report(measured)


def test_bcubed_counts_splits_and_fusions():
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    assert bcubed({1: "x", 2: "x", 3: "y", 4: "y"}, gold) == (1.0, 1.0)
    p, r = bcubed({1: "x", 2: "y", 3: "z", 4: "z"}, gold)        # "a" split in two
    assert p == 1.0 and r == 0.75
    p, r = bcubed({1: "x", 2: "x", 3: "x", 4: "x"}, gold)        # everything fused
    assert p == 0.5 and r == 1.0
