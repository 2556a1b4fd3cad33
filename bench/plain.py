"""Plain-pandas baseline: what a data scientist would write in a notebook.

Standalone on purpose (imports nothing from this repository):

    python bench/plain.py customers.csv labeled.csv

read_csv → get_dummies(product_category) (all four categories present) →
StandardScaler on the numeric features → KMeans(5, random_state=42) →
per-cluster means → to_csv of the labeled frame. The last stdout line is
JSON with the inertia.
"""

import json
import sys

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

NUMERIC = [
    "annual_income",
    "spending_score",
    "number_of_purchases",
    "age",
    "years_with_company",
    "average_order_value",
    "activity_per_week",
]
CATEGORIES = ["electronics", "fashion", "home_goods", "beauty"]


def main(source: str, target: str) -> None:
    df = pd.read_csv(source)
    dummies = pd.get_dummies(df["product_category"], dtype=float)
    for category in CATEGORIES:
        if category not in dummies.columns:
            dummies[category] = 0.0
    dummies = dummies[CATEGORIES]
    scaled = pd.DataFrame(StandardScaler().fit_transform(df[NUMERIC]), columns=NUMERIC, index=df.index)
    features = pd.concat([scaled, dummies], axis=1)
    kmeans = KMeans(n_clusters=5, random_state=42)
    df["cluster"] = kmeans.fit_predict(features)
    means = df.groupby("cluster")[NUMERIC].mean()
    print(means.to_string())
    df.to_csv(target, index=False)
    print(json.dumps({"inertia": float(kmeans.inertia_), "n_init": int(kmeans._n_init)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
