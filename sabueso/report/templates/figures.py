"""Sentence templates for figures: a measure's sentence and its hedged form, and the figure
with its qualifier in words ('more than 2,700', 'several thousand')."""
from __future__ import annotations

# measure -> (sentence, its hedged form); {s}: the subject, {n}: the figure with its qualifier
# ("more than 20"), {m}: the measure in words
MEASURES = {"members": ("{s} has {n} members", "{s} may have {n} members"),
            "cells": ("{s} has {n} cells or factions", "{s} may have {n} cells or factions"),
            "principal_enclaves": ("{s} has {n} principal enclaves",
                                   "{s} may have {n} principal enclaves"),
            "states_present": ("{s} is present in {n} states", "{s} may be present in {n} states"),
            "countries_present": ("{s} is present in {n} countries",
                                  "{s} may be present in {n} countries"),
            "neighborhoods": ("{s} is linked to a figure of {n} neighborhoods",
                              "{s} may be linked to a figure of {n} neighborhoods"),
            "killed": ("{n} deaths are recorded in connection with {s}",
                       "{n} deaths may be linked to {s}"),
            "arrested": ("{n} arrests are recorded in connection with {s}",
                         "{n} arrests may be linked to {s}")}
MEASURE_DEFAULT = ("{s} is associated with a figure of {n} ({m})",
                   "{s} may be associated with a figure of {n} ({m})")
SEVERAL = {100: "hundred", 1000: "thousand", 1000000: "million"}


def figure(value: float, qualifier: str | None) -> str:
    """'more than 2,700', 'several thousand', '3.5'."""
    value = int(value) if float(value).is_integer() else value
    if qualifier == "several" and value in SEVERAL:
        return f"several {SEVERAL[value]}"
    return f"{qualifier + ' ' if qualifier else ''}{value:,}"
