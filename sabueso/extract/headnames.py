"""Names written with their head noun: 'the Zafiro cartel', 'the Molina clan', 'el cártel de
Ejemplo', 'la banda del Ejemplo'. The name finder keeps the proper-name part ('Zafiro'); the
longer form is how the text names the group too, so it becomes an alias of the same entity."""
from __future__ import annotations

#: Head nouns that follow a group's name ('X cartel') or open it ('cártel de X').
HEADS_AFTER = {"cartel", "clan", "gang", "mafia", "posse", "triad", "syndicate", "family", "crew",
               "militia", "faction", "front", "organization", "organisation", "network", "combo"}
HEADS_BEFORE = {"cartel", "cártel", "clan", "banda", "megabanda", "pandilla", "familia", "frente",
                "facción", "combo", "organización", "mafia"}
CONNECTORS = {"de", "del", "de la", "de los", "de las"}
SKIP_TYPES = {"Person", "Place", "Commodity"}


def head_aliases(doc, ents) -> None:
    """Add 'X cartel' / 'cártel de X' aliases where the text writes them around a mention."""
    n = len(doc)
    for e in ents:
        if e.type in SKIP_TYPES:
            continue
        known = {a.casefold() for a in [*e.names, *e.aliases]}
        for s, x in e.spans:
            forms = []
            if x < n and doc[x].lower_ in HEADS_AFTER:
                forms.append(doc[s:x + 1].text)
            for k in (1, 2, 3):       # 'cártel de X', 'megabanda de la X'
                h = s - k
                if h < 0:
                    break
                glue = " ".join(t.lower_ for t in doc[h + 1:s])
                if doc[h].lower_ in HEADS_BEFORE and (glue in CONNECTORS or (k == 1 and s - h == 1)):
                    forms.append(doc[h:x].text)
                    break
            for form in forms:
                if form.casefold() not in known and len(form) <= 80:
                    known.add(form.casefold())
                    e.aliases.append(form)
