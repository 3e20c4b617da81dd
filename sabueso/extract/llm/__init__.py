"""Optional LLM extractor behind a grounding guard.

``extract_llm(document)`` sends the document (in overlapping chunks) to an OpenAI-compatible
chat endpoint with a prompt and JSON Schema generated from ``ontology.yaml``, validates each
reply, caches the valid ones on disk, and passes everything through the grounding guard
(:mod:`.grounding`): only entities, relations, events and quantities whose names and evidence
align to the text reach the :class:`~sabueso.core.Extraction`. ``extract_with(document, mode)``
picks "rules", "llm" or "rules+llm". Configuration: docs/llm.md.
"""
from __future__ import annotations

from ...core import Document, Extraction
from . import cache
from .client import CONFIG_HELP, LLMClient, LLMError, LLMNotConfigured, llm_config
from .grounding import ground
from .merge import merge, merge_rules_llm
from .prompt import PROMPT_VERSION, build_messages, chunk_spans, prompt_hash
from .report import GroundingReport
from .schema import response_schema, validate

MODES = ("rules", "llm", "rules+llm")

__all__ = ["CONFIG_HELP", "MODES", "PROMPT_VERSION", "GroundingReport", "LLMError",
           "LLMNotConfigured", "extract_llm", "extract_with", "llm_config", "response_schema"]


def _language(document: Document) -> str:
    if not document.lang:
        from ...nlp.langid import detect_language
        document.lang = detect_language(document.text)
    return document.lang


def _replies(document: Document, cfg: dict, spans: list[tuple[int, int]]) -> list[dict]:
    """One validated reply per chunk, from the cache or the model (all or nothing)."""
    lang, text = _language(document), document.text
    doc_hash, p_hash = cache.text_hash(text), prompt_hash(lang)
    client: LLMClient | None = None
    replies = []
    for n, (start, end) in enumerate(spans):
        chunk = text[start:end]
        key = cache.cache_key(cfg["model"], PROMPT_VERSION, p_hash, doc_hash, n, cache.text_hash(chunk))
        payload = cache.get(key)
        if payload is not None:
            try:
                replies.append(validate(payload, cfg["model"]))
                continue
            except LLMError:
                pass                      # a stale or damaged entry: ask again
        client = client or LLMClient(cfg)
        try:
            payload = validate(client.chat_json(build_messages(chunk, lang, n, len(spans))), cfg["model"])
        except LLMError as exc:
            where = f" (chunk {n + 1} of {len(spans)})" if len(spans) > 1 else ""
            raise LLMError(f"{exc}{where}") from exc
        cache.put(key, payload, {"model": cfg["model"], "prompt_version": PROMPT_VERSION,
                                 "doc_id": document.id, "chunk": n, "span": [start, end]})
        replies.append(payload)
    return replies


def extract_llm(document: Document) -> tuple[Extraction, GroundingReport]:
    """Grounded LLM extraction of one document (raises LLMNotConfigured / LLMError)."""
    cfg = llm_config()
    if cfg is None:
        raise LLMNotConfigured()
    spans = chunk_spans(document.text)
    replies = _replies(document, cfg, spans)
    report = GroundingReport()
    parts = [ground(payload, document, s, e, report) for payload, (s, e) in zip(replies, spans)]
    return merge(document, parts), report


def extract_with(document: Document, mode: str = "rules") -> tuple[Extraction, GroundingReport | None]:
    """Extract with "rules", "llm" or "rules+llm"; the report is None for "rules"."""
    if mode not in MODES:
        raise ValueError(f"unknown extractor {mode!r}; choose one of {', '.join(MODES)}")
    if mode == "llm":
        return extract_llm(document)
    if mode == "rules+llm" and llm_config() is None:
        raise LLMNotConfigured()          # fail before the slower rule pass
    from .. import extract_document
    rules = extract_document(document)
    if mode == "rules":
        return rules, None
    llm, report = extract_llm(document)
    return merge_rules_llm(rules, llm), report
