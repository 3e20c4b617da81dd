"""Language identification per document (py3langid), restricted to the languages we serve."""
from __future__ import annotations

from functools import lru_cache

SUPPORTED = ("en", "es", "pt")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    ident = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    ident.set_languages(list(SUPPORTED))
    return ident


def detect_language(text: str, default: str = "en") -> str:
    sample = text[:5000].strip()
    if len(sample) < 20:
        return default
    lang, _ = _identifier().classify(sample)
    return lang if lang in ("en", "es") else default
