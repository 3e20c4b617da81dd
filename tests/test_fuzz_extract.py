"""The extractor never crashes, always emits valid JSON, and every span lies within the text."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sabueso.core import Document
from sabueso.extract import extract_document

WORDS = ["the", "gang", "Los", "Tren", "de", "alias", "“", "”", "«", "»", "led", "by", "según",
         "police", "said", "may", "not", "in", "Honduras", "Lima", "2019", "May", "4,", "more",
         "than", "2,700", "members", "(", ")", "—", ",", ".", "\n\n", "its", "leader", "he",
         "the", "group", "prison", "state", "of", "Aragua", "Ejemplo", "Pérez", "cartel", "y"]

texty = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join)


def check(text: str, lang: str) -> None:
    out = extract_document(Document(text=text or " ", lang=lang)).to_format("fuzz")
    json.loads(json.dumps(out))
    ids = {e["id"] for e in out["entities"]}
    for item in out["relations"] + out["events"] + out["quantities"]:
        assert 0 <= item["start"] <= item["end"] <= len(text or " ")
        assert (text or " ")[item["start"]:item["end"]] == item["evidence"]
    for r in out["relations"]:
        assert r["subject"] in ids


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from(["en", "es"]))
def test_arbitrary_unicode(text, lang):
    check(text, lang)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty, st.sampled_from(["en", "es"]))
def test_domain_like_word_salad(text, lang):
    check(text, lang)
