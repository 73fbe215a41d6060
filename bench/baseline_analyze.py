#!/usr/bin/env python3
"""Baseline for bench/analyze_1m.sh: the study's analyses with pandas + scipy, as a researcher
would script them, on the same firstmile database: read the selected annotations with their
series and model, map labels to top-level categories, then distributions, the five cross
tables with chi-square tests and adjusted residuals, series correlations (Pearson, Spearman)
and Jensen-Shannon divergences, and the three version pairs."""
import sqlite3
import sys

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, pearsonr, spearmanr

db, source = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
df = pd.read_sql_query(
    "SELECT a.symptom, a.root_cause, a.stage, r.series, r.model FROM annotations a "
    "JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id WHERE a.source = ?",
    con, params=(source,))
names = dict(con.execute("SELECT id, name FROM taxonomy_nodes WHERE level = 1"))
for column in ("symptom", "root_cause"):
    df[column] = df[column].str.split(".").str[:2].str.join(".").map(names)
df["stage"] = df["stage"].map(names)


def test(table):
    chi2, p, dof, expected = chi2_contingency(table.values, correction=False)
    n = table.values.sum()
    rows = table.values.sum(axis=1, keepdims=True) / n
    cols = table.values.sum(axis=0, keepdims=True) / n
    residuals = (table.values - expected) / np.sqrt(expected * (1 - rows) * (1 - cols))
    v = np.sqrt(chi2 / (n * (min(table.shape) - 1)))
    return chi2, p, dof, v, residuals


results = {}
for column in ("symptom", "root_cause", "stage"):
    results[column] = df[column].value_counts()
for a, b in (("symptom", "root_cause"), ("series", "symptom"), ("series", "root_cause"),
             ("stage", "symptom"), ("stage", "root_cause")):
    table = pd.crosstab(df[a], df[b])
    results[(a, b)] = test(table)
    if a == "series":
        m = table.values.astype(float)
        for i in range(len(m)):
            for j in range(len(m)):
                pearsonr(m[i], m[j]), spearmanr(m[i], m[j]), jensenshannon(m[i], m[j], base=2) ** 2
for earlier, later in (("DeepSeek-V3", "DeepSeek-R1"), ("llama", "llama3"), ("Qwen", "Qwen2.5")):
    pair = df[df["model"].isin([earlier, later])]
    for column in ("symptom", "root_cause"):
        table = pd.crosstab(pair["model"], pair[column])
        if table.shape[0] == 2:
            results[(earlier, later, column)] = test(table)
print(len(df), "annotations;", len(results), "results")
