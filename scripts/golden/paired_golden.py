#!/usr/bin/python3
"""Golden values for server/stats/paired.ts: SciPy's ttest_rel and wilcoxon, and the cluster bootstrap.

Run: /usr/bin/python3 scripts/golden/paired_golden.py  (writes server/stats/__fixtures__/paired-golden.json)
ttest_rel and wilcoxon are called with SciPy's default arguments. The bootstrap has no SciPy counterpart
with a shared random stream, so it is re-implemented here from its description (mulberry32 draws, cluster
resampling, NumPy percentiles), independently of the TypeScript.
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
from scipy import optimize, special, stats

warnings.simplefilter("ignore")

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "server", "stats", "__fixtures__", "paired-golden.json")


def enc(x):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


rng = np.random.default_rng(20261201)


def floats(n, loc=0.0, scale=1.0, digits=3):
    return [round(float(v), digits) for v in rng.normal(loc, scale, n)]


def likert(n, shift=0.0):
    return [int(v) for v in np.clip(np.round(rng.normal(6.5 + shift, 2.0, n)), 1, 10)]


def t975(df):
    # As in stats_golden.py: SciPy 1.10's t.ppf is off by up to ~2e-9 relative; the golden quantile is the
    # root of stdtr(df, -x) = 0.025 (stdtr is accurate to ~1e-15), polished from SciPy's ppf.
    q = stats.t.ppf(0.975, df)
    return optimize.brentq(lambda x: special.stdtr(df, -x) - 0.025, q * (1 - 1e-6), q * (1 + 1e-6),
                           xtol=1e-300, rtol=8.9e-16, maxiter=500)


def shifted(xs, delta, noise=0.0, digits=3):
    return [round(x + delta + float(rng.normal(0, noise)), digits) if noise else x + delta for x in xs]


base30 = floats(30, 0.35, 0.08)
base70 = floats(70, 2.2, 0.4)
pairs = [
    ("three pairs", [1.0, 2.0, 4.0], [0.5, 2.5, 2.0]),
    ("exact n=10 no ties", floats(10, 1, 1), floats(10, 0.6, 1)),
    ("exact n=50 (largest exact)", floats(50, 0, 1), floats(50, 0.2, 1)),
    ("approx n=51 (smallest approx)", floats(51, 0, 1), floats(51, 0.2, 1)),
    ("exact with ties in |d| (SciPy truncates R+)", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [0.5, 2.5, 2.5, 4.5, 4.0, 5.5]),
    ("exact with half-integer R+", [3.0, 1.0, 5.0, 10.0], [2.0, 2.0, 3.0, 7.0]),
    ("zeros switch exact to approx", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], [1.0, 1.5, 3.0, 3.0, 6.0, 4.5, 9.0]),
    ("likert 40 pairs (ties and zeros)", likert(40), likert(40, shift=0.7)),
    ("likert 120 pairs (approx with ties and zeros)", likert(120), likert(120, shift=0.3)),
    ("bleu-like 30 pairs", base30, shifted(base30, 0.02, 0.03)),
    ("tokens 70 pairs", base70, shifted(base70, -0.15, 0.3)),
    ("all positive differences n=8", [2.0, 3.0, 4.5, 5.0, 6.25, 7.0, 8.5, 9.0], [1.0, 2.5, 3.0, 4.0, 5.0, 6.5, 7.0, 8.75]),
    ("symmetric: R+ at the centre", [1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 5.0, 2.0]),
    ("two pairs", [1.0, 5.0], [2.0, 3.0]),
    ("one pair", [3.0], [1.0]),
    ("no pairs", [], []),
    ("all differences zero", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    ("constant non-zero difference", [1.5, 2.5, 3.5], [1.0, 2.0, 3.0]),
    ("one non-zero among zeros", [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 3.0]),
    ("large n=300 normal", floats(300, 5, 2), floats(300, 5.1, 2)),
]


def ttest_rel(a, b):
    n = len(a)
    if n == 0:
        return {"n": 0, "meanDifference": None, "se": None, "df": None, "t": None, "p": None, "ciLower": None, "ciUpper": None}
    r = stats.ttest_rel(a, b)
    d = np.asarray(a, float) - np.asarray(b, float)
    dm = float(np.mean(d))
    if n == 1:
        return {"n": 1, "meanDifference": enc(dm), "se": None, "df": None, "t": None, "p": None, "ciLower": None, "ciUpper": None}
    se = float(np.sqrt(np.var(d, ddof=1) / n))
    half = t975(n - 1) * se
    ci = r.confidence_interval(0.95)
    out = {"n": n, "meanDifference": enc(dm), "se": enc(se), "df": enc(r.df), "t": enc(r.statistic), "p": enc(r.pvalue),
           "ciLower": enc(dm - half), "ciUpper": enc(dm + half),
           # SciPy's own interval (t.ppf, ~1e-9 relative), kept for comparison with the polished quantile.
           "scipyCi": [enc(ci.low), enc(ci.high)]}
    return out


def wilcoxon(a, b):
    d = np.asarray(a, float) - np.asarray(b, float)
    zeros = int(np.sum(d == 0))
    if len(d) == 0 or zeros == len(d):
        return {"statistic": None, "p": None, "method": None, "zeros": zeros, "ranked": 0}
    r = stats.wilcoxon(a, b)  # default arguments: zero_method='wilcox', correction=False, mode='auto'
    # Which branch SciPy 1.10 took (read from its source, _morestats.wilcoxon).
    method = "exact" if len(d) <= 50 and zeros == 0 else "approx"
    ranked = len(d) if method == "exact" else len(d) - zeros
    return {"statistic": enc(r.statistic), "p": enc(r.pvalue), "method": method, "zeros": zeros, "ranked": ranked}


def mulberry32(seed):
    state = seed & 0xFFFFFFFF

    def nxt():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return (t ^ (t >> 14)) & 0xFFFFFFFF

    return nxt


def bootstrap(obs, seed, resamples):
    clusters = {}
    for o in obs:
        c = clusters.setdefault(o["cluster"], [0.0, 0.0, 0])
        c[0] += o["reference"]
        c[1] += o["other"]
        c[2] += 1
    keys = sorted(clusters)
    cl = [clusters[k] for k in keys]
    K = len(cl)
    tr = sum(c[0] for c in cl)
    to = sum(c[1] for c in cl)
    tn = sum(c[2] for c in cl)
    diff = to / tn - tr / tn
    rel = None if tr / tn == 0 else (to / tn - tr / tn) / abs(tr / tn)
    nxt = mulberry32(seed)
    diffs, rels = [], []
    for _ in range(resamples):
        r = o = 0.0
        n = 0
        for _k in range(K):
            c = cl[(nxt() * K) >> 32]
            r += c[0]
            o += c[1]
            n += c[2]
        mr, mo = r / n, o / n
        diffs.append(mo - mr)
        if mr != 0:
            rels.append((mo - mr) / abs(mr))

    def interval(vals, est):
        undefined = resamples - len(vals)
        if not vals or undefined > resamples * 0.05:
            return {"estimate": enc(est), "lower": None, "upper": None, "undefinedResamples": undefined}
        return {"estimate": enc(est), "lower": enc(np.percentile(vals, 2.5)), "upper": enc(np.percentile(vals, 97.5)),
                "undefinedResamples": undefined}

    return {"clusters": K, "meanDifference": interval(diffs, diff), "relativeChange": interval(rels, rel)}


def clustered(tasks, reps, ref_loc, delta, scale, digits=3):
    out = []
    for t in range(tasks):
        task_effect = float(rng.normal(0, scale))
        for _ in range(reps):
            ref = round(ref_loc + task_effect + float(rng.normal(0, scale / 2)), digits)
            other = round(ref + delta + float(rng.normal(0, scale / 2)), digits)
            out.append({"cluster": f"task-{t:02d}", "reference": ref, "other": other})
    return out


bootstrap_cases = [
    ("20 tasks x 3 replicates, BLEU-like", clustered(20, 3, 0.35, 0.02, 0.05), 7, 2000),
    ("12 tasks x 1, tokens-like", clustered(12, 1, 2.2, -0.2, 0.3), 20261201, 1000),
    ("5 tasks x 4, quality-like", clustered(5, 4, 6.5, 0.8, 1.0, 0), 123456789, 500),
    ("reference mean often 0 (ratio undefined)", [{"cluster": "a", "reference": 0.0, "other": 1.0},
                                                  {"cluster": "b", "reference": 0.0, "other": 2.0},
                                                  {"cluster": "c", "reference": 1.0, "other": 1.0}], 3, 400),
]

data = {
    "generator": {"script": "scripts/golden/paired_golden.py", "python": sys.version.split()[0],
                  "numpy": np.__version__, "scipy": scipy.__version__},
    "paired": [{"name": n, "a": list(map(float, a)), "b": list(map(float, b)), "ttest": ttest_rel(a, b), "wilcoxon": wilcoxon(a, b)}
               for n, a, b in pairs],
    "bootstrap": [{"name": n, "observations": obs, "seed": seed, "resamples": reps, "expected": bootstrap(obs, seed, reps)}
                  for n, obs, seed, reps in bootstrap_cases],
    "mulberry32": {"seed": 42, "first": (lambda g: [g() for _ in range(10)])(mulberry32(42))},
}

with open(OUT, "w") as f:
    json.dump(data, f, indent=1, allow_nan=False)
    f.write("\n")
print(f"wrote {os.path.normpath(OUT)}: {len(data['paired'])} paired, {len(data['bootstrap'])} bootstrap cases")
