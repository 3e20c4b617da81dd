#!/usr/bin/env python3
"""Validate gold annotation files (*.gold.json) against FORMAT.md conventions.

Usage: python3 tests/corpus/validate_gold.py [DIR_OR_FILE ...]
Default: every *.gold.json under tests/corpus/. Exits 1 on any error.
Checks: valid JSON; doc file exists; unique ids; known entity/relation/event
types; relation, qualifier (from/to), event and quantity ids exist; ACTIVITY
objects are FORMAT.md activity labels; modality values; since/until years;
ISO dates; every evidence string is an exact substring of the text; twins
(same stem in en/ and es/) share person/group names and relation keys.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ENTITY_TYPES = {"CriminalGroup", "Person", "Organization", "GovernmentBody", "Prison", "Place", "Commodity"}
PLACE_KINDS = {"country", "state", "municipality", "city", "neighborhood", "region", "route"}
RELATION_TYPES = {"LEADER_OF", "MEMBER_OF", "FOUNDED_BY", "BASED_IN", "OPERATES_IN", "CONTROLS", "ACTIVITY",
                  "TRAFFICS", "AFFILIATED_WITH", "LOCATED_IN", "IMPRISONED_IN", "ESCAPED_FROM",
                  "HOLDS_POSITION", "FAMILY_OF", "PARTNER_OF", "ATTACKED", "ALLY_OF", "RIVAL_OF", "LINKED_TO"}
SYMMETRIC = {"ALLY_OF", "RIVAL_OF", "LINKED_TO", "FAMILY_OF", "PARTNER_OF"}
ACTIVITIES = {"extortion", "kidnapping", "homicide", "vehicle_theft", "drug_trafficking", "arms_trafficking",
              "human_trafficking", "migrant_smuggling", "contraband", "illegal_mining", "bribery", "robbery",
              "money_laundering", "sexual_exploitation", "prison_control"}
EVENT_TYPES = {"attack", "clash", "killing", "massacre", "kidnapping", "escape", "arrest", "imprisonment",
               "release", "extradition", "indictment", "sanction", "security_operation", "prison_raid",
               "prison_riot", "armed_strike", "transfer", "truce", "designation", "founding", "appointment",
               "expansion", "meeting", "visit", "seizure"}
MODALITIES = {"asserted", "reported", "hedged", "denied"}
DATE_RE = re.compile(r"^\d{4}(s|-\d{2}(-\d{2})?)?$")
YEAR_RE = re.compile(r"^\d{4}s?$")


def check(path: Path) -> list[str]:
    errs: list[str] = []
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"invalid JSON: {exc}"]
    text_path = path.with_name(gold.get("doc", ""))
    if not text_path.is_file():
        return [f"doc file not found: {text_path.name}"]
    text = text_path.read_text(encoding="utf-8")
    if gold.get("lang") not in ("en", "es", "pt"):
        errs.append(f"bad lang {gold.get('lang')!r}")
    ids = [e.get("id") for e in gold.get("entities", [])]
    if len(ids) != len(set(ids)):
        errs.append(f"duplicate entity ids: {sorted(i for i in set(ids) if ids.count(i) > 1)}")
    ents = {e["id"]: e for e in gold.get("entities", [])}
    for e in ents.values():
        if e.get("type") not in ENTITY_TYPES:
            errs.append(f"entity {e['id']}: bad type {e.get('type')!r}")
        if e.get("type") == "Place" and e.get("place_kind") not in PLACE_KINDS:
            errs.append(f"entity {e['id']}: bad place_kind {e.get('place_kind')!r}")
        c = e.get("country")
        if c is not None and not re.fullmatch(r"[A-Z]{2}", c):
            errs.append(f"entity {e['id']}: bad country {c!r}")
        for n in [e.get("name", ""), *(e.get("aliases") or [])]:
            if n and n not in text:
                errs.append(f"entity {e['id']}: surface form not in text: {n!r}")

    def ev(kind: str, i: int, s: str | None):
        if not s or text.find(s) < 0:
            errs.append(f"{kind} #{i}: evidence not found in text: {s!r}")

    for i, r in enumerate(gold.get("relations", [])):
        t = r.get("type")
        if t not in RELATION_TYPES:
            errs.append(f"relation #{i}: bad type {t!r}")
        if r.get("subject") not in ents:
            errs.append(f"relation #{i}: unknown subject {r.get('subject')!r}")
        if t == "ACTIVITY":
            if r.get("object") not in ACTIVITIES:
                errs.append(f"relation #{i}: bad activity label {r.get('object')!r}")
        elif r.get("object") not in ents:
            errs.append(f"relation #{i}: unknown object {r.get('object')!r}")
        if t == "TRAFFICS" and ents.get(r.get("object"), {}).get("type") != "Commodity":
            errs.append(f"relation #{i}: TRAFFICS object is not a Commodity")
        for q in ("from", "to"):
            v = (r.get("qualifiers") or {}).get(q)
            if v is not None and v not in ents:
                errs.append(f"relation #{i}: qualifier {q} -> unknown id {v!r}")
        if t == "HOLDS_POSITION" and not (r.get("qualifiers") or {}).get("role"):
            errs.append(f"relation #{i}: HOLDS_POSITION without role")
        m = r.get("modality")
        if m not in MODALITIES:
            errs.append(f"relation #{i}: bad modality {m!r}")
        if m == "reported" and not r.get("attributed_to"):
            errs.append(f"relation #{i}: reported without attributed_to")
        for k in ("since", "until"):
            if r.get(k) is not None and not YEAR_RE.match(str(r[k])):
                errs.append(f"relation #{i}: bad {k} {r[k]!r}")
        ev("relation", i, r.get("evidence"))
    for i, e in enumerate(gold.get("events", [])):
        if e.get("type") not in EVENT_TYPES:
            errs.append(f"event #{i}: bad type {e.get('type')!r}")
        if not DATE_RE.match(str(e.get("date"))):
            errs.append(f"event #{i}: bad date {e.get('date')!r}")
        if e.get("place") is not None and e["place"] not in ents:
            errs.append(f"event #{i}: unknown place {e['place']!r}")
        for p in e.get("participants", []):
            if p not in ents:
                errs.append(f"event #{i}: unknown participant {p!r}")
        if e.get("casualties") is not None and not isinstance(e["casualties"], int):
            errs.append(f"event #{i}: casualties not an integer")
        ev("event", i, e.get("evidence"))
    for i, q in enumerate(gold.get("quantities", [])):
        if q.get("subject") not in ents:
            errs.append(f"quantity #{i}: unknown subject {q.get('subject')!r}")
        if not isinstance(q.get("value"), (int, float)):
            errs.append(f"quantity #{i}: value not a number")
        ev("quantity", i, q.get("evidence"))
    return errs


def rel_keys(gold: dict) -> set:
    names = {e["id"]: e["name"] for e in gold["entities"]}
    keys = set()
    for r in gold["relations"]:
        s = names[r["subject"]]
        o = r["object"] if r["type"] == "ACTIVITY" else names[r["object"]]
        key = (r["type"], s, o)
        if r["type"] in SYMMETRIC:
            key = (r["type"], *sorted((s, o)))
        keys.add((key, r["modality"]))
    return keys


def check_twins(files: list[Path]) -> list[str]:
    errs = []
    by_name = {(p.parent.name, p.name): p for p in files}
    for (lang, name), p in by_name.items():
        if lang != "en" or ("es", name) not in by_name:
            continue
        en = json.loads(p.read_text(encoding="utf-8"))
        es = json.loads(by_name[("es", name)].read_text(encoding="utf-8"))
        pick = lambda g: {(e["type"], e["name"]) for e in g["entities"] if e["type"] in ("Person", "CriminalGroup")}
        if pick(en) != pick(es):
            errs.append(f"twin {name}: person/group names differ: {pick(en) ^ pick(es)}")
        if [e["id"] for e in en["entities"]] != [e["id"] for e in es["entities"]]:
            errs.append(f"twin {name}: entity ids differ")
        ken = {(r["type"], r["subject"], r["object"], r["modality"]) for r in en["relations"]}
        kes = {(r["type"], r["subject"], r["object"], r["modality"]) for r in es["relations"]}
        if ken != kes:
            errs.append(f"twin {name}: relations differ: {ken ^ kes}")
        if len(en["events"]) != len(es["events"]) or len(en["quantities"]) != len(es["quantities"]):
            errs.append(f"twin {name}: event/quantity counts differ")
    return errs


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path(__file__).parent]
    files = sorted(f for r in roots for f in ([r] if r.is_file() else r.rglob("*.gold.json")))
    bad = 0
    for f in files:
        errs = check(f)
        g = json.loads(f.read_text(encoding="utf-8")) if not any("invalid JSON" in e for e in errs) else {}
        counts = f"{len(g.get('entities', []))} ents, {len(g.get('relations', []))} rels, " \
                 f"{len(g.get('events', []))} events, {len(g.get('quantities', []))} quants"
        print(f"{'OK ' if not errs else 'ERR'} {f}  ({counts})")
        for e in errs:
            print("    " + e)
        bad += bool(errs)
    for e in check_twins(files):
        print("ERR " + e)
        bad += 1
    print(f"{len(files)} files, {bad} with errors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
