"""The Score page and the model download of the Export page, with Streamlit's AppTest."""

from __future__ import annotations

import pickle

import pytest
from streamlit.testing.v1 import AppTest

from segmentation import Settings, load, segment
from tests import fixtures
from tests.fixtures import CreatesAFile, customers_csv, fitted_run
from tests.pages.apptest import goto, open_app


@pytest.fixture(scope="module")
def model_file() -> bytes:
    return fixtures.model_file(fitted_run(300, seed=8, n_clusters=3), {1: "Edited name"})


def open_page(page: str) -> AppTest:
    return goto(open_app(), page)


def test_export_offers_the_model() -> None:
    at = open_page("pages/export.py")
    assert at.title[0].value == "Export"
    labels = [button.label for button in at.download_button]
    assert any("model" in label.lower() for label in labels)


def test_score_page_scores_a_customer_file(model_file) -> None:
    at = open_page("pages/score.py")
    assert at.title[0].value == "Score"
    assert at.file_uploader[0].label.startswith("1. Model file")
    at.file_uploader(key="score_model").upload("model.skops", model_file, "application/octet-stream").run()
    assert not at.exception and not at.error
    assert "3 segments" in " ".join(c.value for c in at.caption)
    new = customers_csv(200, seed=9)
    at.file_uploader(key="score_customers").upload("next_month.csv", new, "text/csv").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers scored"] == "200 of 200"
    assert "Segment shift (PSI)" in metrics
    assert len(at.get("plotly_chart")) == 1
    shares = at.dataframe[0].value
    assert shares["name"].iloc[0] == "Edited name"
    assert [b.label for b in at.download_button] == ["Download scored customers"]


def test_score_page_refuses_a_pickle_and_runs_nothing(tmp_path) -> None:
    target = tmp_path / "created"
    at = open_page("pages/score.py")
    evil = pickle.dumps(CreatesAFile(target))
    at.file_uploader(key="score_model").upload("model.skops", evil, "application/octet-stream").run()
    assert not at.exception
    assert at.error and "not a model file" in at.error[0].value
    assert not target.exists()
    assert not at.download_button


def test_numbering_like_a_model_carries_its_names_to_the_other_pages() -> None:
    # A model of the dashboard's own synthetic data, with an edited name, retrained with another seed.
    data = customers_csv(100, seed=42)
    model = fixtures.model_file(segment(load(data), Settings(random_state=5)), {2: "From the model"})
    at = open_page("pages/score.py")
    at.file_uploader(key="score_model").upload("model.skops", model, "application/octet-stream").run()
    at.toggle[0].set_value(True).run()
    assert not at.exception and not at.error
    assert "kept their number" in at.info[0].value
    at.switch_page("pages/segments.py").run()
    assert not at.exception
    names = next(d.value for d in at.dataframe if "name" in d.value.columns)["name"]
    assert "From the model" in list(names)
