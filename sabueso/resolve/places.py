"""Offline place gazetteer: countries, subdivisions, cities and towns (see :mod:`.gazdata`).

Names are matched after accent stripping and case folding. Two uses:

- :meth:`Gazetteer.lookup` (the extractor's typing): countries, first-level subdivisions and
  cities of 15,000+ inhabitants, best record preferring the document's countries.
- :meth:`Gazetteer.link` (the store): also lower subdivisions and small towns, and never a
  small namesake abroad: a name the document's countries do not have, but several other
  countries do, is placed inside the document's main country without coordinates (a "San
  Vicente" in a Venezuelan story is not the Argentinian town). :meth:`Gazetteer.parents` gives
  the containing state and country (the LOCATED_IN hierarchy).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .gazdata import key, load

__all__ = ["RANK", "Place", "Gazetteer", "gazetteer", "key"]

RANK = {"country": 0, "state": 1, "region": 1, "municipality": 2, "city": 3,
        "neighborhood": 4, "prison": 5, "route": 2}

#: A namesake abroad this big is taken as meant even against the document's countries...
FAMOUS = 1_000_000
#: ... and a lone namesake abroad at least this big (smaller towns abroad are not).
TOWN = 100_000


@dataclass(frozen=True)
class Place:
    name: str
    kind: str                   # country | state | municipality | city (neighborhood, ...)
    country: str                # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    code: str = ""              # ISO code for countries and subdivisions
    level: int | None = None    # administrative level: 0 country, 1 state, 2 municipality, 3 city
    geo_id: str = ""            # gazetteer record id ("iso:VE-D", "gn:3632998", "csc:12345")
    parent: str = ""            # geo_id of the containing record ("" for countries)


class Gazetteer:
    def __init__(self, data: dict | None = None) -> None:
        data = data or load()
        self._records: list[tuple] = data["records"]
        self._core: dict[str, list[int]] = data["core"]
        self._extra: dict[str, list[int]] = data["extra"]
        self._places: dict[int, Place] = {}
        self._geo: dict[str, int] | None = None

    def _place(self, n: int) -> Place:
        p = self._places.get(n)
        if p is None:
            p = self._places[n] = Place(*self._records[n])
        return p

    def candidates(self, name: str, extra: bool = False) -> list[Place]:
        k = key(name)
        rows = list(self._core.get(k, ()))
        if extra:
            rows += [n for n in self._extra.get(k, ()) if n not in rows]
        return [self._place(n) for n in rows]

    def lookup(self, name: str, countries: dict[str, int] | None = None,
               kind: str | None = None) -> Place | None:
        """Best record for a name, preferring the document's countries, then kind, then size."""
        cands = self.candidates(name)
        if not cands:
            return None
        countries = countries or {}

        def score(p: Place) -> tuple:
            kind_ok = 1 if kind and (p.kind == kind or (kind == "municipality" and p.kind == "city")) else 0
            return (p.kind == "country", countries.get(p.country, 0) > 0, kind_ok,
                    countries.get(p.country, 0), -RANK.get(p.kind, 9), p.population)
        return max(cands, key=score)

    def link(self, name: str, countries: dict[str, int] | None = None,
             kind: str | None = None, within: str | None = None) -> Place | None:
        """The gazetteer record a stored place refers to, read in its document's context.

        ``countries`` weighs the document's countries (ISO alpha-2 -> weight); ``within`` is
        the country the place is known to be in. A place with no record in ``within``, or
        (without it) a name with no record in the context countries whose best record abroad
        is a town of under ``TOWN`` people or one of several namesakes in other countries, is
        a record inside that country (or the heaviest context country): name, kind and
        country, no coordinates, no ``geo_id``.
        """
        cands = self.candidates(name, extra=True)
        if not cands:
            return None
        countries = {c: w for c, w in (countries or {}).items() if c and w > 0}

        def score(p: Place) -> tuple:
            kind_ok = kind in (p.kind, None) or (kind == "municipality" and p.kind == "city")
            return (p.kind == "country", countries.get(p.country, 0), kind_ok,
                    p.population, -RANK.get(p.kind, 9), p.geo_id)
        best = max(cands, key=score)
        if best.kind == "country":
            return best
        if within:
            inside = [p for p in cands if p.country == within]
            return max(inside, key=score) if inside else self._inside(name, best, kind, within)
        if not countries or best.country in countries:
            return best
        if best.kind == "city" and best.population < TOWN or (
                len({p.country for p in cands}) > 1 and not (best.kind == "city" and best.population >= FAMOUS)):
            return self._inside(name, best, kind, max(sorted(countries), key=lambda c: countries[c]))
        return best

    @staticmethod
    def _inside(name: str, best: Place, kind: str | None, country: str) -> Place:
        kind = kind or best.kind
        return Place(best.name if key(best.name) == key(name) else name, kind, country,
                     level=RANK.get(kind), parent="iso:" + country)

    def by_geo(self, geo_id: str) -> Place | None:
        if self._geo is None:
            self._geo = {}
            for n, rec in enumerate(self._records):
                self._geo.setdefault(rec[8], n)
        n = self._geo.get(geo_id)
        return None if n is None else self._place(n)

    def parents(self, place: Place) -> list[Place]:
        """The records containing ``place``, nearest first (state, then country)."""
        out: list[Place] = []
        parent = place.parent
        while parent and len(out) < 4:
            p = self.by_geo(parent)
            if p is None or p in out:
                break
            out.append(p)
            parent = p.parent
        return out

    def is_country(self, name: str) -> Place | None:
        for p in self.candidates(name):
            if p.kind == "country":
                return p
        return None

    def country_record(self, iso: str) -> Place | None:
        return self.by_geo("iso:" + iso.upper()) if iso else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
