#!/usr/bin/python3
"""Golden values for server/stats/correlation.ts and server/stats/difference.ts.

Run: /usr/bin/python3 scripts/golden/correlation_golden.py  (writes server/stats/__fixtures__/correlation-golden.json)
spearmanr and kendalltau are called with SciPy's defaults (kendalltau: variant='b', method='auto'); the
method kendalltau picked is recomputed with SciPy 1.10's documented rule and recorded. SciPy 1.10 has no
intervals for these, so the Fisher-z intervals (Bonett-Wright SE for Spearman, Fieller SE for Kendall), the
Welch difference interval and the bias interval are computed here from their textbook formulas with
scipy.stats.norm quantiles and t quantiles polished as in stats_golden.py, independently of the TypeScript.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import optimize, special, stats

warnings.simplefilter("ignore")

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "server", "stats", "__fixtures__", "correlation-golden.json")
Z = stats.norm.ppf(0.975)


def t975(df):
    # As in stats_golden.py: SciPy 1.10's t.ppf is off by up to ~2e-9 relative; the golden quantile is the
    # root of stdtr(df, -x) = 0.025 (stdtr is accurate to ~1e-15), polished from SciPy's ppf.
    q = stats.t.ppf(0.975, df)
    return optimize.brentq(lambda x: special.stdtr(df, -x) - 0.025, q * (1 - 1e-6), q * (1 + 1e-6),
                           xtol=1e-300, rtol=8.9e-16, maxiter=500)


def enc(x):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return None  # undefined statistics are null in the TypeScript
    return x


rng = np.random.default_rng(20261202)


def ratings(n, lo=1, hi=10):
    return [int(v) for v in rng.integers(lo, hi + 1, n)]


def fisher(r, se):
    if r is None or math.isnan(r) or abs(r) >= 1 or se is None:
        return None
    z = math.atanh(r)
    return [math.tanh(z - Z * se), math.tanh(z + Z * se)]


def kendall_method(x, y):
    x = np.asarray(x)
    y = np.asarray(y)
    n = len(x)
    xt = len(set(x.tolist())) < n
    yt = len(set(y.tolist())) < n
    if xt or yt:
        return "asymptotic"
    dis = 0
    for i in range(n):
        for j in range(i + 1, n):
            if (x[i] - x[j]) * (y[i] - y[j]) < 0:
                dis += 1
    tot = n * (n - 1) // 2
    return "exact" if (n <= 33 or min(dis, tot - dis) <= 1) else "asymptotic"


def corr_case(name, x, y):
    n = len(x)
    s = stats.spearmanr(x, y)
    k = stats.kendalltau(x, y)
    rho = float(s.statistic)
    tau = float(k.statistic)
    defined = not math.isnan(rho)
    return {
        "name": name,
        "x": x,
        "y": y,
        "spearman": {
            "rho": enc(rho),
            "p": enc(s.pvalue),
            "ci": fisher(rho, math.sqrt((1 + rho * rho / 2) / (n - 3))) if defined and n >= 4 else None,
        },
        "kendall": {
            "tau": enc(tau),
            "p": enc(k.pvalue),
            "method": kendall_method(x, y) if defined else None,
            "ci": fisher(tau, math.sqrt(0.437 / (n - 4))) if defined and n >= 5 else None,
        },
    }


corr = []
corr.append(corr_case("n=2", [1, 2], [3, 5]))
corr.append(corr_case("n=3 monotone", [1, 2, 3], [2, 4, 9]))
corr.append(corr_case("n=4 reversed", [1, 2, 3, 4], [8, 6, 5, 1]))
corr.append(corr_case("n=5 with ties", [3, 3, 5, 7, 7], [2, 4, 4, 6, 9]))
corr.append(corr_case("n=6 no ties", [0.3, 1.2, -0.4, 2.2, 0.9, 1.7], [1.1, 2.5, 0.2, 2.0, 1.4, 3.3]))
corr.append(corr_case("constant x", [5, 5, 5, 5], [1, 2, 3, 4]))
corr.append(corr_case("constant y", [1, 2, 3, 4, 5], [7, 7, 7, 7, 7]))
corr.append(corr_case("zero correlation 4c = n(n-1)", [1, 2, 3, 4], [2, 4, 1, 3]))
x = [round(float(v), 3) for v in rng.normal(0, 1, 20)]
corr.append(corr_case("n=20 continuous", x, [round(v * 0.6 + float(e), 3) for v, e in zip(x, rng.normal(0, 1, 20))]))
x = [round(float(v), 3) for v in rng.normal(0, 1, 33)]
corr.append(corr_case("n=33 exact boundary", x, [round(v * 0.3 + float(e), 3) for v, e in zip(x, rng.normal(0, 1, 33))]))
x = [round(float(v), 3) for v in rng.normal(0, 1, 34)]
corr.append(corr_case("n=34 asymptotic", x, [round(-v * 0.4 + float(e), 3) for v, e in zip(x, rng.normal(0, 1, 34))]))
corr.append(corr_case("n=40 one discordant pair (exact)", list(range(40)), [1, 0] + list(range(2, 40))))
corr.append(corr_case("n=40 perfectly monotone", list(range(40)), [v * v for v in range(40)]))
h = ratings(60)
corr.append(corr_case("n=60 judge 1-10 vs people 1-10, ties", [min(10, max(1, v + int(d))) for v, d in zip(h, rng.integers(-2, 3, 60))], h))
h = ratings(150)
corr.append(corr_case("n=150 interactivity 0/0.5/1 vs ratings", [float(rng.choice([0.0, 0.5, 1.0])) for _ in h], h))
h = ratings(500)
corr.append(corr_case("n=500 ratings vs noisy judge, many ties", [min(10, max(1, v + int(d))) for v, d in zip(h, rng.integers(-3, 4, 500))], h))
x = [round(float(v), 4) for v in rng.normal(0, 1, 300)]
corr.append(corr_case("n=300 continuous", x, [round(v * 0.2 + float(e), 4) for v, e in zip(x, rng.normal(0, 1, 300))]))
corr.append(corr_case("n=8 heavy ties", [1, 1, 1, 2, 2, 3, 3, 3], [1, 2, 1, 2, 3, 3, 2, 3]))

diffs = []


def welch_case(name, a, b):
    a_ = np.asarray(a, dtype=float)
    b_ = np.asarray(b, dtype=float)
    out = {"name": name, "a": a, "b": b}
    if len(a) == 0 or len(b) == 0:
        out.update(estimate=None, lower=None, upper=None, df=None)
        return out
    est = float(a_.mean() - b_.mean())
    if len(a) < 2 or len(b) < 2:
        out.update(estimate=est, lower=None, upper=None, df=None)
        return out
    va = a_.var(ddof=1) / len(a)
    vb = b_.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        out.update(estimate=est, lower=None, upper=None, df=None)
        return out
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = t975(df) * se
    # ttest_ind's statistic from SciPy itself, as a cross-check that se and orientation are SciPy's.
    t = stats.ttest_ind(a_, b_, equal_var=False)
    out.update(estimate=est, lower=est - half, upper=est + half, df=df, t=float(t.statistic))
    return out


diffs.append(welch_case("typical", [0.7, 0.8, 0.6, 0.9, 0.75], [0.5, 0.55, 0.6, 0.4]))
diffs.append(welch_case("unequal n and spread", [round(float(v), 3) for v in rng.normal(7, 2, 25)], [round(float(v), 3) for v in rng.normal(6, 0.5, 9)]))
diffs.append(welch_case("one value", [0.5], [0.2, 0.3]))
diffs.append(welch_case("both constant", [0.5, 0.5], [0.2, 0.2]))
diffs.append(welch_case("empty", [], [0.2, 0.3]))

bias = []


def bias_case(name, judge, human):
    d = np.asarray(judge, dtype=float) - np.asarray(human, dtype=float)
    n = len(d)
    out = {"name": name, "judge": judge, "human": human, "n": n}
    if n == 0:
        out.update(estimate=None, lower=None, upper=None)
    elif n == 1:
        out.update(estimate=float(d.mean()), lower=None, upper=None)
    else:
        half = t975(n - 1) * stats.sem(d)
        out.update(estimate=float(d.mean()), lower=float(d.mean() - half), upper=float(d.mean() + half))
    return out


bias.append(bias_case("judge harsher", [0.2, 0.4, 0.5, 0.3, 0.6], [0.5, 0.6, 0.5, 0.6, 0.7]))
hj = [round(float(v), 4) for v in rng.uniform(0, 1, 40)]
bias.append(bias_case("n=40", hj, [round(float(v), 4) for v in rng.uniform(0, 1, 40)]))
bias.append(bias_case("single pair", [0.5], [0.25]))

with open(OUT, "w") as f:
    json.dump({"scipy": scipy.__version__, "correlation": corr, "welch": diffs, "bias": bias}, f, indent=1)
    f.write("\n")
print("wrote", OUT)
