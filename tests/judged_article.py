"""An invented article on which a model trained on ``tests/corpus/en`` alone makes two
mistakes a reviewer can judge, and that model (trained once per test session, ~20 s).

The mistakes (as of the models of 2026-12-05): a lawyer 'who once defended members of Los
Cuervos Pardos' is made a member of the gang (MEMBER_OF), and two gangs that 'ended their
war' are made rivals (RIVAL_OF) where the sentence says they are now allies. Every name is
invented. Not a test module: ``test_judgements.py`` and ``test_browser_review.py`` use it.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from .conftest import CORPUS

GOLD = CORPUS / "en"
GROUP = "Los Cuervos Pardos"
LAWYER = "Octavio Brenes Lamas"
OTHER_GANG = "Los Tiburones del Sur"
LAWYER_SENTENCE = "Octavio Brenes Lamas, a lawyer who once defended members"
TRUCE_SENTENCE = "Last year Los Cuervos Pardos ended its war"
ARTICLE = """Los Cuervos Pardos tighten their grip on the river ports

Los Cuervos Pardos is a criminal group based in Villa Serrana, a river town in the north. The group is led by Tadeo Marlasca Ruiz, known as "El Cuervo", according to local prosecutors.

Octavio Brenes Lamas, a lawyer who once defended members of Los Cuervos Pardos, told reporters that the gang had never been to Puerto Cardal. Brenes Lamas studied law in Ciudad Almena and later worked for the Ministry of Transport.

Police say the group allegedly extorts bus drivers in Villa Serrana and smuggles cocaine through Puerto Cardal. Last year Los Cuervos Pardos ended its war with Los Tiburones del Sur, and the two gangs now share the river routes.

A journalist from Ciudad Almena, Irene Solvay Marqués, wrote a book about Los Cuervos Pardos in 2020. Her brother Damián Solvay Marqués is a police officer in Puerto Cardal.
"""


def train(output: Path, *extra: str) -> str:
    """``sabueso train extractor tests/corpus/en --no-tune --output OUTPUT [extra]``; its
    output (stderr included). Fails the calling test on a non-zero exit."""
    from typer.testing import CliRunner

    from sabueso.cli import app
    res = CliRunner().invoke(app, ["train", "extractor", str(GOLD), "--no-tune", "--output",
                                   str(output), *extra])
    assert res.exit_code == 0, res.output
    return res.output


@lru_cache(maxsize=1)
def baseline_models() -> Path:
    """The gold-only model (the same gold and settings a judged model is trained with)."""
    folder = Path(tempfile.mkdtemp(prefix="sabueso-baseline-"))
    atexit.register(shutil.rmtree, folder, True)
    train(folder)
    return folder


def found(extraction, rtype: str, subject: str, obj: str, sentence: str) -> bool:
    """Whether the extraction holds ``rtype`` (``subject``, ``obj``) from the sentence that
    starts with ``sentence`` (either way round for a symmetric type)."""
    from sabueso.ontology import get_ontology
    names = {e.id: e.name for e in extraction.entities}
    pairs = {(subject, obj), (obj, subject)} if rtype in get_ontology().symmetric else {(subject, obj)}
    return any(c.type == rtype and (names.get(c.subject), names.get(c.object)) in pairs
               and c.evidence.startswith(sentence) for c in extraction.claims)
