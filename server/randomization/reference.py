"""Independent reference implementation of server/randomization (ALGORITHM_VERSION blocked-urn-live/v1
and STRATIFIED_ALGORITHM_VERSION blocked-urn-live-strata/v1).

Prints the golden vectors used by server/randomization/randomization.test.ts:
    python3 server/randomization/reference.py
"""
import hashlib
import json

VERSION = "blocked-urn-live/v1"
STRATA_VERSION = "blocked-urn-live-strata/v1"


def uniform(parts):
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / 2**53


def choose(arms, counts, u):
    level = min(counts.get(k, 0) // w for k, w in arms)
    slots = [(k, max(0, (level + 1) * w - counts.get(k, 0))) for k, w in arms]
    target = int(u * sum(s for _, s in slots))
    cumulative = 0
    for k, s in slots:
        cumulative += s
        if target < cumulative:
            return k
    raise AssertionError("no arm")


def sequential(arms, seed, n):
    counts = {k: 0 for k, _ in arms}
    out = []
    for s in range(1, n + 1):
        k = choose(arms, counts, uniform([VERSION, seed, s]))
        counts[k] += 1
        out.append(k)
    return out


def stratified(arms, seed, factor, strata):
    """Participants enter in order with the given stratum values; all stay live.

    Counts are kept per stratum; the sequence runs across the whole study."""
    counts = {}
    out = []
    for s, value in enumerate(strata, start=1):
        within = counts.setdefault(value, {k: 0 for k, _ in arms})
        k = choose(arms, within, uniform([STRATA_VERSION, seed, s, factor, value]))
        within[k] += 1
        out.append(k)
    return out


# Stratum of each entering participant in the stratified golden sequence (E = essay, P = poem).
STRATA_PATTERN = "EEPEPPEEEPEPPPEEPEEPPEEP"


if __name__ == "__main__":
    draws = {seed: [repr(uniform([VERSION, seed, s])) for s in (1, 2, 3)] for seed in ("seed-a", "ça|va")}
    print(json.dumps({
        "draws": draws,
        "abc_111_seed_a_12": sequential([("a", 1), ("b", 1), ("c", 1)], "seed-a", 12),
        "xy_21_golden_9": sequential([("x", 2), ("y", 1)], "golden", 9),
        "strata_draws": [repr(uniform([STRATA_VERSION, "seed-a", s, "document_type", "essay"])) for s in (1, 2)]
        + [repr(uniform([STRATA_VERSION, "seed-a", 1, "topic_question:level", "ça|va"]))],
        "strata_abc_seed_s": "".join(stratified(
            [("a", 1), ("b", 1), ("c", 1)], "seed-s", "document_type",
            ["essay" if c == "E" else "poem" for c in STRATA_PATTERN])),
        "strata_xy21_seed_t": "".join(stratified(
            [("x", 2), ("y", 1)], "seed-t", "topic_question:level",
            ["novice" if c == "E" else "expert" for c in STRATA_PATTERN])),
        "preview": repr(uniform([VERSION, "seed-a", "preview", "00000000-0000-4000-8000-000000000001"])),
    }, indent=1, ensure_ascii=False))
