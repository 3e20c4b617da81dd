"""The ontology file holds the whole FORMAT.md vocabulary."""
from sabueso.ontology import get_ontology

ENTITY_TYPES = {"CriminalGroup", "Person", "Organization", "GovernmentBody", "Prison", "Place", "Commodity"}
RELATIONS = {"LEADER_OF", "MEMBER_OF", "FOUNDED_BY", "BASED_IN", "OPERATES_IN", "CONTROLS", "ACTIVITY",
             "TRAFFICS", "AFFILIATED_WITH", "LOCATED_IN", "IMPRISONED_IN", "ESCAPED_FROM",
             "HOLDS_POSITION", "FAMILY_OF", "PARTNER_OF", "ATTACKED", "ALLY_OF", "RIVAL_OF", "LINKED_TO"}
ACTIVITIES = {"extortion", "kidnapping", "homicide", "vehicle_theft", "drug_trafficking", "arms_trafficking",
              "human_trafficking", "migrant_smuggling", "contraband", "illegal_mining", "bribery", "robbery",
              "money_laundering", "sexual_exploitation", "prison_control"}
EVENTS = {"attack", "clash", "killing", "massacre", "kidnapping", "escape", "arrest", "imprisonment",
          "release", "extradition", "indictment", "sanction", "security_operation", "prison_raid",
          "prison_riot", "armed_strike", "transfer", "truce", "designation", "founding", "appointment",
          "expansion", "meeting", "visit", "seizure"}


def test_vocabulary_is_complete():
    o = get_ontology()
    assert set(o.entity_types) == ENTITY_TYPES
    assert set(o.relations) == RELATIONS
    assert set(o.activity_labels) == ACTIVITIES
    assert set(o.event_types) == EVENTS


def test_symmetry_and_domains():
    o = get_ontology()
    assert o.symmetric == {"ALLY_OF", "RIVAL_OF", "LINKED_TO", "FAMILY_OF", "PARTNER_OF"}
    assert o.relations["LEADER_OF"].accepts("Person", "CriminalGroup")
    assert not o.relations["LEADER_OF"].accepts("Place", "CriminalGroup")
    assert o.relations["HOLDS_POSITION"].qualifiers == ("role",)


def test_activities_have_cues_in_both_languages():
    o = get_ontology()
    for label, cues in o.activities.items():
        assert cues["en"] and cues["es"], label


def test_commodity_lexicon_in_both_languages_and_activities():
    o = get_ontology()
    assert "cocaine" in o.commodities("en") and "cocaína" in o.commodities("es")
    assert o.commodity_activity("cocaína") == "drug_trafficking"
    assert o.commodity_activity("copper") is None
