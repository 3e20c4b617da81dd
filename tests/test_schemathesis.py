"""Schemathesis against the app's OpenAPI description, in process (ASGI): every operation of the
JSON API gets generated requests, valid and invalid, and none may answer with a server error
(5xx). Bounded: a few examples per operation, a deterministic seed, no deadline. The store
holds a small invented extraction, and the requests carry an editor token so the writes run."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from sabueso.core import Claim, Document, Entity, Extraction, Mention  # noqa: E402
from sabueso.store import Store  # noqa: E402
from sabueso.web import create_app  # noqa: E402
from sabueso.web.auth import Tokens, parse_spec  # noqa: E402

EDITOR = "editor-token-for-fuzzing-0123"
TEXT = ("Los Halcones Grises is a criminal gang based in Puerto Niebla. The gang is led by "
        "Ramiro Vellano Tusca, according to police investigators.")
AUTH = {"Authorization": f"Bearer {EDITOR}"}
MAX_EXAMPLES = 12


def extraction() -> Extraction:
    s1 = TEXT.split(". ")[0] + "."
    s2 = TEXT[len(s1) + 1:]
    return Extraction(
        Document(text=TEXT, title="Harbour gangs", publisher="Invented Gazette"),
        [Entity("e1", "CriminalGroup", "Los Halcones Grises"),
         Entity("e2", "Person", "Ramiro Vellano Tusca", ["El Tejón"]),
         Entity("e3", "Place", "Puerto Niebla")],
        [Mention(0, 19, "Los Halcones Grises", "CriminalGroup", "e1")],
        [Claim("BASED_IN", "e1", "e3", s1, 0, len(s1)),
         Claim("LEADER_OF", "e2", "e1", s2, len(s1) + 1, len(TEXT), modality="reported",
               attributed_to="police investigators")])


def _app():
    """Built at collection (schemathesis needs the schema then), over a temporary database."""
    folder = Path(tempfile.mkdtemp(prefix="sabueso-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)
    with Store.open(folder / "fuzz.db") as s:
        s.save_extraction(extraction())
    return create_app(folder / "fuzz.db", auth=Tokens([parse_spec(f"editor:{EDITOR}:Fuzzer")]))


schema = schemathesis.openapi.from_asgi("/openapi.json", _app(), headers=AUTH)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case) -> None:
    case.call_and_validate(headers=AUTH, checks=[not_a_server_error])
