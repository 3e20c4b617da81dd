"""The LLM extractor against a fake OpenAI-compatible server on 127.0.0.1 (real client code).

All names are invented for these tests.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytest.importorskip("openai")

from sabueso.core import Claim, Document, Entity, Extraction  # noqa: E402
from sabueso.extract.llm import (GroundingReport, LLMError, LLMNotConfigured,  # noqa: E402
                                 extract_llm, extract_with, llm_config)
from sabueso.extract.llm.merge import merge  # noqa: E402
from sabueso.extract.llm.prompt import chunk_spans, system_prompt  # noqa: E402

TEXT = ("The Banda del Cóndor Gris is a criminal group based in Villa Esmeralda. "
        "It is led by Ramiro Quintanilla, known as \"El Zorro\", since 2015.\n\n"
        "According to police sources, the gang allegedly extorts shopkeepers in Villa Esmeralda. "
        "The group has more than 300 members.")
S_LEAD = "It is led by Ramiro Quintanilla, known as \"El Zorro\", since 2015."
S_BASE = "The Banda del Cóndor Gris is a criminal group based in Villa Esmeralda."
S_EXT = "According to police sources, the gang allegedly extorts shopkeepers in Villa Esmeralda."
S_QTY = "The group has more than 300 members."


def entities():
    return [{"id": "e1", "type": "CriminalGroup", "name": "Banda del Cóndor Gris", "aliases": []},
            {"id": "e2", "type": "Person", "name": "Ramiro Quintanilla", "aliases": ["El Zorro"]},
            {"id": "e3", "type": "Place", "name": "Villa Esmeralda", "place_kind": "city"}]


def rel(t, s, o, ev, modality="asserted", **kw):
    return {"type": t, "subject": s, "object": o, "modality": modality, "evidence": ev, **kw}


def valid_payload():
    return {"entities": entities(),
            "relations": [rel("LEADER_OF", "e2", "e1", S_LEAD, since="2015"),
                          rel("BASED_IN", "e1", "e3", S_BASE),
                          rel("ACTIVITY", "e1", "extortion", S_EXT, "hedged")],
            "events": [],
            "quantities": [{"subject": "e1", "measure": "members", "value": 300,
                            "qualifier": "more than", "evidence": S_QTY}]}


class FakeLLM:
    """Scripted chat-completions server. Each script item: (status, content, delay_s)."""

    def __init__(self):
        self.script: list = []
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "body": body})
                status, content, delay = fake.script.pop(0) if fake.script else (500, "script empty", 0)
                if callable(content):
                    content = content(body)
                time.sleep(delay)
                if status == 200:
                    text = content if isinstance(content, str) else json.dumps(content)
                    out = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": text}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                else:
                    out = {"error": {"message": str(content), "type": "fake", "code": status}}
                data = json.dumps(out).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:            # the client gave up (timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def push(self, content, status=200, delay=0.0):
        self.script.append((status, content, delay))


@pytest.fixture
def fake(monkeypatch, tmp_path):
    server = FakeLLM()
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("SABUESO_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("SABUESO_LLM_BASE_URL", server.url)
    monkeypatch.setenv("SABUESO_LLM_MODEL", "fake-model")
    monkeypatch.setenv("SABUESO_LLM_TIMEOUT", "2")
    monkeypatch.setenv("SABUESO_LLM_BACKOFF", "0.01")
    monkeypatch.setenv("SABUESO_CACHE_DIR", str(tmp_path / "cache"))
    yield server
    server.server.shutdown()
    server.server.server_close()


def doc(text=TEXT):
    return Document(text=text, title="t.txt", lang="en")


def cached_files(tmp_path):
    return [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]


def test_valid_reply_gives_grounded_extraction_with_spans(fake):
    fake.push(valid_payload())
    ext, report = extract_llm(doc())
    assert len(fake.requests) == 1
    req = fake.requests[0]
    assert req["path"].endswith("/chat/completions") and req["body"]["model"] == "fake-model"
    assert req["body"]["response_format"] == {"type": "json_object"}
    names = {e.name: e for e in ext.entities}
    assert set(names) == {"Banda del Cóndor Gris", "Ramiro Quintanilla", "Villa Esmeralda"}
    assert names["Ramiro Quintanilla"].aliases == ["El Zorro"]
    assert names["Villa Esmeralda"].place_kind == "city"
    by_type = {c.type: c for c in ext.claims}
    assert set(by_type) == {"LEADER_OF", "BASED_IN", "ACTIVITY"}
    for c in ext.claims:
        assert c.extractor == "llm"
        assert TEXT[c.start:c.end] == c.evidence
    assert by_type["LEADER_OF"].start == TEXT.index(S_LEAD)
    assert by_type["LEADER_OF"].since == "2015"
    assert by_type["ACTIVITY"].object == "extortion" and by_type["ACTIVITY"].modality == "hedged"
    assert by_type["LEADER_OF"].subject == names["Ramiro Quintanilla"].id
    (q,) = ext.quantities
    assert q.value == 300 and q.qualifier == "more than" and TEXT[q.start:q.end] == S_QTY
    assert all(TEXT[m.start:m.end] == m.text for m in ext.mentions)
    assert report.total_dropped == 0 and "nothing dropped" in report.summary()
    out = ext.to_format("t.txt")
    assert {r["type"] for r in out["relations"]} == {"LEADER_OF", "BASED_IN", "ACTIVITY"}


def test_fuzzy_evidence_is_replaced_by_the_exact_source_span(fake):
    payload = valid_payload()
    sloppy = S_LEAD.replace('"', "\u201c", 1).replace('"', "\u201d").replace("Quintanilla", "Quintanila")
    payload["relations"] = [rel("LEADER_OF", "e2", "e1", sloppy)]
    payload["entities"][1]["name"] = "RAMIRO QUINTANILLA"
    fake.push(payload)
    ext, _ = extract_llm(doc())
    (c,) = ext.claims
    assert c.evidence == S_LEAD and (c.start, c.end) == (TEXT.index(S_LEAD), TEXT.index(S_LEAD) + len(S_LEAD))
    assert "Ramiro Quintanilla" in [e.name for e in ext.entities]


def test_entity_not_in_text_is_dropped_and_counted(fake):
    payload = valid_payload()
    payload["entities"].append({"id": "e4", "type": "Person", "name": "Eustaquio Fantasma"})
    payload["entities"][1]["aliases"].append("El Invisible")
    payload["relations"].append(rel("MEMBER_OF", "e4", "e1", S_BASE))
    fake.push(payload)
    ext, report = extract_llm(doc())
    dumped = json.dumps(ext.to_format(), ensure_ascii=False)
    assert "Fantasma" not in dumped and "Invisible" not in dumped
    assert report.dropped_entities == 1 and report.dropped_aliases == 1
    assert report.reasons[("entity", "name not in text")] == 1
    assert report.reasons[("relation", "subject not a grounded entity")] == 1
    assert len(ext.claims) == 3
    assert "1 entity (name not in text: 1)" in report.summary()


def test_relation_whose_evidence_is_not_in_the_text_is_dropped(fake):
    payload = valid_payload()
    payload["relations"].append(rel("RIVAL_OF", "e1", "e2", "The two have fought over the port for a decade."))
    payload["relations"].append(rel("SMUGGLES", "e1", "e3", S_BASE))       # not an ontology type
    payload["relations"].append(rel("BASED_IN", "e1", "e3", S_BASE, "rumoured"))  # bad modality
    payload["relations"].append(rel("ACTIVITY", "e1", "piracy", S_EXT))    # not an activity label
    payload["relations"].append(rel("LEADER_OF", "e3", "e1", S_BASE))      # Place cannot lead
    fake.push(payload)
    ext, report = extract_llm(doc())
    assert [c.type for c in ext.claims].count("RIVAL_OF") == 0
    assert len(ext.claims) == 3 and report.dropped_relations == 5
    assert report.reasons[("relation", "evidence not in text")] == 1
    assert report.reasons[("relation", "relation type not in ontology")] == 1
    assert report.reasons[("relation", "modality missing or not in ontology")] == 1
    assert report.reasons[("relation", "activity label not in ontology")] == 1
    assert report.reasons[("relation", "entity types outside the relation's domain/range")] == 1
    assert all(TEXT[c.start:c.end] == c.evidence for c in ext.claims)


def test_malformed_json_raises_and_writes_nothing(fake, tmp_path):
    fake.push('{"entities": [{"id": "e1", "type": ')
    with pytest.raises(LLMError, match="malformed JSON"):
        extract_llm(doc())
    fake.push({"entities": "none"})
    with pytest.raises(LLMError, match="must be a list"):
        extract_llm(doc())
    fake.push({"entities": [{"id": "e1", "type": "Person"}]})
    with pytest.raises(LLMError, match="lacks name"):
        extract_llm(doc())
    assert cached_files(tmp_path) == []


def test_timeout_after_retries_raises(fake, monkeypatch):
    monkeypatch.setenv("SABUESO_LLM_TIMEOUT", "0.2")
    for _ in range(3):
        fake.push(valid_payload(), delay=0.8)
    t0 = time.monotonic()
    with pytest.raises(LLMError, match="after 3 tries"):
        extract_llm(doc())
    assert len(fake.requests) == 3 and time.monotonic() - t0 < 5


def test_rate_limit_then_success(fake, tmp_path):
    fake.push("slow down", status=429)
    fake.push(valid_payload())
    ext, _ = extract_llm(doc())
    assert len(fake.requests) == 2 and len(ext.claims) == 3
    assert len(cached_files(tmp_path)) == 1


def test_server_without_json_mode_is_asked_again_without_it(fake):
    fake.push("response_format is not supported by this server", status=400)
    fake.push(valid_payload())
    ext, _ = extract_llm(doc())
    assert len(fake.requests) == 2 and len(ext.claims) == 3
    assert "response_format" in fake.requests[0]["body"]
    assert "response_format" not in fake.requests[1]["body"]


def test_client_error_is_not_retried(fake):
    fake.push("bad key", status=401)
    with pytest.raises(LLMError, match="failed"):
        extract_llm(doc())
    assert len(fake.requests) == 1


def test_no_config_names_the_settings(monkeypatch, tmp_path):
    for var in ("SABUESO_LLM_BASE_URL", "SABUESO_LLM_MODEL", "SABUESO_LLM_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SABUESO_CONFIG", str(tmp_path / "absent.toml"))
    assert llm_config() is None
    for call in (lambda: extract_llm(doc()), lambda: extract_with(doc(), "rules+llm")):
        with pytest.raises(LLMNotConfigured) as err:
            call()
        msg = str(err.value)
        assert "SABUESO_LLM_BASE_URL" in msg and "SABUESO_LLM_MODEL" in msg and "[llm]" in msg


def test_config_file_and_environment_override(monkeypatch, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m1"\napi_key = "k"\n')
    monkeypatch.setenv("SABUESO_CONFIG", str(cfg))
    for var in ("SABUESO_LLM_BASE_URL", "SABUESO_LLM_MODEL", "SABUESO_LLM_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    c = llm_config()
    assert (c["base_url"], c["model"], c["api_key"], c["tries"]) == ("http://127.0.0.1:9/v1", "m1", "k", 3)
    monkeypatch.setenv("SABUESO_LLM_MODEL", "m2")
    assert llm_config()["model"] == "m2"


def test_cache_hit_avoids_a_second_request(fake, tmp_path, monkeypatch):
    fake.push(valid_payload())
    first, _ = extract_llm(doc())
    second, _ = extract_llm(doc())
    assert len(fake.requests) == 1
    assert first.to_format() == second.to_format()
    monkeypatch.setenv("SABUESO_LLM_MODEL", "other-model")   # another model: another key
    fake.push(valid_payload())
    extract_llm(doc())
    assert len(fake.requests) == 2


def test_long_document_is_chunked_and_merged(fake):
    filler = " ".join(["Residents of Villa Esmeralda describe a quiet market town."] * 130)
    last = "Ramiro Quintanilla leads the Banda del Cóndor Gris, residents say."
    text = f"{S_BASE}\n\n{filler}\n\n{last}"
    spans = chunk_spans(text)
    assert len(spans) >= 2 and all(e - s <= 6000 for s, e in spans)
    assert all(spans[i + 1][0] < spans[i][1] for i in range(len(spans) - 1))   # overlap

    def reply(body):
        chunk = body["messages"][-1]["content"]
        rels = [r for r in [rel("BASED_IN", "e1", "e3", S_BASE), rel("LEADER_OF", "e2", "e1", last)]
                if r["evidence"] in chunk]
        ents = [e for e in entities() if e["name"] in chunk]
        return {"entities": ents, "relations": rels, "events": [], "quantities": []}
    for _ in spans:
        fake.push(reply)
    ext, _ = extract_llm(doc(text))
    assert len(fake.requests) == len(spans)
    assert sorted(e.name for e in ext.entities).count("Villa Esmeralda") == 1
    assert sorted(c.type for c in ext.claims) == ["BASED_IN", "LEADER_OF"]
    assert all(text[c.start:c.end] == c.evidence for c in ext.claims)


def test_merge_has_no_duplicate_claims():
    d = doc()
    a = Extraction(document=d, entities=[Entity("e1", "CriminalGroup", "Banda del Cóndor Gris"),
                                         Entity("e2", "CriminalGroup", "Los Grises")])
    a.claims = [Claim("RIVAL_OF", "e1", "e2", S_BASE, 0, len(S_BASE)).finalise(d.id)]
    b = Extraction(document=d, entities=[Entity("e1", "CriminalGroup", "Los Grises"),
                                         Entity("e2", "CriminalGroup", "banda del condor gris")])
    b.claims = [Claim("RIVAL_OF", "e1", "e2", S_BASE, 0, len(S_BASE), extractor="llm"),
                Claim("RIVAL_OF", "e1", "e2", S_BASE, 0, len(S_BASE), modality="hedged", extractor="llm")]
    m = merge(d, [a, b], keep_first_ids=True)
    assert [e.id for e in m.entities] == ["e1", "e2"]
    assert [(c.modality, c.extractor) for c in m.claims] == [("asserted", "rules"), ("hedged", "llm")]
    assert m.claims[0].id == a.claims[0].id


RULES_TEXT = ("Ramiro Quintanilla is the leader of the Cóndor Gris gang. "
              "The gang is based in the city of Villa Esmeralda, in Colombia.")


def test_rules_plus_llm_merge(fake):
    rules, none = extract_with(doc(RULES_TEXT), "rules")
    assert none is None and rules.claims, "the rule extractor should find something here"
    ents = {e.id: e for e in rules.entities}
    payload = {"entities": [{"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases}
                            for e in rules.entities if e.name in RULES_TEXT],
               "relations": [rel(c.type, c.subject, c.object, c.evidence, c.modality)
                             for c in rules.claims if c.subject in ents], "events": [], "quantities": []}
    lead, base = RULES_TEXT.split(". ")
    payload["entities"].append({"id": "x1", "type": "Person", "name": "RAMIRO QUINTANILLA"})
    payload["entities"].append({"id": "x2", "type": "CriminalGroup", "name": "cóndor gris"})
    payload["entities"].append({"id": "x3", "type": "Place", "name": "Colombia"})
    payload["relations"].append(rel("LEADER_OF", "x1", "x2", lead))    # the same fact again
    payload["relations"].append(rel("OPERATES_IN", "x2", "x3", base))  # new
    fake.push(payload)
    merged, report = extract_with(doc(RULES_TEXT), "rules+llm")
    assert isinstance(report, GroundingReport)
    keys = [(c.type, c.subject, c.object, c.modality) for c in merged.claims]
    rule_keys = [(c.type, c.subject, c.object, c.modality) for c in rules.claims]
    assert keys[:len(rule_keys)] == rule_keys                       # rules untouched, first
    assert len(set(keys) - set(rule_keys)) == len(keys) - len(rule_keys)  # nothing re-added
    assert {c.extractor for c in merged.claims[:len(rule_keys)]} <= {"rules", "gazetteer", "learned"}
    assert all(c.extractor == "llm" for c in merged.claims[len(rule_keys):])
    assert [c.type for c in merged.claims if c.extractor == "llm"] == ["OPERATES_IN"]
    norms = [(e.type, e.name.casefold()) for e in merged.entities]
    assert len(norms) == len(set(norms))


def test_prompt_comes_from_the_ontology():
    from sabueso.ontology import get_ontology
    onto, prompt = get_ontology(), system_prompt("en")
    for name in [*onto.entity_types, *onto.relations, *onto.activity_labels, *onto.event_types]:
        assert name in prompt
