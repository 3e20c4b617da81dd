"""Flat CSV tables for spreadsheets: documents, entities, claims, events, quantities.

One file per table in the output folder, UTF-8 with a header row. Ids are the store's ids; each
claim, event and quantity row also names its entities and its document, and keeps the
evidence sentence with its character offsets, its modality and attribution, and ``wording``:
how sure the text is, in words ("according to police", "the text says it is not so"; "low
confidence" for a low learned score). List/dict values are JSON strings; entity aliases are
joined with ``; ``.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from ..analyze.graph import read_store
from ..report.wording import confidence_words, status_words

COLUMNS = {
    "documents.csv": ["id", "title", "path", "url", "publisher", "published", "lang"],
    "entities.csv": ["id", "type", "name", "aliases", "place_kind", "country", "lat", "lon"],
    "claims.csv": ["id", "type", "subject_id", "subject_name", "object_id", "object_name",
                   "object_value", "modality", "attributed_to", "since", "until", "qualifiers",
                   "evidence", "start", "end", "extractor", "doc_id", "doc_title", "confidence",
                   "wording"],
    "events.csv": ["id", "type", "date", "place_id", "place_name", "participant_ids",
                   "participant_names", "casualties", "modality", "evidence", "start", "end",
                   "extractor", "doc_id", "doc_title", "attributed_to", "wording"],
    "quantities.csv": ["id", "subject_id", "subject_name", "measure", "value", "qualifier",
                       "evidence", "start", "end", "extractor", "doc_id", "doc_title",
                       "modality", "attributed_to", "confidence", "wording"],
}


def _write(path: Path, columns: list[str], rows: list[dict]) -> int:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return len(rows)


def _wording(item: dict, kind: str) -> str:
    """How sure the text is, in words ('according to police; low confidence (0.31)')."""
    low = confidence_words(item.get("confidence"))
    return status_words(item, kind) + (f"; {low}" if low else "")


def tables(data: dict) -> dict[str, list[dict]]:
    """The rows of every CSV file, from :func:`sabueso.analyze.graph.read_store` data."""
    names = {e["id"]: e["name"] for e in data["entities"]}
    entities = [{**e, "aliases": "; ".join(e["aliases"])} for e in data["entities"]]
    claims = [{**c, "subject_id": c["subject"], "subject_name": names.get(c["subject"]),
               "object_id": c["object"], "object_name": names.get(c["object"]),
               "qualifiers": json.dumps(c["qualifiers"], ensure_ascii=False, sort_keys=True),
               "wording": _wording(c, "claim")}
              for c in data["claims"]]
    events = [{**v, "place_id": v["place"], "place_name": names.get(v["place"]),
               "participant_ids": json.dumps(v["participants"]),
               "participant_names": json.dumps([names.get(p, p) for p in v["participants"]],
                                               ensure_ascii=False),
               "wording": _wording(v, "event")}
              for v in data["events"]]
    quantities = [{**q, "subject_id": q["subject"], "subject_name": names.get(q["subject"]),
                   "wording": _wording(q, "figure")}
                  for q in data["quantities"]]
    return {"documents.csv": list(data["documents"].values()), "entities.csv": entities,
            "claims.csv": claims, "events.csv": events, "quantities.csv": quantities}


def write_csvs(store, folder: str | Path, data: dict | None = None) -> dict[Path, int]:
    """Write every table into ``folder`` (created); returns file -> number of data rows."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = data if data is not None else read_store(store)
    out = {}
    for name, rows in tables(data).items():
        path = folder / name
        out[path] = _write(path, COLUMNS[name], rows)
    return out
