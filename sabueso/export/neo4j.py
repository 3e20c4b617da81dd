"""Neo4j import files: ``nodes.csv`` and ``relationships.csv`` with neo4j-admin headers
(``:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``) plus ``load.cypher``, a
``LOAD CSV`` script for a running server (files in its import folder).

Nodes: every entity (labels ``Entity`` and its type), every activity or other label value
(``Label``), every event (``Event``) and document (``Document``). Relationships: one per claim
(type = the claim's relation, with modality, attribution, dates and evidence as properties),
plus ``INVOLVES`` and ``OCCURRED_IN`` from events and ``REPORTED_IN`` from events to documents.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from ..analyze.graph import read_store
from ..report.wording import label

NODE_HEADER = ["id:ID", ":LABEL", "name", "type", "aliases:string[]", "country", "place_kind",
               "lat:float", "lon:float", "date", "modality", "evidence", "doc_id", "url"]
REL_HEADER = [":START_ID", ":END_ID", ":TYPE", "claim_id", "modality", "attributed_to", "since",
              "until", "qualifiers", "evidence", "start:int", "end:int", "doc_id", "doc_title"]


def _label(value: str) -> str:
    return re.sub(r"\W", "_", value or "Unknown")


def rows(data: dict) -> tuple[list[dict], list[dict]]:
    """(node rows, relationship rows) keyed by the CSV headers."""
    nodes = [{"id:ID": e["id"], ":LABEL": f"Entity;{_label(e['type'])}", "name": e["name"],
              "type": e["type"], "aliases:string[]": ";".join(e["aliases"]),
              "country": e["country"], "place_kind": e["place_kind"], "lat:float": e["lat"],
              "lon:float": e["lon"]} for e in data["entities"]]
    rels, values = [], {}
    for c in data["claims"]:
        end = c["object"]
        if not end:
            end = "label:" + _label(c["type"]) + ":" + str(c["object_value"])
            values.setdefault(end, {"id:ID": end, ":LABEL": "Label", "name": label(c["object_value"]),
                                    "type": c["type"]})
        rels.append({":START_ID": c["subject"], ":END_ID": end, ":TYPE": _label(c["type"]),
                     "claim_id": c["id"], "modality": c["modality"],
                     "attributed_to": c["attributed_to"], "since": c["since"],
                     "until": c["until"], "qualifiers": json.dumps(c["qualifiers"],
                                                                   ensure_ascii=False),
                     "evidence": c["evidence"], "start:int": c["start"], "end:int": c["end"],
                     "doc_id": c["doc_id"], "doc_title": c["doc_title"]})
    nodes += list(values.values())
    known = {e["id"] for e in data["entities"]}
    for v in data["events"]:
        nodes.append({"id:ID": v["id"], ":LABEL": "Event", "name": label(v["type"]), "type": v["type"],
                      "date": v["date"], "modality": v["modality"], "evidence": v["evidence"],
                      "doc_id": v["doc_id"]})
        base = {"modality": v["modality"], "attributed_to": v.get("attributed_to"),
                "evidence": v["evidence"], "doc_id": v["doc_id"],
                "doc_title": v["doc_title"], "start:int": v["start"], "end:int": v["end"]}
        for p in v["participants"]:
            if p in known:
                rels.append({":START_ID": v["id"], ":END_ID": p, ":TYPE": "INVOLVES", **base})
        if v["place"] in known:
            rels.append({":START_ID": v["id"], ":END_ID": v["place"], ":TYPE": "OCCURRED_IN",
                         **base})
        rels.append({":START_ID": v["id"], ":END_ID": v["doc_id"], ":TYPE": "REPORTED_IN",
                     "doc_id": v["doc_id"], "doc_title": v["doc_title"]})
    for d in data["documents"].values():
        nodes.append({"id:ID": d["id"], ":LABEL": "Document", "name": d.get("title") or d["id"],
                      "type": "Document", "url": d.get("url")})
    return nodes, rels


def cypher(nodes: list[dict], rels: list[dict]) -> str:
    """A LOAD CSV script creating the nodes (one MERGE per label set) and relationships."""
    out = ["// Sabueso export. Copy nodes.csv and relationships.csv into Neo4j's import folder,\n"
           "// then run this script (e.g. cypher-shell -f load.cypher). Or, offline:\n"
           "// neo4j-admin database import full --nodes=nodes.csv "
           "--relationships=relationships.csv neo4j",
           "CREATE CONSTRAINT sabueso_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;"]
    for labels in sorted({n[":LABEL"] for n in nodes}):
        names = ":".join(["Node", *labels.split(";")])
        out.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row\n"
            f"WITH row WHERE row.`:LABEL` = '{labels}'\n"
            f"MERGE (n:{names} {{id: row.`id:ID`}})\n"
            "SET n.name = row.name, n.type = row.type, n.country = row.country,\n"
            "    n.place_kind = row.place_kind, n.date = row.date, n.modality = row.modality,\n"
            "    n.evidence = row.evidence, n.doc_id = row.doc_id, n.url = row.url,\n"
            "    n.lat = toFloat(row.`lat:float`), n.lon = toFloat(row.`lon:float`),\n"
            "    n.aliases = CASE WHEN row.`aliases:string[]` IS NULL THEN [] "
            "ELSE split(row.`aliases:string[]`, ';') END;")
    for rtype in sorted({r[":TYPE"] for r in rels}):
        out.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n"
            f"WITH row WHERE row.`:TYPE` = '{rtype}'\n"
            "MATCH (a:Node {id: row.`:START_ID`}), (b:Node {id: row.`:END_ID`})\n"
            f"CREATE (a)-[r:{rtype}]->(b)\n"
            "SET r.claim_id = row.claim_id, r.modality = row.modality,\n"
            "    r.attributed_to = row.attributed_to, r.since = row.since, r.until = row.until,\n"
            "    r.qualifiers = row.qualifiers, r.evidence = row.evidence,\n"
            "    r.start = toInteger(row.`start:int`), r.end = toInteger(row.`end:int`),\n"
            "    r.doc_id = row.doc_id, r.doc_title = row.doc_title;")
    return "\n\n".join(out) + "\n"


def statements(script: str) -> int:
    """How many Cypher statements ``script`` holds (each ends with ``;`` at the end of a line)."""
    return sum(1 for line in script.splitlines() if line.rstrip().endswith(";")
               and not line.lstrip().startswith("//"))


def write_neo4j(store, folder: str | Path, data: dict | None = None) -> dict[Path, int]:
    """Write nodes.csv, relationships.csv and load.cypher; returns file -> data rows for the CSV
    files and -> Cypher statements for the script."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes, rels = rows(data if data is not None else read_store(store))
    out = {}
    for name, header, items in (("nodes.csv", NODE_HEADER, nodes),
                                ("relationships.csv", REL_HEADER, rels)):
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
            writer.writeheader()
            for row in items:
                writer.writerow({k: "" if row.get(k) is None else row[k] for k in header})
        out[folder / name] = len(items)
    script = cypher(nodes, rels)
    (folder / "load.cypher").write_text(script, encoding="utf-8")
    out[folder / "load.cypher"] = statements(script)
    return out
