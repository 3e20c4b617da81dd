"""Cross-document resolution speed on synthetic mentions: 100k, 200k, 400k, (500k,) 800k and 1M.

Each mention is one record (type, name, aliases) as a document would give it, drawn from a
universe of invented entities (one per ten mentions; popular ones are named more often) in
realistic variants: exact, accents dropped, a leading article or possessive, the nickname as
the name or as an alias, a one-letter typo, the acronym of an organisation, first name +
surname only. Timed: normalisation, name keys, blocking, rule links, clustering and canonical
ids (generation is not timed). Prints wall and CPU seconds, the CPU-time ratio per doubling
(to the size half as big where it was measured: 500k is there so that 1M has one; else to
the previous size, scaled), and B-cubed precision/recall against the known truth. Each size runs in
a fresh process, best of three (``--repeat N``) by CPU time, in rounds over all the sizes.

    python bench/resolution.py            # all sizes
    python bench/resolution.py 100000     # chosen sizes
    python bench/resolution.py --repeat 5 100000 200000
"""
from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import time
from collections import Counter

from sabueso.resolve.names import norm_name
from sabueso.resolve.resolver import add_record, choose_ids, paused_gc, record_key, resolve

SIZES = (100_000, 200_000, 400_000, 500_000, 800_000, 1_000_000)
CONS, VOWELS = "bcdfglmnprstvz", "aeiou"
ACCENT = str.maketrans("aeiou", "áéíóú")
HEADS = ("Banda", "Clan", "Cartel", "Frente", "Tren", "Bloque", "Comando")
COUNTRIES = ("VE", "CO", "MX", "EC", "PE", "HN", "GT", "SV")


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(CONS) + rng.choice(VOWELS) for _ in range(syllables)).capitalize()


