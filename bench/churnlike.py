"""Choose k against segment on a file like the credit-card churn export: wall times of the CLI.

    python -m bench.churnlike [SOURCE] [--repeats N]

Builds (in bench/out) a 10,127-row file in the schema of the credit-card churn
export ("BankChurners": English headers, ``Attrition_Flag``, two naive-Bayes
columns holding a classifier's churn predictions) from the public Portuguese
copy of it, ../shared/datasets/ClientesBanco.csv, then times
``python -m segmentation segment`` and ``python -m segmentation choose-k`` on
it, alternating, and prints one JSON line: the medians and their ratio (the
target is choose-k at most 4x segment).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
# ../shared/datasets beside the checkout; the benchmark runs from a snapshot deeper down, so look upwards.
SOURCE = next(
    (
        folder / "shared" / "datasets" / "ClientesBanco.csv"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "datasets" / "ClientesBanco.csv").is_file()
    ),
    ROOT.parent / "shared" / "datasets" / "ClientesBanco.csv",
)
OUT = ROOT / "bench" / "out"
ENGLISH = {
    "CLIENTNUM": "CLIENTNUM",
    "Categoria": "Attrition_Flag",
    "Idade": "Customer_Age",
    "Sexo": "Gender",
    "Dependentes": "Dependent_count",
    "Educação": "Education_Level",
    "Estado Civil": "Marital_Status",
    "Faixa Salarial Anual": "Income_Category",
    "Categoria Cartão": "Card_Category",
    "Meses como Cliente": "Months_on_book",
    "Produtos Contratados": "Total_Relationship_Count",
    "Inatividade 12m": "Months_Inactive_12_mon",
    "Contatos 12m": "Contacts_Count_12_mon",
    "Limite": "Credit_Limit",
    "Limite Consumido": "Total_Revolving_Bal",
    "Limite Disponível": "Avg_Open_To_Buy",
    "Mudanças Transacoes_Q4_Q1": "Total_Amt_Chng_Q4_Q1",
    "Valor Transacoes 12m": "Total_Trans_Amt",
    "Qtde Transacoes 12m": "Total_Trans_Ct",
    "Mudança Qtde Transações_Q4_Q1": "Total_Ct_Chng_Q4_Q1",
    "Taxa de Utilização Cartão": "Avg_Utilization_Ratio",
}
NB = (
    "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_"
    "Dependent_count_Education_Level_Months_Inactive_12_mon_"
)


def churn_like(source: Path = SOURCE, seed: int = 0) -> pd.DataFrame:
    """The churn export's schema, filled from its Portuguese copy; the two classifier columns are
    made from the outcome itself (as the export's are: they predict it at AUC about 0.99)."""
    table = pd.read_csv(source, encoding="cp1252", dtype=str, keep_default_na=False)
    table = table.rename(columns=ENGLISH)
    attrited = table["Attrition_Flag"].str.strip().eq("Cancelado")
    table["Attrition_Flag"] = np.where(attrited, "Attrited Customer", "Existing Customer")
    table = table.replace({"Não informado": "Unknown"})
    rng = np.random.default_rng(seed)
    churn = np.clip(np.where(attrited, 0.97, 0.03) + rng.normal(0, 0.03, len(table)), 1e-5, 1 - 1e-5)
    table[NB + "1"] = np.round(churn, 5)
    table[NB + "2"] = np.round(1 - churn, 5)
    return table


def write_churn_like(path: Path, source: Path = SOURCE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    churn_like(source).to_csv(path, index=False)
    return path


def _wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "segmentation", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    path = write_churn_like(OUT / "churn_like.csv", args.source)
    segment, choose = [], []
    for _ in range(args.repeats):  # alternating: the machine's speed drifts within minutes
        segment.append(_wall(["segment", str(path), "-o", str(OUT / "churn_like_labeled.csv")]))
        choose.append(_wall(["choose-k", str(path)]))
    seg, ck = statistics.median(segment), statistics.median(choose)
    print(
        json.dumps(
            {"rows": len(pd.read_csv(path, usecols=[0])), "segment_seconds": segment,
             "choose_k_seconds": choose, "segment_median": seg, "choose_k_median": ck, "ratio": ck / seg}
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
