"""Continents and world regions: places with no country (never geocoded inside one).

A document about Colombia that names "Europe" or "the Caribbean" does not put them in
Colombia; without this list the gazetteer link would place an unknown name inside the
document's main country, and each country would give "Europe" its own entity.
"""
from __future__ import annotations

from .names import norm_name

#: Normalised names (accents, case and a leading article dropped) in English, Spanish and
#: Portuguese. Not the oceans: "el Pacífico" in a Colombian story is that country's coast,
#: and Atlántico a Colombian department.
WORLD_REGIONS = frozenset(norm_name(n) for n in (
    "Africa", "África", "Asia", "Ásia", "Europe", "Europa", "Oceania", "Oceanía", "Antarctica",
    "America", "Americas", "América", "Américas", "the Americas", "las Américas",
    "North America", "Norteamérica", "América del Norte", "América do Norte",
    "South America", "Sudamérica", "Suramérica", "América del Sur", "América do Sul",
    "Central America", "Centroamérica", "América Central", "Mesoamérica", "Mesoamerica",
    "Latin America", "Latinoamérica", "América Latina", "Iberoamérica",
    "Caribbean", "the Caribbean", "Caribe", "el Caribe", "Caraíbas",
    "Middle East", "Oriente Medio", "Medio Oriente", "Oriente Médio",
    "West Africa", "África Occidental", "East Africa", "North Africa", "Sahel",
    "Western Europe", "Eastern Europe", "Europa Occidental", "Europa del Este", "Balkans",
    "los Balcanes", "Southeast Asia", "Sudeste Asiático", "East Asia", "Central Asia",
    "Southern Cone", "Cono Sur", "Andes", "los Andes", "Amazon", "Amazonía", "Amazônia",
    "Andean region", "región andina", "Northern Triangle", "Triángulo Norte",
))


def is_world_region(name: str | None) -> bool:
    return bool(name) and norm_name(name) in WORLD_REGIONS
