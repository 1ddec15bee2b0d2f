#!/usr/bin/python3
"""Golden values for server/stats/noncentral-t.ts and power.ts, computed with SciPy (scipy.stats.nct / t).

Run: /usr/bin/python3 scripts/golden/power_golden.py  (writes server/stats/__fixtures__/power-golden.json)

- nct: CDF and survival function of the noncentral t over df 1…1e5 (non-integer too), noncentrality −40…40.
- welchPower: power of the two-sided Welch t-test with Welch–Satterthwaite df,
  nct.sf(c, df, δ) + nct.cdf(−c, df, δ) with c the t quantile 1 − α/2 (see t_critical), for unequal n and SDs, tiny and large n.
- solve: the smallest equal n per arm (n ≥ 2) reaching a target power, found by brute force: SciPy's power
  evaluated at every n from 2 to the cap, first n at or above the target (None when the cap is not reached).
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

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "server", "stats", "__fixtures__", "power-golden.json")


def t_critical(df, alpha):
    # SciPy 1.10's t.ppf (cephes stdtrit) is off by up to ~1e-8 relative (df = 6: stdtr(6, -ppf(0.975)) =
    # 0.02500000008), while special.stdtr is accurate to ~1e-15; as in stats_golden.py the critical value is
    # the root of stdtr(df, -x) = alpha/2, polished from SciPy's ppf by Brent's method.
    q = stats.t.ppf(1 - alpha / 2, df)
    return optimize.brentq(lambda x: special.stdtr(df, -x) - alpha / 2, q * (1 - 1e-6), q * (1 + 1e-6),
                           xtol=1e-300, rtol=8.9e-16, maxiter=500)


t_critical_v = np.vectorize(t_critical)


def welch_power(diff, sd1, sd2, n1, n2, alpha):
    n1 = np.asarray(n1, dtype=float)
    n2 = np.asarray(n2, dtype=float)
    v1 = sd1 * sd1 / n1
    v2 = sd2 * sd2 / n2
    se = np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    nc = abs(diff) / se
    c = t_critical_v(df, alpha)
    return stats.nct.sf(c, df, nc) + stats.nct.cdf(-c, df, nc), df, nc, c


nct_cases = []
for df in [1, 2.5, 4, 9.3, 30, 187.6, 1000, 1e5]:
    for nc in [-40, -6.5, -1.2, 0.0, 0.3, 2.0, 5.5, 12, 40]:
        for x in [-8.0, -2.1, -0.4, 0.0, 0.7, 1.96, 3.3, 10.0, 45.0]:
            nct_cases.append({"x": x, "df": df, "nc": nc,
                              "cdf": float(stats.nct.cdf(x, df, nc)), "sf": float(stats.nct.sf(x, df, nc))})

power_cases = []
for diff, sd1, sd2, n1, n2, alpha in [
    (0.5, 1, 1, 2, 2, 0.05), (0.5, 1, 1, 3, 5, 0.05), (0.5, 1, 1, 20, 20, 0.05), (0.5, 1, 1, 64, 64, 0.05),
    (0.2, 1, 1, 394, 394, 0.05), (0.2, 1, 1.5, 500, 300, 0.01), (1.0, 2, 0.5, 10, 40, 0.05),
    (-0.8, 1.3, 1, 15, 12, 0.1), (0.05, 1, 1, 20000, 20000, 0.05), (0.01, 1, 1, 100000, 100000, 0.05),
    (3.0, 1, 1, 4, 4, 0.05), (2.5, 1, 3, 2, 9, 0.2), (0.0, 1, 1, 50, 50, 0.05), (0.3, 1, 1, 100, 100, 0.5),
    (1.2, 1.8, 2.4, 7, 30, 0.005), (0.35, 1, 1, 1000, 25, 0.05), (8.0, 1, 1, 2, 2, 0.05), (0.7, 1, 1, 6, 6, 0.001),
]:
    p, df, nc, c = welch_power(diff, sd1, sd2, n1, n2, alpha)
    power_cases.append({"meanDifference": diff, "sdReference": sd1, "sdOther": sd2, "nReference": n1, "nOther": n2,
                        "alpha": alpha, "power": float(p), "df": float(df), "noncentrality": float(nc), "critical": float(c)})

solve_cases = []
for diff, sd1, sd2, alpha, target, cap in [
    (0.5, 1, 1, 0.05, 0.8, 5000), (0.5, 1, 1, 0.05, 0.9, 5000), (0.2, 1, 1, 0.05, 0.8, 5000),
    (0.8, 1, 2, 0.01, 0.95, 5000), (1.5, 1, 1, 0.05, 0.8, 5000), (3.0, 1, 1, 0.05, 0.8, 5000),
    (0.1, 1, 1, 0.05, 0.8, 5000), (0.05, 1, 1, 0.05, 0.8, 5000), (0.35, 2, 1, 0.0125, 0.85, 5000),
    (10.0, 1, 1, 0.05, 0.99, 5000), (0.6, 1.5, 1, 0.1, 0.5, 5000), (0.25, 1, 1, 0.025, 0.999, 5000),
]:
    ns = np.arange(2, cap + 1)
    p, _, _, _ = welch_power(diff, sd1, sd2, ns, ns, alpha)
    hit = np.nonzero(p >= target)[0]
    n = int(ns[hit[0]]) if hit.size else None
    solve_cases.append({"meanDifference": diff, "sdReference": sd1, "sdOther": sd2, "alpha": alpha, "power": target,
                        "nMax": cap, "nPerArm": n, "achievedPower": float(p[hit[0]]) if hit.size else float(p[-1])})

data = {
    "generator": {"script": "scripts/golden/power_golden.py", "python": sys.version.split()[0],
                  "numpy": np.__version__, "scipy": scipy.__version__},
    "nct": nct_cases,
    "welchPower": power_cases,
    "solve": solve_cases,
}

with open(OUT, "w") as f:
    json.dump(data, f, indent=1, allow_nan=False)
    f.write("\n")
print(f"wrote {os.path.normpath(OUT)}: {len(nct_cases)} nct, {len(power_cases)} power, {len(solve_cases)} solve cases")
