"""Render an entity profile as Markdown (``[^n]`` footnotes) or self-contained HTML.

Prose comes only from :mod:`sabueso.report.templates.phrases`; the articles' sentences appear
only inside footnotes, each naming its document. HTML is rendered by Jinja2 with autoescape.
A section with nothing in it gets no heading: one line names every empty section.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import networkx as nx
from jinja2 import Environment

from ..analyze.graph import build_graph
from ..analyze.profile import SECTIONS, collect
from .templates import PROFILE_HTML, Phraser

def _agg_key(f: dict) -> tuple:
    return (f["type"], f["subject"], f["modality"], tuple(f["attributed_to"]), f["since"],
            f["until"], tuple(sorted((k, str(v)) for k, v in f["qualifiers"].items())))


def _qty_key(q: dict) -> tuple:
    """Figures that read the same: measure, value, qualifier and modality."""
    return (q["measure"], q["value"], q.get("qualifier"), q.get("modality") or "asserted")


def _claim_fact(entry: dict) -> dict:
    return {"type": entry["type"], "subject": entry["subject"], "object": entry["object"],
            "value": entry["value"], "modality": entry["modality"],
            "qualifiers": {k: v for k, v in entry["qualifiers"].items()
                           if k in ("from", "to", "role")},
            "attributed_to": entry["attributed_to"], "since": entry["since"],
            "until": entry["until"], "claims": entry["items"],
            "docs": {i.get("doc_id") for i in entry["items"]}}


def section_sentences(ph: Phraser, title: str, items: list[dict], names: list[dict],
                      entity: dict) -> list[list]:
    """The sentences (segment lists) of one section, facts with one wording merged."""
    out: list[list] = []
    groups: dict[tuple, list[dict]] = {}
    quantities: dict[tuple, list[dict]] = {}
    for item in items:
        if item["kind"] == "fact":
            groups.setdefault(_agg_key(item["fact"]), []).append(item["fact"])
        elif item["kind"] == "quantity":
            q = item["quantity"]
            quantities.setdefault(_qty_key(q), []).append(q)
    done: set = set()
    for item in items:
        kind = item["kind"]
        if kind == "identity":
            out.append(ph.identity(entity, names))
        elif kind == "quantity":
            q = item["quantity"]
            key = _qty_key(q)
            if key not in done:
                done.add(key)
                out.append(ph.quantity(q, quantities[key]))
        elif kind == "fact":
            key = _agg_key(item["fact"])
            if key not in done:
                done.add(key)
                out.append(ph.facts(groups[key]))
        elif kind == "event":
            out.append(ph.event(item["event"], item["items"]))
        elif kind == "timeline":
            e = item["entry"]
            body = ph.event(e, e["items"]) if e["kind"] == "event" else ph.facts([_claim_fact(e)])
            out.append([f"{e['date']}: "] + body)
    return out


def md_escape(text: str) -> str:
    """Backslash-escape what Markdown would read as markup or raw HTML (``<script>``...)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"(?i)^https?://", url) else None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def build(g: nx.MultiDiGraph, node: str, store=None, min_confidence: float | None = None) -> dict:
    """Sections of numbered sentences, the footnotes and the cited sources of one profile;
    ``empty``: the titles of the sections with nothing in them (shown as one line, not as
    headings). ``min_confidence`` leaves out claims and figures scored below it."""
    data = collect(g, node, store, min_confidence)
    ph = Phraser(g, node)
    notes: dict[tuple, dict] = {}
    sections = []
    for title in SECTIONS:
        sentences = []
        for segs in section_sentences(ph, title, data["sections"][title], data["names"],
                                      data["entity"]):
            parts = []
            for seg in segs:
                if isinstance(seg, str):
                    parts.append({"text": seg})
                    continue
                refs = []
                for c in seg["cite"]:
                    key = (c.get("doc_id"), c.get("start"), c.get("end"), c.get("evidence"))
                    note = notes.setdefault(key, {
                        "n": len(notes) + 1, "doc_id": c.get("doc_id"),
                        "doc_title": _one_line(c.get("doc_title") or c.get("doc_id")),
                        "doc_url": _safe_url(c.get("doc_url")), "start": c.get("start"),
                        "end": c.get("end"), "evidence": _one_line(c.get("evidence"))})
                    if note["n"] not in refs:
                        refs.append(note["n"])
                parts.append({"refs": sorted(refs)})
            sentences.append(parts)
        sections.append((title, sentences))
    docs = g.graph.get("documents", {})
    sources: dict[str, dict] = {}
    for note in notes.values():
        d = docs.get(note["doc_id"], {})
        s = sources.setdefault(note["doc_id"], {
            "title": note["doc_title"], "url": _safe_url(d.get("url")),
            "publisher": d.get("publisher"), "published": d.get("published"), "cited": 0})
        s["cited"] += 1
    empty = [t for t, sentences in sections if not sentences and t != "Sources"]
    return {"entity": data["entity"], "sections": sections, "footnotes": list(notes.values()),
            "sources": list(sources.values()), "empty": empty}


def nothing_on(empty: list[str]) -> str:
    """One line for every empty section: 'Nothing recorded on history, leadership or timeline.'"""
    words = [t.lower() for t in empty]
    if not words:
        return ""
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"Nothing recorded on {listed}."


def to_markdown(p: dict) -> str:
    lines = [f"# {md_escape(p['entity']['name'])}", ""]
    for title, sentences in p["sections"]:
        if title == "Sources" and p.get("empty"):
            lines += [f"_{nothing_on(p['empty'])}_", ""]
        if not sentences and title != "Sources":
            continue                     # an empty section is one word in that line, no heading
        lines += [f"## {title}", ""]
        if title == "Sources":
            for s in p["sources"]:
                extra = ", ".join(x for x in (s["publisher"], s["published"], s["url"]) if x)
                lines.append(f"- {md_escape(s['title'])}{', ' + md_escape(extra) if extra else ''} — cited "
                             f"{s['cited']} time{'' if s['cited'] == 1 else 's'}")
            if not p["sources"]:
                lines.append("_No sources cited._")
        for parts in sentences:
            lines.append("- " + "".join(md_escape(x["text"]) if "text" in x else
                                        "".join(f"[^{n}]" for n in x["refs"]) for x in parts))
        lines.append("")
    for f in p["footnotes"]:
        where = f" ({f['doc_url']})" if f["doc_url"] else ""
        span = f", characters {f['start']}–{f['end']}" if f["start"] is not None else ""
        lines.append(f"[^{f['n']}]: *{md_escape(f['doc_title'])}*{where}{span}: "
                     f"“{md_escape(f['evidence'])}”")
    return "\n".join(lines).rstrip() + "\n"


def to_html(p: dict) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return env.from_string(PROFILE_HTML).render(
        title=f"{p['entity']['name']} — Sabueso profile", entity=p["entity"], generated=now,
        sections=p["sections"], footnotes=p["footnotes"], sources=p["sources"],
        nothing=nothing_on(p.get("empty") or []))


def render_profile(store, entity_id: str, fmt: str = "md", g: nx.MultiDiGraph | None = None,
                   min_confidence: float | None = None) -> str:
    """The profile of ``entity_id`` from ``store`` as Markdown (``md``) or HTML (``html``);
    ``min_confidence`` leaves out claims and figures whose learned score is below it."""
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown profile format {fmt!r}; expected md or html")
    g = g if g is not None else build_graph(store)
    p = build(g, entity_id, store, min_confidence)
    return to_markdown(p) if fmt == "md" else to_html(p)