def universe(n: int, rng: random.Random) -> list[dict]:
    given = [word(rng, rng.randint(2, 3)) for _ in range(400)]
    surnames = [word(rng, rng.randint(2, 4)) for _ in range(max(2000, n // 2))]
    out = []
    for i in range(n):
        r = rng.random()
        if r < 0.55:
            full = f"{rng.choice(given)} {rng.choice(surnames)} {rng.choice(surnames)}"
            nick = f"El {word(rng, 3)}" if rng.random() < 0.4 else None
            out.append({"type": "Person", "name": full, "nick": nick})
        elif r < 0.8:
            name = f"{rng.choice(HEADS)} de {word(rng, 3)} {word(rng, 2)}"
            out.append({"type": "CriminalGroup", "name": name, "nick": f"Los {word(rng, 3)}s"})
        elif r < 0.9:
            words = [word(rng, rng.randint(3, 4)) for _ in range(rng.randint(3, 4))]
            words.insert(1, "de")
            acr = "".join(w[0] for w in words if w != "de").upper()
            out.append({"type": "Organization", "name": " ".join(words), "acr": acr})
        else:
            out.append({"type": "Place", "name": f"{word(rng, 3)} {word(rng, 2)}",
                        "country": rng.choice(COUNTRIES)})
    return out


def typo(name: str, rng: random.Random) -> str:
    parts = name.split()
    long_ = [i for i, p in enumerate(parts) if len(p) >= 6]
    if not long_:
        return name
    i = rng.choice(long_)
    p = parts[i]
    j = rng.randrange(2, len(p))
    parts[i] = p[:j] + rng.choice(VOWELS) + p[j + 1:]
    return " ".join(parts)


def mention(e: dict, rng: random.Random) -> tuple[str, str, list[str], str | None]:
    name, aliases, r = e["name"], [], rng.random()
    if r < 0.35:
        pass
    elif r < 0.45:
        name = name.translate(ACCENT)        # the accented spelling (accents "dropped" elsewhere)
    elif r < 0.55:
        name = ("The " if rng.random() < 0.5 else "") + name + "’s"
    elif r < 0.65 and e.get("nick"):
        name, aliases = e["nick"], [e["name"]]
    elif r < 0.75 and e.get("nick"):
        aliases = [e["nick"]]
    elif r < 0.82:
        name = typo(name, rng)
    elif r < 0.9 and e.get("acr"):
        name = e["acr"] if rng.random() < 0.5 else name
        aliases = [e["acr"]] if name != e["acr"] else []
    elif r < 0.95 and e["type"] == "Person":
        parts = name.split()
        name = f"{parts[0]} {parts[1]}"
    return e["type"], name, aliases, e.get("country")


def synth(n: int, seed: int = 7) -> tuple[list[tuple], list[int]]:
    rng = random.Random(seed)
    ents = universe(max(10, n // 10), rng)
    weights = [1.0 / (i % 500 + 1) ** 0.5 for i in range(len(ents))]
    picks = rng.choices(range(len(ents)), weights=weights, k=n)
    return [mention(ents[i], rng) for i in picks], picks


def bcubed(labels: list[str], truth: list[int]) -> tuple[float, float]:
    pair = Counter(zip(labels, truth))
    by_c, by_t = Counter(labels), Counter(truth)
    n = len(labels)
    p = sum(k * k / by_c[c] for (c, _t), k in pair.items()) / n
    r = sum(k * k / by_t[t] for (_c, t), k in pair.items()) / n
    return p, r


def calibrate() -> float:
    """CPU seconds of a fixed workload like resolution's (strings, dicts, sorting), timed in
    the same process just before a run: this VM's speed drifts by up to ±40% from minute to
    minute, and a size's time divided by this one compares sizes run at different speeds."""
    best = math.inf
    for _ in range(3):
        c0 = time.process_time()
        d: dict[str, int] = {}
        for i in range(150_000):
            k = f"k{i * 7919 % 150_001}|{i % 97}"
            d[k] = d.get(k[:-1], 0) + len(k.split("|")[0])
        sorted(d, key=d.__getitem__)
        best = min(best, time.process_time() - c0)
    return best


def run(n: int) -> tuple[float, dict]:
    mentions, truth = synth(n)
    cal = calibrate()
    norm_name.cache_clear()
    record_key.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    with paused_gc():
        profiles: dict = {}
        memo: dict = {}
        keys = [add_record(profiles, t, name, aliases, country, memo=memo)
                for t, name, aliases, country in mentions]
        clusters = resolve(profiles)
        ids = choose_ids(clusters, {}, {k: p.weight for k, p in profiles.items()})
        labels = [ids[k] for k in keys]
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    prec, rec = bcubed(labels, truth)
    return took, {"cpu": cpu, "cal": cal, "profiles": len(profiles), "entities": len(clusters),
                  "true": len(set(truth)), "b3_precision": prec, "b3_recall": rec}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:          # one size, in a fresh interpreter (see below)
        took, info = run(int(argv[1]))
        print(json.dumps({"wall": took, **info}))
        return
    repeat = 3
    if argv[:1] == ["--repeat"]:
        repeat, argv = int(argv[1]), argv[2:]
    sizes = [int(a) for a in argv] or list(SIZES)
    runs: dict[int, list[dict]] = {n: [] for n in sizes}
    # each size in its own process (no heap left over from the previous one); in rounds over
    # all sizes, so that a change in the machine's load (other jobs) weighs on every size alike
    for i in range(repeat):
        print(f"round {i + 1}/{repeat} ...", file=sys.stderr, flush=True)
        for n in sizes:
            out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                                 capture_output=True, text=True).stdout
            runs[n].append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'mentions':>9} {'wall s':>7} {'cpu s':>7} {'ratio':>6} {'cal s':>6} {'norm':>6} "
          f"{'keys':>8} {'entities':>9} {'true':>8} {'B3 P':>6} {'B3 R':>6}")
    best = {n: min(runs[n], key=lambda r: r["cpu"]) for n in sizes}
    unit = {n: min(r["cpu"] / r["cal"] for r in runs[n]) for n in sizes}   # in calibrations
    raw: list[tuple[int, float]] = []
    norm: list[tuple[int, float]] = []
    for n in sizes:
        info = best[n]
        print(f"{n:>9} {info['wall']:>7.1f} {info['cpu']:>7.1f} "
              f"{_ratio(n, raw, {k: v['cpu'] for k, v in best.items()}):>6} {info['cal']:>6.2f} "
              f"{_ratio(n, norm, unit):>6} {info['profiles']:>8} {info['entities']:>9} "
              f"{info['true']:>8} {info['b3_precision']:>6.3f} {info['b3_recall']:>6.3f}", flush=True)
        raw.append((n, info["cpu"]))
        norm.append((n, unit[n]))
    if len(raw) > 1:
        print(f"overall {raw[0][0]:,} -> {raw[-1][0]:,}: {per_doubling(raw[0], raw[-1]):.2f} "
              f"per doubling ({per_doubling(norm[0], norm[-1]):.2f} normalised)")
    print(f"best of {repeat} runs per size (rounds over all sizes), each in a fresh process;\n"
          "ratio: CPU time over that of the size half as big; * : vs the previous size, scaled\n"
          "to 2x (which also magnifies its noise); CPU, not wall, time as wall time on a shared\n"
          "machine also counts other processes; cal: CPU seconds of a fixed calibration\n"
          "workload run just before (the machine's speed at the time); norm: the ratio of\n"
          "CPU time / cal (best of the runs), which takes out the machine's drift in speed")


def _ratio(n: int, previous: list[tuple[int, float]], value: dict[int, float]) -> str:
    """Growth to size ``n`` from the size half as big, or from the previous one scaled (*)."""
    if n // 2 in value and n % 2 == 0:
        return f"{value[n] / value[n // 2]:.2f}"
    return f"{per_doubling(previous[-1], (n, value[n])):.2f}*" if previous else "-"


def per_doubling(a: tuple[int, float], b: tuple[int, float]) -> float:
    """Time growth per doubling between (size, seconds) ``a`` and ``b``."""
    return (b[1] / a[1]) ** (math.log(2) / math.log(b[0] / a[0]))


if __name__ == "__main__":
    main(sys.argv[1:])
