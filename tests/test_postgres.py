"""The store on PostgreSQL: migrations, the store tests of test_store/test_resolution, the CLI.

Needs a PostgreSQL server (``$SABUESO_TEST_PG``, default ``postgresql://postgres@127.0.0.1/test``)
and psycopg 3; skipped with the reason otherwise. One throw-away database
``sabueso_test_<random>`` is created for the run (through the ``test`` database) and dropped
afterwards; every test starts from empty tables. Invented names only.
"""
from __future__ import annotations

import os
import uuid

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install 'psycopg[binary]')")

from sqlalchemy import create_engine, inspect, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from sabueso.store import TABLES, Store, resolve_db_url  # noqa: E402

from . import test_resolution as tr  # noqa: E402
from . import test_store as ts  # noqa: E402

ADMIN_URL = os.environ.get("SABUESO_TEST_PG", "postgresql://postgres@127.0.0.1/test")


def _admin_engine():
    from sabueso.store.engine import driver_url
    return create_engine(driver_url(ADMIN_URL), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def pg_url():
    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # no server, no role, no database ...
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {type(exc).__name__}")
    name = f"sabueso_test_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(resolve_db_url(ADMIN_URL)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture
def store(pg_url):
    """The same ``store`` fixture as the SQLite tests, on empty PostgreSQL tables."""
    s = Store.open(pg_url)
    with s.engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE"))
    yield s
    s.close()


# The store behaviours, reused as they are (pytest collects them here with this module's
# ``store`` fixture): save, idempotent re-save, resolution, find, claims, judgements.
test_save_twice_changes_nothing = ts.test_save_twice_changes_nothing
test_same_name_compatible_types_merge = ts.test_same_name_compatible_types_merge
test_incompatible_types_stay_apart = ts.test_incompatible_types_stay_apart
test_org_and_gov_body_compatible = ts.test_organization_and_government_body_are_compatible
test_failure_mid_save_leaves_no_trace = ts.test_failure_mid_save_leaves_no_trace
test_find_entities_by_alias_and_misspelling = ts.test_find_entities_by_alias_and_misspelling
test_entity_claims_events_quantities = ts.test_entity_claims_events_quantities
test_list_entities_order_and_filter = ts.test_list_entities_order_and_filter
test_add_judgement = ts.test_add_judgement
test_variants_land_on_one_entity = tr.test_variants_land_on_one_entity
test_types_and_conflicting_names_stay_apart = tr.test_types_and_conflicting_names_stay_apart
test_merge_is_transitive_and_split_undoes_it = tr.test_merge_is_transitive_and_split_undoes_it
test_not_same_blocks_indirect_merges = tr.test_not_same_blocks_indirect_merges
test_judgements_survive_reingest_and_resolve = tr.test_judgements_survive_reingest_and_resolve
test_corroboration_counts = tr.test_corroboration_counts
test_leaders_overlapping_in_time_conflict = tr.test_leaders_overlapping_in_time_conflict
test_merge_blocked_indirectly_by_not_same = tr.test_merge_blocked_indirectly_by_not_same


def test_url_mapping() -> None:
    from sabueso.store.engine import make_engine
    for url in ("postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg://u@h/db"):
        engine = make_engine(url)                        # no connection is made here
        assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "psycopg")
        engine.dispose()


def test_migrations_on_postgres(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) == set(TABLES) | {"alembic_version"}
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0007"
    again = Store.open(store.url)          # re-opening re-runs migrations harmlessly
    assert again.stats() == {t: 0 for t in TABLES}
    again.close()


def test_merge_judgement(store: Store) -> None:
    store.save_extraction(ts.doc1())
    a, b = (store.find_entities(n)[0]["id"] for n in ("Jorvik Pell", "Amara Pell"))
    assert a != b
    out = store.merge(a, b, reviewer="ana", note="same person")
    assert out["kind"] == "merge" and len(out["now"]) == 1
    assert store.entity(a)["id"] == store.entity(b)["id"]
    assert [j["kind"] for j in store.judgements()] == ["merge"]


ARTICLE = ("Corvan Melk leads the Banda Quiral, a gang based in Puerto Velo. "
           "The Banda Quiral runs extortion rackets in Puerto Velo, police said.\n")


def test_cli_ingest_and_show(store: Store, tmp_path) -> None:
    from sabueso.cli import app
    (tmp_path / "quiral.txt").write_text(ARTICLE, encoding="utf-8")
    url = store.url                                      # a plain postgresql:// URL
    assert url.startswith("postgresql://")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(tmp_path / "quiral.txt"), "--db", url])
    assert res.exit_code == 0, res.output
    assert "1 added" in res.output
    res = runner.invoke(app, ["ingest", str(tmp_path / "quiral.txt"), "--db", url])
    assert res.exit_code == 0 and "1 already stored" in res.output
    res = runner.invoke(app, ["show", "Banda Quiral", "--db", url])
    assert res.exit_code == 0, res.output
    assert "Banda Quiral" in res.output and "Corvan Melk" in res.output
    assert store.stats()["documents"] == 1


# -- hostile input (issue 22): the PostgreSQL twins of test_hostile_store -------------------------

@pytest.fixture
def fresh_databases(pg_url):
    """Three new, empty databases (no tables yet): URLs, dropped afterwards."""
    engine = _admin_engine()
    names = [f"sabueso_race_{uuid.uuid4().hex[:10]}" for _ in range(3)]
    with engine.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(resolve_db_url(ADMIN_URL))
    try:
        yield [base.set(database=n).render_as_string(hide_password=False) for n in names]
    finally:
        with engine.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def test_processes_creating_one_new_database_at_once_all_succeed(fresh_databases, tmp_path) -> None:
    """Without a lock the second creator failed on a duplicate key in pg_type."""
    from .test_hostile_store import race_open
    results = race_open(fresh_databases, tmp_path)
    assert results == ["ok"] * (3 * len(fresh_databases)), results


def test_nul_characters_give_the_same_documents_as_sqlite(store: Store, tmp_path) -> None:
    """SQLite stored a NUL character in a JSONL text; PostgreSQL refused it (DataError)."""
    from .test_hostile_store import ingest_nul_jsonl, stored_documents
    code, err = ingest_nul_jsonl(tmp_path, store.url)
    assert code == 2 and "DataError" not in err and err.count("nul.jsonl:") == 1, err
    sqlite_dir = tmp_path / "sqlite"
    sqlite_dir.mkdir()
    assert ingest_nul_jsonl(sqlite_dir, str(sqlite_dir / "x.db"))[0] == 2
    with Store.open(sqlite_dir / "x.db") as lite:
        expected = [(t, x, p) for t, x, p, _ in stored_documents(lite)]
        assert lite.stats() == store.stats()
    assert [(t, x, p) for t, x, p, _ in stored_documents(store)] == expected


def test_name_search_on_postgres(store) -> None:
    """The name index on PostgreSQL: typos, prefixes (LIKE there), accents, filters."""
    from . import test_search_names as tn
    store.save_extraction(tn.extraction())
    for query, expected in (("Halcones Grisez", "Los Halcones Grises"), ("Ramiro Vell",
                            "Ramiro Vellano Tusca"), ("napa dorada", "La Ñapa Dorada"),
                            ("Halcoens", "Los Halcones Grises")):
        assert store.find_entities(query)[0]["name"] == expected, query
    assert [e["name"] for e in store.find_entities("Banda Muelle", country="XB")] == ["Banda del Muelle"]
    assert store.find_entities("Banda Muelle", country="XA") == []
    assert store.reindex_names() > 0 and store.find_entities("de") == []
