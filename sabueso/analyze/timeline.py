"""Chronology of one entity: its dated events and its dated claims (since/until), in order.

Entries merge repeated statements of the same fact on the same date (from several sentences or
documents); each keeps every supporting claim or event, so each can be cited.
"""
from __future__ import annotations

import re

import networkx as nx

from .graph import claims_of

_DATE = re.compile(r"(\d{4})(s)?(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_LATE = re.compile(r"\b(late|finales|fines)\b", re.I)
_EARLY = re.compile(r"\b(early|principios|inicios)\b", re.I)


def date_key(value: str | None) -> tuple[int, int, int, str]:
    """A sort key for the free-form dates the extractor produces ('2019-05-04', '2000s', ...).

    Undated values sort last; a decade sorts before its first year; 'early'/'late' shift a year.
    """
    if not value:
        return (9999, 99, 99, "")
    m = _DATE.search(str(value))
    if not m:
        return (9998, 99, 99, str(value))
    year = int(m.group(1))
    if m.group(2):  # a decade, e.g. "2000s"
        return (year, 0, 0, str(value))
    month = int(m.group(3) or 0)
    day = int(m.group(4) or 0)
    if not month:
        month = 1 if _EARLY.search(str(value)) else 11 if _LATE.search(str(value)) else 0
    return (year, month, day, str(value))


def is_dated(value: str | None) -> bool:
    return date_key(value)[0] < 9998


def _claim_entries(g: nx.MultiDiGraph, node: str, min_confidence: float | None = None) -> dict[tuple, dict]:
    entries: dict[tuple, dict] = {}
    for c in claims_of(g, node, min_confidence):
        date = c.get("since") if is_dated(c.get("since")) else c.get("until")
        if not is_dated(date):
            continue
        quals = tuple(sorted((k, str(v)) for k, v in (c.get("qualifiers") or {}).items()
                             if k in ("from", "to", "role")))
        key = ("claim", date, c["type"], c["subject"], c["object"] or c.get("object_value"),
               c["modality"], quals)
        e = entries.setdefault(key, {
            "kind": "claim", "date": date, "type": c["type"], "modality": c["modality"],
            "subject": c["subject"], "object": c["object"], "value": c.get("object_value"),
            "since": c.get("since"), "until": c.get("until"),
            "qualifiers": dict(c.get("qualifiers") or {}), "attributed_to": [], "items": []})
        if c.get("attributed_to") and c["attributed_to"] not in e["attributed_to"]:
            e["attributed_to"].append(c["attributed_to"])
        e["until"] = e["until"] or c.get("until")
        e["items"].append(c)
    return entries


def _event_entries(g: nx.MultiDiGraph, node: str) -> dict[tuple, dict]:
    entries: dict[tuple, dict] = {}
    for v in g.graph.get("events", []):
        if node not in v.get("participants", []) and v.get("place") != node:
            continue
        if not is_dated(v.get("date")):
            continue
        key = ("event", v["date"], v["type"], v.get("place"), tuple(sorted(v["participants"])),
               v["modality"])
        e = entries.setdefault(key, {
            "kind": "event", "date": v["date"], "type": v["type"], "modality": v["modality"],
            "place": v.get("place"), "participants": list(v["participants"]),
            "casualties": v.get("casualties"), "evidence": v.get("evidence"),
            "attributed_to": [], "items": []})
        if v.get("attributed_to") and v["attributed_to"] not in e["attributed_to"]:
            e["attributed_to"].append(v["attributed_to"])
        e["items"].append(v)
    return entries


def timeline(g: nx.MultiDiGraph, node: str, min_confidence: float | None = None) -> list[dict]:
    """Dated events and dated claims about ``node``, oldest first.

    Each entry has ``kind`` ('event' or 'claim'), ``date``, ``type``, ``modality`` and ``items``
    (the supporting events or claims, each with ``evidence``, ``doc_id`` and ``doc_title``);
    claim entries also carry ``subject``/``object``/``value``, ``since``/``until``,
    ``qualifiers`` and ``attributed_to`` (a list); event entries ``place``, ``participants``
    and ``casualties``. ``min_confidence`` leaves out claims scored below it.
    """
    entries = list(_claim_entries(g, node, min_confidence).values()) + \
        list(_event_entries(g, node).values())
    entries.sort(key=lambda e: (date_key(e["date"]), e["kind"] != "event", e["type"],
                                min((i.get("doc_id") or "", i.get("start") or 0)
                                    for i in e["items"])))
    return entries
