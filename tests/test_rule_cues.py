"""Spanish attribution without a parse, and within-document name identity (invented names)."""
from __future__ import annotations

import pytest

from sabueso.core import Document
from sabueso.extract import extract_document
from sabueso.extract.lexicon import conjugate


def _claims(text: str, lang: str = "es"):
    ex = extract_document(Document(text=text, title="t", lang=lang))
    names = {e.id: e.name for e in ex.entities}
    return ex, [(c.type, names.get(c.subject, c.subject), names.get(c.object, c.object), c.modality,
                 c.attributed_to) for c in ex.claims]


def test_spanish_conjugation_of_cue_verbs():
    forms = conjugate("señalar")
    assert {"señala", "señalan", "señaló", "señalaron", "señalaba"} <= forms
    assert {"añade", "añadieron", "añadió"} <= conjugate("añadir")


@pytest.mark.parametrize("rules_only", [True, False])
def test_spanish_attribution_verb_reports_the_clause(monkeypatch, rules_only):
    if rules_only:
        monkeypatch.setenv("SABUESO_RULES_ONLY", "1")
    _, claims = _claims("Los fiscales sostuvieron además que la familia Quintela lavaba dinero "
                        "para Los Garzones en Villa Ribera.")
    ops = [c for c in claims if c[1] == "Los Garzones" and c[0] in ("OPERATES_IN", "ACTIVITY")]
    assert ops, claims
    assert all(c[3] != "asserted" for c in ops), claims
    if rules_only:
        assert any(c[3] == "reported" and "fiscales" in (c[4] or "") for c in ops), claims


def test_trailing_spanish_attribution(monkeypatch):
    monkeypatch.setenv("SABUESO_RULES_ONLY", "1")
    _, claims = _claims("La banda Los Garzones opera en el municipio de Villa Ribera, señaló la Fiscalía.")
    ops = [c for c in claims if c[0] == "OPERATES_IN"]
    assert ops and ops[0][3] == "reported" and ops[0][4] == "la Fiscalía", claims


def test_quoted_nickname_after_a_full_name_is_an_alias():
    ex, _ = _claims("El cabecilla es Rodrigo Almeida Sosa, «El Tucán», de 31 años. "
                    "La policía busca a El Tucán desde marzo.")
    people = [e for e in ex.entities if e.type == "Person"]
    full = [e for e in people if e.name == "Rodrigo Almeida Sosa"]
    assert full and "El Tucán" in full[0].aliases, [(e.name, e.aliases) for e in people]
    assert not any(e.name == "El Tucán" for e in people)


def test_short_body_name_joins_the_one_longer_body():
    ex, _ = _claims("The Colombian Navy seized two boats off Tumaco. The Navy said the crews "
                    "worked for a local gang.", lang="en")
    bodies = [e.name for e in ex.entities if e.type in ("GovernmentBody", "Organization")]
    assert "Colombian Navy" in bodies and "Navy" not in bodies, bodies


def test_a_short_number_belongs_to_a_group_name_but_not_to_a_month():
    ex, _ = _claims("La Pandilla 27, también llamada Barrio 27, controla el mercado de Villa Ribera. "
                    "El 18 de junio la policía detuvo a tres de sus miembros.")
    groups = [e for e in ex.entities if e.type == "CriminalGroup"]
    assert any({"Pandilla 27", "Barrio 27"} <= {n.removeprefix("La ") for n in (e.name, *e.aliases)}
               for e in groups), \
        [(e.name, e.type, e.aliases) for e in ex.entities]
    ex, _ = _claims("On June 18 police raided a house in Port Ribera.", lang="en")
    assert not any("18" in e.name for e in ex.entities), [e.name for e in ex.entities]


def test_operation_code_names_are_not_entities():
    ex, _ = _claims("Operation Silver Heron led to 40 arrests in Port Ribera, and the Ribera "
                    "Boys gang lost its leader.", lang="en")
    assert not any("Heron" in e.name for e in ex.entities), [e.name for e in ex.entities]


def test_a_segun_inside_a_relative_clause_does_not_reach_the_main_clause(monkeypatch):
    monkeypatch.setenv("SABUESO_RULES_ONLY", "1")
    _, claims = _claims("Los Garzones operan en Villa Ribera, donde, según la Fiscalía, "
                        "cobran extorsiones a los comerciantes.")
    ops = [c for c in claims if c[0] == "OPERATES_IN" and c[1] == "Los Garzones"]
    acts = [c for c in claims if c[0] == "ACTIVITY" and c[1] == "Los Garzones"]
    assert ops and ops[0][3] == "asserted", claims
    assert acts and acts[0][3] == "reported", claims


def test_a_named_good_is_listed_with_its_mention_a_class_word_is_not():
    text = ("La banda Los Garzones opera en Villa Ribera. La policía halló cocaína y armas en "
            "una bodega del puerto, junto con documentos falsos.")
    ex = extract_document(Document(text=text, title="t", lang="es"))
    goods = {e.name.lower(): e.id for e in ex.entities if e.type == "Commodity"}
    assert "cocaína" in goods, [(e.name, e.type) for e in ex.entities]
    cited = [m for m in ex.mentions if m.entity == goods["cocaína"]]
    assert cited and text[cited[0].start:cited[0].end].lower() == "cocaína"
    used = {c.object for c in ex.claims} | {c.subject for c in ex.claims}
    assert "armas" not in goods or goods["armas"] in used


@pytest.mark.parametrize("rules_only", [True, False])
def test_plural_sources_and_attributed_clauses_are_reported(monkeypatch, rules_only):
    if rules_only:
        monkeypatch.setenv("SABUESO_RULES_ONLY", "1")
    text = ("Cells of the Red Garzones gang have been found in Villa Ribera and Puerto Ejemplo, "
            "where prosecutors say they profit from migrant smuggling.")
    ex = extract_document(Document(text=text, title="t", lang="en"))
    acts = [c for c in ex.claims if c.type == "ACTIVITY" and c.object == "migrant_smuggling"]
    assert acts, [(c.type, c.object) for c in ex.claims]
    assert all(c.modality == "reported" and "prosecutors" in (c.attributed_to or "") for c in acts)


@pytest.mark.parametrize("text,lang,pairs", [
    ("The Ramos Organization takes its name from four brothers from the state of Norte: Beto "
     "Ramos Leal, Ciro Ramos Leal, Dario Ramos Leal and Elio Ramos Leal.", "en", 6),
    ("La banda fue fundada por los hermanos Julio Pérez Soto y Mario Pérez Soto en 2010.", "es", 1),
])
def test_people_listed_after_a_plural_kin_word_are_kin(monkeypatch, text, lang, pairs):
    monkeypatch.setenv("SABUESO_RULES_ONLY", "1")
    ex = extract_document(Document(text=text, title="t", lang=lang))
    family = {frozenset((c.subject, c.object)) for c in ex.claims if c.type == "FAMILY_OF"}
    assert len(family) == pairs, family


def test_a_plural_kin_word_links_no_people_it_does_not_list(monkeypatch):
    monkeypatch.setenv("SABUESO_RULES_ONLY", "1")
    text = ("Julio Pérez Soto met the brothers of the victim in Villa Ribera; later Mario Díaz "
            "Luna, a lawyer, spoke to the press.")
    ex = extract_document(Document(text=text, title="t", lang="en"))
    assert not [c for c in ex.claims if c.type == "FAMILY_OF"]
