"""Sabueso's custom spaCy components, registered in one place.

Each declares what it requires and assigns, so `nlp.analyze_pipes()` can check the order.
"""
from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("sabueso_lang"):
    Doc.set_extension("sabueso_lang", default="en")


@Language.component("sabueso_paragraphs", assigns=["token.is_sent_start"])
def paragraphs_component(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, subheadings and paragraphs never run into the
    next line. Runs before the parser, which respects boundaries already set."""
    if len(doc) < 2:
        return doc
    for i in numpy.flatnonzero(doc.to_array("IS_SPACE")[:-1]):   # whitespace tokens, found in C
        if "\n" in doc[int(i)].text:
            doc[int(i) + 1].is_sent_start = True
    return doc


@Language.factory("sabueso_lang", default_config={"lang": "en"}, assigns=["doc._.sabueso_lang"])
def make_lang_component(nlp: Language, name: str, lang: str):
    def component(doc: Doc) -> Doc:
        doc._.sabueso_lang = lang
        return doc
    return component
