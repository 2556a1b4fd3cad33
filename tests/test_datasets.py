"""Acceptance tests on the real public customer CSVs in ../shared/datasets (see its SOURCES.md).

One test per file: row count, chosen features, and the traps the file is known for.
The files are not copied into this repository; the tests skip when the folder is absent.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from segmentation.prepare import roles as roles
from segmentation.prepare.dataset import Dataset, load
from segmentation.prepare.features import DATE_REASON, FeatureSelection, choose_features
from segmentation.prepare.validation import FeatureData, ValidationReport, prepare

pytestmark = pytest.mark.datasets

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
VARIANTS = DATASETS / "variants"
ID_REASON = "customer ID: named like an identifier and almost unique per row"


@functools.cache
def _analyse(relative: str) -> tuple[Dataset, FeatureSelection, FeatureData, ValidationReport]:
    ds = load(DATASETS / relative)
    selection = choose_features(ds.columns)
    data, report = prepare(ds.columns, selection)
    return ds, selection, data, report


def analyse(relative: str) -> tuple[Dataset, FeatureSelection, FeatureData, ValidationReport]:
    path = DATASETS / relative
    if not DATASETS.is_dir():
        pytest.skip(
            f"../shared/datasets not found: {DATASETS} does not exist (real CSVs live beside the checkout)"
        )
    if not path.is_file():
        pytest.skip(f"../shared/datasets not found: {path} is missing from the shared folder")
    return _analyse(relative)


def missing(report: ValidationReport) -> dict[str, int]:
    """Columns with missing cells and how many."""
    return {name: info.n_missing for name, info in report.columns.items() if info.n_missing}


# --- main files ------------------------------------------------------------------------


def test_mall_customers() -> None:
    ds, selection, data, report = analyse("Mall_Customers.csv")
    assert ds.n_rows == 200 and ds.read_report.n_rows == 200
    assert ds.read_report.encoding == "UTF-8"
    assert ds.read_report.delimiter == ","
    assert ds.read_report.line_ending == "CRLF"
    assert ds.read_report.final_newline is False
    assert list(ds.raw.columns) == [
        "CustomerID",
        "Genre",
        "Age",
        "Annual Income (k$)",
        "Spending Score (1-100)",
    ]
    assert ds.raw["CustomerID"].iloc[0] == "0001"
    assert ds.raw["CustomerID"].iloc[-1] == "0200"
    assert ds.raw.iloc[-1].tolist() == ["0200", "Male", "30", "137", "83"]
    assert selection.schema == "generic"
    assert selection.numeric == ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    assert selection.categorical == ["Genre"]
    assert selection.excluded == {"CustomerID": ID_REASON}
    assert data.categories == {"Genre": ["Female", "Male"]}
    assert missing(report) == {}
    assert data.n_usable == 200


def test_wholesale_customers() -> None:
    ds, selection, data, report = analyse("Wholesale customers data.csv")
    assert ds.n_rows == 440
    assert ds.read_report.delimiter == ","
    assert ds.read_report.encoding == "UTF-8"
    assert ds.read_report.final_newline is True
    assert selection.numeric == [
        "Channel",
        "Region",
        "Fresh",
        "Milk",
        "Grocery",
        "Frozen",
        "Detergents_Paper",
        "Delicassen",
    ]
    assert selection.categorical == []
    assert selection.excluded == {}
    assert selection.id_column is None
    assert missing(report) == {}
    assert data.n_usable == 440
    # Integer-coded categories can be turned into categories on request.
    recoded = choose_features(ds.columns, as_categorical=["Channel", "Region"])
    assert recoded.categorical == ["Channel", "Region"]
    recoded_data, _ = prepare(ds.columns, recoded)
    assert recoded_data.categories == {"Channel": ["1", "2"], "Region": ["1", "2", "3"]}


def test_marketing_campaign() -> None:
    ds, selection, data, report = analyse("marketing_campaign.csv")
    assert ds.n_rows == 2240
    assert ds.read_report.delimiter == "\t"
    assert ds.raw.shape == (2240, 29)
    assert selection.numeric == [
        "Year_Birth",
        "Income",
        "Kidhome",
        "Teenhome",
        "Recency",
        "MntWines",
        "MntFruits",
        "MntMeatProducts",
        "MntFishProducts",
        "MntSweetProducts",
        "MntGoldProds",
        "NumDealsPurchases",
        "NumWebPurchases",
        "NumCatalogPurchases",
        "NumStorePurchases",
        "NumWebVisitsMonth",
        "AcceptedCmp3",
        "AcceptedCmp4",
        "AcceptedCmp5",
        "AcceptedCmp1",
    ]
    assert selection.categorical == ["Education", "Marital_Status"]
    assert selection.outcomes == ["Response"]
    constant = "the same value in every row: it cannot tell customers apart"
    assert selection.excluded == {
        "ID": ID_REASON,
        "Dt_Customer": DATE_REASON,
        "Z_CostContact": constant,
        "Z_Revenue": constant,
        "Response": roles.OUTCOME,
        # 30 and 21 of 2,240 customers: rare flags, left out of the default features.
        "AcceptedCmp2": "rare flag: only 1.3% of customers have 1 (the others 0); too few (under 5%) to "
        "shape segments, they would make a tiny one",
        "Complain": "rare flag: only 0.9% of customers have 1 (the others 0); too few (under 5%) to "
        "shape segments, they would make a tiny one",
    }
    assert report.columns["Dt_Customer"].kind == "date"
    assert missing(report) == {"Income": 24}
    assert report.columns["Income"].n_empty == 24
    assert any(p.column == "Income" and "24 cells are empty" in p.message for p in report.problems)
    assert data.categories["Education"] == ["2n Cycle", "Basic", "Graduation", "Master", "PhD"]
    assert data.numeric["Income"].max() == 666666.0
    # 666666 is reported with its line and held out of the fit, not made a segment.
    [income] = [p for p in report.problems if p.code == "extreme-rows" and p.column == "Income"]
    assert income.count == 1 and income.lines == (2235,)
    assert data.n_usable == 2240
    excluded_data, _ = prepare(ds.columns, selection, missing="exclude")
    assert excluded_data.n_usable == 2216
    assert (excluded_data.row_notes == "not segmented: missing Income").sum() == 24


def test_cc_general() -> None:
    ds, selection, data, report = analyse("CC GENERAL.csv")
    assert ds.n_rows == 8950
    assert ds.raw["CUST_ID"].iloc[0] == "C10001"
    assert selection.numeric == [
        "BALANCE",
        "BALANCE_FREQUENCY",
        "PURCHASES",
        "ONEOFF_PURCHASES",
        "INSTALLMENTS_PURCHASES",
        "CASH_ADVANCE",
        "PURCHASES_FREQUENCY",
        "ONEOFF_PURCHASES_FREQUENCY",
        "PURCHASES_INSTALLMENTS_FREQUENCY",
        "CASH_ADVANCE_FREQUENCY",
        "CASH_ADVANCE_TRX",
        "PURCHASES_TRX",
        "CREDIT_LIMIT",
        "PAYMENTS",
        "MINIMUM_PAYMENTS",
        "PRC_FULL_PAYMENT",
        "TENURE",
    ]
    assert selection.categorical == []
    assert selection.excluded == {"CUST_ID": ID_REASON}
    assert selection.id_column == "CUST_ID"
    assert missing(report) == {"MINIMUM_PAYMENTS": 313, "CREDIT_LIMIT": 1}
    assert data.n_usable == 8950
    excluded_data, _ = prepare(ds.columns, selection, missing="exclude")
    assert excluded_data.n_usable == 8950 - 314  # 313 + 1 gaps, never in the same row
    assert (excluded_data.row_notes == "not segmented: missing CREDIT_LIMIT").sum() == 1
    assert len(excluded_data.row_notes) == 8950


def test_base_cliente() -> None:
    ds, selection, data, report = analyse("Base_cliente.csv")
    assert ds.n_rows == 10615
    assert ds.read_report.encoding == "UTF-8 with BOM"
    assert ds.read_report.delimiter == ";"
    assert ds.raw.columns[0] == "CD_CLIENTE"
    assert selection.numeric == [
        "Tempo_Relacionamento_media",
        "RECEITA_RECORRENTE_media",
        "QTDE_TICKETS_media",
    ]
    assert selection.categorical == ["SEGMENTO", "FAIXA_FATURAMENTO", "MODALIDADE_COMERCIALIZADA", "REGIAO"]
    assert selection.excluded["CD_CLIENTE"] == ID_REASON
    assert selection.excluded["RESPOSTA_NPS_RELACIONAL"] == "54% of the cells are missing"
    for many in ("MARCA_TOTVS", "UF", "UF_AJUSTADA"):
        assert "too many to use as a category" in selection.excluded[many]
    # Decimal commas: raw text kept, parsed value a float.
    tempo = report.columns["Tempo_Relacionamento_media"]
    assert tempo.kind == "numeric" and tempo.decimal_comma is True and tempo.n_missing == 0
    row = ds.raw.index[ds.raw["Tempo_Relacionamento_media"] == "2964,7"][0]
    assert ds.columns["Tempo_Relacionamento_media"].values[row] == pytest.approx(2964.7)
    assert data.numeric["Tempo_Relacionamento_media"][row] == pytest.approx(2964.7)
    assert ds.raw["Tempo_Relacionamento_media"].str.contains(",").sum() == 6151
    assert np.isfinite(ds.columns["Tempo_Relacionamento_media"].values).all()
    # Commas inside unquoted category text survive because the separator is ';'.
    assert "Faixa 00 - Ate 4,5 M" in data.categories["FAIXA_FATURAMENTO"]
    # 'Sem Informações de Faturamento' is a missing-value sentinel.
    faixa = report.columns["FAIXA_FATURAMENTO"]
    assert faixa.sentinels == {"Sem Informações de Faturamento": 5059}
    assert faixa.n_missing == 5059
    assert "Sem Informações de Faturamento" not in data.categories["FAIXA_FATURAMENTO"]
    assert (ds.raw["FAIXA_FATURAMENTO"] == "Sem Informações de Faturamento").sum() == 5059
    assert missing(report) == {
        "FAIXA_FATURAMENTO": 5059,
        "MARCA_TOTVS": 5,
        "MODALIDADE_COMERCIALIZADA": 1631,
        "RESPOSTA_NPS_RELACIONAL": 5754,
        "RECEITA_RECORRENTE_media": 3306,
        "QTDE_TICKETS_media": 3742,
    }
    assert any(
        p.column == "Tempo_Relacionamento_media" and "decimal commas" in p.message for p in report.problems
    )


def test_clientes_banco() -> None:
    ds, selection, data, report = analyse("ClientesBanco.csv")
    assert ds.n_rows == 10127
    assert ds.read_report.encoding == "Windows-1252 (Western European)"
    assert list(ds.raw.columns)[:6] == ["CLIENTNUM", "Categoria", "Idade", "Sexo", "Dependentes", "Educação"]
    assert "Taxa de Utilização Cartão" in ds.raw.columns
    assert selection.numeric == [
        "Idade",
        "Dependentes",
        "Meses como Cliente",
        "Produtos Contratados",
        "Inatividade 12m",
        "Contatos 12m",
        "Limite",
        "Limite Consumido",
        "Limite Disponível",
        "Mudanças Transacoes_Q4_Q1",
        "Valor Transacoes 12m",
        "Qtde Transacoes 12m",
        "Mudança Qtde Transações_Q4_Q1",
        "Taxa de Utilização Cartão",
    ]
    assert selection.categorical == [
        "Sexo",
        "Educação",
        "Estado Civil",
        "Faixa Salarial Anual",
        "Categoria Cartão",
    ]
    # Cliente / Cancelado: the churn outcome, shown per segment rather than segmented on.
    assert selection.outcomes == ["Categoria"]
    assert set(selection.excluded) == {"CLIENTNUM", "Categoria"}
    assert selection.excluded["CLIENTNUM"] == ID_REASON
    assert report.columns["Educação"].sentinels == {"Não informado": 1519}
    assert report.columns["Estado Civil"].n_missing == 749
    assert report.columns["Faixa Salarial Anual"].n_missing == 1112
    assert (ds.raw["Educação"] == "Não informado").sum() == 1519
    assert "Não informado" not in data.categories["Educação"]
    assert data.n_usable == 10127
    # Values that lost their decimal point (1335 for 1.335) are held out of the fit.
    extremes = {p.column for p in report.problems if p.code == "extreme-rows"}
    assert extremes == {"Mudanças Transacoes_Q4_Q1", "Mudança Qtde Transações_Q4_Q1"}


def test_sales_data_sample() -> None:
    ds, selection, data, report = analyse("sales_data_sample.csv")
    assert ds.n_rows == 2823
    assert ds.read_report.encoding == "DOS 850 (Western European)"
    assert ds.read_report.quoted_fields is True
    assert ds.read_report.line_ending == "LF"
    assert (ds.raw["ADDRESSLINE1"] == "Berguvsvägen  8").sum() == 19
    assert ds.raw["CONTACTFIRSTNAME"].str.contains("Martín").any()
    assert "Australian Collectors, Co." in set(ds.raw["CUSTOMERNAME"])
    assert "25, rue Lauriston" in set(ds.raw["ADDRESSLINE1"])
    # NA = North America: real data, kept in the raw text and as a category.
    assert (ds.raw["TERRITORY"] == "NA").sum() == 1074
    territory = report.columns["TERRITORY"]
    assert territory.n_missing == 0 and territory.sentinels == {}
    assert (data.categorical["TERRITORY"] == "NA").sum() == 1074
    assert data.categories["TERRITORY"] == ["APAC", "EMEA", "Japan", "NA"]
    assert selection.numeric == ["QUANTITYORDERED", "PRICEEACH", "SALES", "MSRP"]
    reasons = {name: reason.split(":")[0] for name, reason in selection.excluded.items()}
    assert reasons["ORDERNUMBER"] == reasons["ORDERLINENUMBER"] == "order number"
    assert reasons["QTR_ID"] == reasons["MONTH_ID"] == reasons["YEAR_ID"] == "date part"
    assert reasons["POSTALCODE"] == "postal code" and reasons["PHONE"] == "phone number"
    assert reasons["ADDRESSLINE1"] == "address"
    assert selection.categorical == ["STATUS", "PRODUCTLINE", "COUNTRY", "TERRITORY", "DEALSIZE"]
    assert selection.excluded["ORDERDATE"].startswith("date:")
    assert selection.excluded["CUSTOMERNAME"].startswith("customer key repeating over rows")
    assert missing(report) == {"ADDRESSLINE2": 2521, "STATE": 1486, "POSTALCODE": 76}
    [note] = selection.notes
    assert note.code == "order-lines" and note.column == "CUSTOMERNAME"
    assert "'CUSTOMERNAME' has 92 different values over 2,823 rows" in note.message
    assert selection.order_lines is not None and selection.order_lines.customer_column == "CUSTOMERNAME"
    assert "order-lines" in {p.code for p in report.by_severity("warning")}


def test_telco_customer_churn() -> None:
    ds, selection, data, report = analyse("WA_Fn-UseC_-Telco-Customer-Churn.csv")
    assert ds.n_rows == 7043
    assert selection.numeric == ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]
    assert selection.categorical == [
        "gender",
        "Partner",
        "Dependents",
        "PhoneService",
        "MultipleLines",
        "InternetService",
        "OnlineSecurity",
        "OnlineBackup",
        "DeviceProtection",
        "TechSupport",
        "StreamingTV",
        "StreamingMovies",
        "Contract",
        "PaperlessBilling",
        "PaymentMethod",
    ]
    assert selection.outcomes == ["Churn"]
    assert set(selection.excluded) == {"customerID", "Churn"}
    total = report.columns["TotalCharges"]
    assert total.kind == "numeric"
    assert total.n_missing == 11 and total.n_empty == 11
    assert missing(report) == {"TotalCharges": 11}
    blank = ds.raw.index[ds.raw["TotalCharges"] == " "]
    assert [int(i) + 2 for i in blank] == [490, 755, 938, 1084, 1342, 3333, 3828, 4382, 5220, 6672, 6756]
    assert data.numeric["TotalCharges"].isna().sum() == 11
    assert data.categories["InternetService"] == ["DSL", "Fiber optic", "No"]
    assert data.n_usable == 7043


# --- variants ---------------------------------------------------------------------------


def test_variant_wholesale_semicolon() -> None:
    ds, selection, _data, report = analyse(
        "variants/sidikafirat+Wholesale-Classification/Wholesale customers data.csv"
    )
    assert ds.n_rows == 440
    assert ds.read_report.delimiter == ";"
    assert selection.numeric == [
        "Channel",
        "Region",
        "Fresh",
        "Milk",
        "Grocery",
        "Frozen",
        "Detergents_Paper",
        "Delicassen",
    ]
    assert selection.categorical == []
    canonical, *_ = analyse("Wholesale customers data.csv")
    assert ds.raw.equals(canonical.raw)
    assert missing(report) == {}


def test_variant_wholesale_bom() -> None:
    ds, selection, _data, _report = analyse("variants/pycaret+pycaret/wholesale.csv")
    assert ds.n_rows == 440
    assert ds.read_report.encoding == "UTF-8 with BOM"
    assert ds.raw.columns[0] == "Channel"
    assert selection.numeric[0] == "Channel"
    assert len(selection.numeric) == 8 and selection.categorical == []
    canonical, *_ = analyse("Wholesale customers data.csv")
    assert ds.raw.equals(canonical.raw)


def test_variant_mall_with_blanks() -> None:
    ds, selection, data, report = analyse("variants/Meet00732+Customer_Segmentation/Mall_Customers.csv")
    assert ds.n_rows == 200
    assert ds.read_report.final_newline is True
    assert selection.numeric == ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    assert selection.categorical == ["Gender"]
    assert selection.excluded == {"CustomerID": ID_REASON}
    assert missing(report) == {
        "Gender": 17,
        "Age": 10,
        "Annual Income (k$)": 14,
        "Spending Score (1-100)": 13,
    }
    assert sum(missing(report).values()) == 54
    assert data.n_usable == 200  # impute: every row has at least one value
    excluded, _ = prepare(ds.columns, selection, missing="exclude")
    assert excluded.n_usable == 147  # the blanks are spread over 53 rows
    assert sum(note.startswith("not segmented: missing") for note in excluded.row_notes) == 53
    # Every non-blank cell equals the canonical file (IDs unpadded, Genre renamed Gender).
    canonical, *_ = analyse("Mall_Customers.csv")
    assert ds.raw["CustomerID"].tolist() == [str(int(v)) for v in canonical.raw["CustomerID"]]
    pairs = [
        ("Gender", "Genre"),
        ("Age", "Age"),
        ("Annual Income (k$)", "Annual Income (k$)"),
        ("Spending Score (1-100)", "Spending Score (1-100)"),
    ]
    for mine, theirs in pairs:
        present = ds.raw[mine] != ""
        assert (ds.raw[mine][present] == canonical.raw[theirs][present]).all()


def test_variant_marketing_all_quoted() -> None:
    ds, selection, data, report = analyse(
        "variants/ShreyashSC+Customer_Personality_Analysis/marketing_campaign.csv"
    )
    assert ds.n_rows == 2240
    assert ds.read_report.delimiter == ","
    assert ds.read_report.quoted_fields is True
    assert ds.read_report.line_ending == "LF"
    canonical, canonical_selection, canonical_data, _ = analyse("marketing_campaign.csv")
    # Same cells as the tab-separated original, except the date format.
    assert ds.raw.drop(columns="Dt_Customer").equals(canonical.raw.drop(columns="Dt_Customer"))
    assert ds.raw["Dt_Customer"].iloc[0] == "9/4/2012"
    assert canonical.raw["Dt_Customer"].iloc[0] == "04-09-2012"
    assert selection.numeric == canonical_selection.numeric
    assert selection.categorical == canonical_selection.categorical
    assert selection.excluded == canonical_selection.excluded
    assert missing(report) == {"Income": 24}
    assert ds.raw["Income"].eq("").sum() == 24
    np.testing.assert_array_equal(data.numeric.to_numpy(), canonical_data.numeric.to_numpy())


def test_every_shared_csv_has_a_test() -> None:
    if not DATASETS.is_dir():
        pytest.skip(f"../shared/datasets not found: {DATASETS} does not exist")
    covered = {
        "Mall_Customers.csv",
        "Wholesale customers data.csv",
        "marketing_campaign.csv",
        "CC GENERAL.csv",
        "Base_cliente.csv",
        "ClientesBanco.csv",
        "sales_data_sample.csv",
        "WA_Fn-UseC_-Telco-Customer-Churn.csv",
        "variants/sidikafirat+Wholesale-Classification/Wholesale customers data.csv",
        "variants/pycaret+pycaret/wholesale.csv",
        "variants/Meet00732+Customer_Segmentation/Mall_Customers.csv",
        "variants/ShreyashSC+Customer_Personality_Analysis/marketing_campaign.csv",
    }
    found = {p.relative_to(DATASETS).as_posix() for p in DATASETS.rglob("*.csv")}
    assert found == covered
