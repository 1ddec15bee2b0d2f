#!/usr/bin/python3
"""Golden values for server/stats, computed with SciPy/NumPy (the reference implementations).

Run: /usr/bin/python3 scripts/golden/stats_golden.py  (writes server/stats/__fixtures__/golden.json)
Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity" so the file stays strict JSON.
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

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "server", "stats", "__fixtures__", "golden.json")


def enc(x):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


rng = np.random.default_rng(20261127)


def likert(n, lo=1, hi=10, shift=0.0):
    # Rounded, clipped normal draws: heavily tied integer ratings like a 1–10 scale.
    return [int(v) for v in np.clip(np.round(rng.normal(6.5 + shift, 2.0, n)), lo, hi)]


def floats(n, loc=0.0, scale=1.0, digits=3):
    return [round(float(v), digits) for v in rng.normal(loc, scale, n)]


# Pairs of samples used for every two-sample test.
pairs = [
    ("small distinct", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    ("small interleaved", [1.1, 3.3, 5.5, 7.7], [2.2, 4.4, 6.6]),
    ("exact n=8 each", floats(8, 0, 1), floats(8, 0.8, 1)),
    ("exact one side 8 other 30", floats(8, 0, 1), floats(30, 0.5, 1.5)),
    ("exact 2 vs 3", [0.5, 9.25], [1.5, 2.5, 3.5]),
    ("exact 1 vs 5", [3.0], [1.0, 2.0, 4.0, 5.0, 6.0]),
    ("exact 8 vs 200 no ties", [round(0.37 + 2.7 * i, 6) for i in range(8)], [round(0.00071 + 0.1 * i, 6) for i in range(200)]),
    ("exact complete separation 8 vs 300 (tiny p)", [1000.5 + i for i in range(8)], [i + 0.25 for i in range(300)]),
    ("exact 5 vs 6 interleaved", [1.5, 3.5, 5.5, 7.5, 9.5], [1, 2, 4, 6, 8, 10]),
    ("asymptotic 9 vs 9 no ties", floats(9, 0, 1), floats(9, 1, 1)),
    ("small with ties (asymptotic)", [1, 2, 2, 3], [2, 3, 3, 4, 5]),
    ("likert 12 vs 15", likert(12), likert(15, shift=1.0)),
    ("likert 60 vs 70", likert(60), likert(70, shift=0.6)),
    ("likert 200 vs 180", likert(200), likert(180, shift=-0.3)),
    ("large normal 500 vs 400", floats(500, 10, 3), floats(400, 10.4, 2)),
    ("negative numbers", floats(20, -5, 2), floats(25, -4, 4)),
    ("unequal variances", floats(10, 0, 0.1), floats(40, 0, 10)),
    ("identical samples", [3, 4, 5, 6, 7], [3, 4, 5, 6, 7]),
    ("one constant one varying", [5, 5, 5, 5], [4, 5, 6, 7]),
    ("both constant different", [2, 2, 2], [3, 3, 3]),
    ("both constant equal", [4, 4, 4], [4, 4, 4]),
    ("singleton vs many", [7], [1, 2, 3, 4, 5, 6, 8, 9, 10, 2]),
    ("times in seconds", floats(30, 1700, 400, 1), floats(28, 1520, 380, 1)),
    ("complete separation 10 vs 12", list(range(1, 11)), list(range(20, 32))),
    ("all tied between groups", [1, 1, 2, 2], [1, 1, 2, 2, 2]),
]


def welch(a, b):
    r = stats.ttest_ind(a, b, equal_var=False)
    v1, v2 = np.var(a, ddof=1), np.var(b, ddof=1)
    n1, n2 = len(a), len(b)
    vn1, vn2 = v1 / n1, v2 / n2
    with np.errstate(all="ignore"):
        df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1))
    if np.isnan(df):
        df = 1.0  # SciPy's own fallback when both variances are zero
    return {"t": enc(r.statistic), "df": enc(df), "p": enc(r.pvalue)}


def mwu(a, b):
    r = stats.mannwhitneyu(a, b, alternative="two-sided")
    n1, n2 = len(a), len(b)
    ties = len(np.unique(np.concatenate([a, b]))) != n1 + n2
    method = "asymptotic" if (n1 > 8 and n2 > 8) or ties else "exact"
    return {"U": enc(r.statistic), "p": enc(r.pvalue), "method": method}


def hedges(a, b):
    # Reference formula, written out directly (SciPy has no Hedges' g):
    # d = (mean a - mean b) / pooled SD; J = exact small-sample correction
    # Γ(df/2) / (sqrt(df/2) Γ((df-1)/2)), df = n1 + n2 - 2; g = J d.
    # Var(d) = (n1+n2)/(n1 n2) + d²/(2 (n1+n2))  (Hedges & Olkin 1985); Var(g) = J² Var(d);
    # 95% CI = g ± z_.975 sqrt(Var(g)).
    a, b = np.asarray(a, float), np.asarray(b, float)
    n1, n2 = len(a), len(b)
    df = n1 + n2 - 2
    if n1 < 2 or n2 < 2:
        return None
    sp = math.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / df)
    if sp == 0:
        return None
    d = (np.mean(a) - np.mean(b)) / sp
    j = math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)
    g = j * d
    var_d = (n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2))
    se = j * math.sqrt(var_d)
    z = stats.norm.ppf(0.975)
    return {"g": enc(g), "d": enc(d), "j": enc(j), "se": enc(se), "lower": enc(g - z * se), "upper": enc(g + z * se)}


def cliff(a, b):
    gt = sum(1 for x in a for y in b if x > y)
    lt = sum(1 for x in a for y in b if x < y)
    return enc((gt - lt) / (len(a) * len(b)))


def t975(df):
    # SciPy 1.10's t.ppf (cephes stdtrit) is off by up to ~2e-9 relative for some df (e.g. df = 5.5:
    # stdtr(df, -ppf) = 0.02500000017). scipy.special.stdtr itself is accurate to ~1e-15, so the golden
    # quantile is the root of stdtr(df, -x) = 0.025, polished from SciPy's ppf by Brent's method.
    q = stats.t.ppf(0.975, df)
    return optimize.brentq(lambda x: special.stdtr(df, -x) - 0.025, q * (1 - 1e-6), q * (1 + 1e-6),
                           xtol=1e-300, rtol=8.9e-16, maxiter=500)


def describe(xs):
    x = np.asarray(xs, float)
    n = len(x)
    out = {"n": n}
    if n == 0:
        return out
    out.update(mean=enc(np.mean(x)), median=enc(np.median(x)), q1=enc(np.percentile(x, 25)),
               q3=enc(np.percentile(x, 75)), min=enc(np.min(x)), max=enc(np.max(x)))
    out["iqr"] = enc(np.percentile(x, 75) - np.percentile(x, 25))
    if n >= 2:
        sd = np.std(x, ddof=1)
        se = stats.sem(x)
        half = t975(n - 1) * se
        lo, hi = np.mean(x) - half, np.mean(x) + half
        out.update(sd=enc(sd), se=enc(se), ciLower=enc(lo), ciUpper=enc(hi))
    return out


def holm(ps):
    # Same algorithm as statsmodels.stats.multitest.multipletests(method='holm') (step-down,
    # cumulative maximum, clipped at 1); statsmodels is not installed here.
    p = np.asarray(ps, float)
    m = len(p)
    order = np.argsort(p)
    adj_sorted = np.minimum(1.0, np.maximum.accumulate(p[order] * np.arange(m, 0, -1)))
    out = np.empty(m)
    out[order] = adj_sorted
    return [enc(v) for v in out]


describe_cases = [("empty", []), ("single", [7.0]), ("two", [1.0, 4.0]), ("constant", [5, 5, 5, 5])]
describe_cases += [(f"{name} / a", a) for name, a, _ in pairs] + [(f"{name} / b", b) for name, _, b in pairs]
describe_cases += [("odd n", [9, 1, 5, 3, 7]), ("even n unsorted", [10, -2, 3.5, 8, 0, 1]),
                   ("large likert", likert(1000)), ("tiny spread", [1e-9, 2e-9, 3e-9]),
                   ("big values", [1e9 + 1, 1e9 + 2, 1e9 + 4])]

holm_cases = [
    ("empty", []),
    ("single", [0.03]),
    ("classic", [0.01, 0.04, 0.03, 0.005]),
    ("ties", [0.02, 0.02, 0.04, 0.001, 0.02]),
    ("clipped at one", [0.5, 0.6, 0.9]),
    ("monotone enforcement", [0.001, 0.011, 0.012, 0.3, 0.04]),
    ("zeros and ones", [0.0, 1.0, 0.0, 0.2]),
    ("random 20", [float(v) for v in rng.uniform(0, 0.2, 20)]),
]

# Student t distribution: tail probabilities, including non-integer df (Welch), and the 0.975 quantile.
t_cdf = []
for df in [0.5, 1, 1.5, 2, 2.7, 3, 4.49, 7.3, 10, 17.89, 29.5, 63.2, 150.75, 1000.5, 1e5 + 0.5]:
    for x in [-40, -12.5, -6, -3.1, -2.0, -1.0, -0.3, 0.0, 0.4, 1.7, 2.5, 5, 9.75]:
        t_cdf.append({"x": x, "df": df, "cdf": enc(special.stdtr(df, x)), "sf": enc(special.stdtr(df, -x))})
t_q = [{"df": df, "q975": enc(t975(df)), "scipyPpf": enc(stats.t.ppf(0.975, df))} for df in [1, 1.5, 2, 3, 4, 5.5, 9, 14.2, 30, 99, 1000, 12345.6]]

data = {
    "generator": {"script": "scripts/golden/stats_golden.py", "python": sys.version.split()[0],
                  "numpy": np.__version__, "scipy": scipy.__version__},
    "describe": [{"name": n, "xs": list(map(float, xs)), "expected": describe(xs)} for n, xs in describe_cases],
    "twoSample": [{"name": n, "a": list(map(float, a)), "b": list(map(float, b)),
                   "welch": welch(a, b), "mannWhitney": mwu(a, b), "hedges": hedges(a, b), "cliffsDelta": cliff(a, b)}
                  for n, a, b in pairs],
    "holm": [{"name": n, "p": ps, "expected": holm(ps)} for n, ps in holm_cases],
    "tCdf": t_cdf,
    "tQuantile975": t_q,
}

with open(OUT, "w") as f:
    json.dump(data, f, indent=1, allow_nan=False)
    f.write("\n")
print(f"wrote {os.path.normpath(OUT)}: {len(data['describe'])} describe, {len(data['twoSample'])} two-sample, "
      f"{len(data['holm'])} holm, {len(t_cdf)} t-cdf cases")
