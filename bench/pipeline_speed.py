"""(a) Full-pipeline speed relative to bare spaCy, on synthetic articles with invented names.

``articles(n)`` builds varied news-like texts from templates (leaders, aliases, places,
activities, arrests, clashes, seizures, figures, attributed and hedged statements, filler);
the same texts feed the streaming and Dask benchmarks. ``run(n)`` times bare ``nlp.pipe`` on
them and the full extractor (``extract_documents``, batched like ``nlp.pipe``, language detection
included), alternating the two over chunks of the texts, and returns words/s of each and their
ratio (full / bare; target >= 0.8).

    python -m bench.pipeline_speed [N]
"""
from __future__ import annotations

import random
import sys
import time

CONS, VOWELS = "bcdfglmnprstvz", "aeiou"
HEADS = ("Banda", "Clan", "Cartel", "Frente", "Bloque", "Comando")
PLACES_KIND = ("port city", "border town", "province", "coastal district")
ACTIVITIES = ("extortion", "drug trafficking", "kidnapping", "illegal mining", "money laundering",
              "human smuggling", "arms trafficking")
GOODS = ("cocaine", "methamphetamine", "fentanyl", "gold", "firearms")
SOURCES = ("prosecutors", "the police", "a local newspaper", "residents", "analysts")
MONTHS = ("January", "March", "May", "July", "September", "November")

TEMPLATES = (
    "{P1}, known as {NICK}, leads the {G1}, a criminal group based in {C1}.",
    "The {G1} runs {ACT} rackets in {C1} and {C2}, {SRC} said.",
    "According to {SRC}, the {G1} traffics {GOOD} from {C1} to {C2}.",
    "{P2} was arrested in {C2} on {D} {MON} {Y}, accused of belonging to the {G1}.",
    "The {G1} allegedly controls the port of {C1}, although its leaders deny it.",
    "Members of the {G1} clashed with the {G2} in {C2}; {N} people were killed.",
    "Police seized {N} kilograms of {GOOD} linked to the {G1} in {C1}.",
    "The group is estimated to have about {BIG} members, {SRC} reported.",
    "{P1} reportedly met {P3}, a former mayor of {C2}, in {MON} {Y}.",
    "The {G2} is a rival of the {G1} and operates in the {KIND} of {C2}.",
    "There is no evidence that {P3} received payments from the {G1}, officials said.",
    "{P2} is believed to be the second in command of the {G1}.",
    "Residents of {C1} say the violence has forced shops to close early every night.",
    "The Ministry of Security announced a new operation against the {G1} in {C2}.",
    "Schools in {C2} remained closed for a week after the attack, local media said.",
    "Officials in {C1} declined to comment on the investigation.",
)


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(CONS) + rng.choice(VOWELS) for _ in range(syllables)).capitalize()


def person(rng: random.Random) -> str:
    return f"{word(rng, rng.randint(2, 3))} {word(rng, rng.randint(2, 4))}"


def article(rng: random.Random, sentences: tuple[int, int] = (8, 16)) -> str:
    slots = {"P1": person(rng), "P2": person(rng), "P3": person(rng),
             "NICK": f"El {word(rng, 3)}",
             "G1": f"{rng.choice(HEADS)} {word(rng, 3)}", "G2": f"{rng.choice(HEADS)} {word(rng, 3)}",
             "C1": f"Puerto {word(rng, 3)}", "C2": f"San {word(rng, 3)}",
             "KIND": rng.choice(PLACES_KIND), "ACT": rng.choice(ACTIVITIES),
             "GOOD": rng.choice(GOODS), "SRC": rng.choice(SOURCES), "MON": rng.choice(MONTHS),
             "D": rng.randint(1, 28), "Y": rng.randint(2015, 2024), "N": rng.randint(2, 90),
             "BIG": rng.choice((300, 1200, 5000))}
    first, rest = TEMPLATES[0], list(TEMPLATES[1:])
    rng.shuffle(rest)
    chosen = [first] + rest[:rng.randint(*sentences) - 1]
    paragraphs, text = [], []
    for i, t in enumerate(chosen, 1):
        text.append(t.format(**slots))
        if i % 4 == 0:
            paragraphs.append(" ".join(text))
            text = []
    if text:
        paragraphs.append(" ".join(text))
    return "\n\n".join(paragraphs) + "\n"


def articles(n: int, seed: int = 7, sentences: tuple[int, int] = (8, 16)) -> list[str]:
    rng = random.Random(seed)
    return [article(rng, sentences) for _ in range(n)]


def run(n: int = 2000, chunk: int = 250) -> dict:
    from sabueso.core import Document
    from sabueso.extract import extract_document, extract_documents
    from sabueso.nlp import get_nlp
    from sabueso.nlp.pipeline import bare_nlp
    texts = articles(n)
    words = sum(len(t.split()) for t in texts)
    bare = bare_nlp("en")
    get_nlp("en")
    extract_document(Document(text=texts[0]))               # warm caches (gazetteer, lexicon)

    def time_bare(part: list[str]) -> float:
        t0 = time.perf_counter()
        for _ in bare.pipe(part):
            pass
        return time.perf_counter() - t0

    def time_full(part: list[str]) -> float:
        t0 = time.perf_counter()
        for _ in extract_documents(Document(text=t) for t in part):    # batched like nlp.pipe
            pass
        return time.perf_counter() - t0

    # the two alternate chunk by chunk (and which goes first), so that a change in the
    # machine's speed during the run (another process, clock scaling) weighs on both alike
    t_bare = t_full = 0.0
    for k, i in enumerate(range(0, n, chunk)):
        part = texts[i:i + chunk]
        if k % 2:
            t_full += time_full(part)
            t_bare += time_bare(part)
        else:
            t_bare += time_bare(part)
            t_full += time_full(part)
    return {"documents": n, "words": words, "bare_wps": words / t_bare,
            "full_wps": words / t_full, "ratio": t_bare / t_full}


if __name__ == "__main__":
    out = run(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    print(f"{out['documents']} documents, {out['words']} words: bare {out['bare_wps']:.0f} "
          f"words/s, full {out['full_wps']:.0f} words/s, ratio {out['ratio']:.2f} (target >= 0.8)")
