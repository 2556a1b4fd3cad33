"""Model files: skops round trip, manifest, and files that are refused without running anything."""

from __future__ import annotations

import io
import os
import pickle
import zipfile

import joblib
import numpy as np
import pytest
import skops.io as sio

from segmentation import Settings, load, segment
from segmentation.report.errors import SegmentationError
from segmentation.reuse.modelfile import (
    ALLOWED_TYPES,
    Manifest,
    model_bytes,
    model_id,
    read_model,
    save_model,
)
from segmentation.reuse.scoring import score
from tests.fixtures import CreatesAFile, customers_csv, model_file


@pytest.fixture(scope="module")
def training_csv() -> bytes:
    return customers_csv(800, seed=11)


@pytest.fixture(scope="module")
def run(training_csv):
    return segment(load(training_csv), Settings(n_clusters=4))


@pytest.fixture(scope="module")
def file_bytes(run) -> bytes:
    return model_file(run, {2: "Loyal big spenders"})


# --------------------------------------------------------------------------- round trip


def test_round_trip_scores_the_training_file_exactly(run, training_csv, file_bytes, tmp_path) -> None:
    path = tmp_path / "model.skops"
    saved_id = save_model(run, path, {2: "Loyal big spenders"})
    model = read_model(path)
    assert model.model_id == saved_id == model_id(path.read_bytes())
    scoring = score(load(training_csv), model)
    np.testing.assert_array_equal(scoring.segments, run.result.segments)
    assert model.manifest.names[2] == "Loyal big spenders"


def test_manifest_describes_the_model(run, file_bytes) -> None:
    manifest = read_model(file_bytes).manifest
    assert [f.name for f in manifest.features] == run.selection.features
    category = manifest.categorical[0]
    assert category.fixed and category.categories == ("electronics", "fashion", "home_goods", "beauty")
    assert (manifest.n_clusters, manifest.random_state, manifest.scaling) == (4, 42, "standard")
    assert manifest.training_rows == 800 and len(manifest.training_sha256) == 64
    assert sum(s.size for s in manifest.segments) == 800
    assert sum(s.share for s in manifest.segments) == pytest.approx(1.0)
    assert manifest.segments[0].means["age"] == pytest.approx(run.profiles.summary.loc[1, "age"])
    assert all(s.distance_p99 > 0 for s in manifest.segments)
    income = manifest.numeric[0]
    assert income.minimum <= income.mean <= income.maximum and income.sd > 0
    assert {"scikit-learn", "numpy", "skops", "python"} <= set(manifest.versions)
    assert Manifest.from_json(manifest.to_json()) == manifest


def test_model_file_holds_no_customer_rows(run, file_bytes) -> None:
    ids = run.dataset.raw["customer_id"]
    with zipfile.ZipFile(io.BytesIO(file_bytes)) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
    assert not any(customer.encode() in content for customer in ids[:50])
    assert ALLOWED_TYPES == ()  # nothing beyond skops' default trusted types
    assert sio.get_untrusted_types(data=file_bytes) == []


def test_same_model_same_id_other_names_other_id(run, file_bytes) -> None:
    assert read_model(file_bytes).model_id == model_id(file_bytes)
    assert model_id(model_bytes(run, {2: "Another name"})) != model_id(file_bytes)


# --------------------------------------------------------------------------- refused files


def test_a_pickle_is_refused_and_runs_nothing(tmp_path) -> None:
    target = tmp_path / "created_by_pickle"
    data = pickle.dumps(CreatesAFile(target))
    probe = tmp_path / "probe"
    pickle.loads(pickle.dumps(CreatesAFile(probe))).close()  # the fixture really is dangerous
    assert probe.exists()
    path = tmp_path / "model.skops"
    path.write_bytes(data)
    with pytest.raises(SegmentationError) as error:
        read_model(path)
    assert error.value.code == "model-not-skops"
    assert not target.exists()


def test_a_joblib_file_is_refused_and_runs_nothing(tmp_path) -> None:
    target = tmp_path / "created_by_joblib"
    path = tmp_path / "model.joblib"
    joblib.dump(CreatesAFile(target), path)
    with pytest.raises(SegmentationError) as error:
        read_model(path)
    assert error.value.code == "model-not-skops"
    assert not target.exists()


def test_a_skops_file_holding_os_system_is_refused(file_bytes, tmp_path) -> None:
    content = sio.loads(file_bytes)
    content["hook"] = os.system
    with pytest.raises(SegmentationError) as error:
        read_model(sio.dumps(content))
    assert error.value.code == "model-untrusted"
    assert "system" in str(error.value)


def test_a_skops_file_holding_a_custom_class_is_refused(tmp_path) -> None:
    target = tmp_path / "created"
    with pytest.raises(SegmentationError) as error:
        read_model(sio.dumps({"x": CreatesAFile(target)}))
    assert error.value.code == "model-untrusted"
    assert not target.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "model-not-skops"),
        (b"customer_id,age\n1,2\n", "model-not-skops"),
        (b"PK\x03\x04 damaged", "model-unreadable"),
    ],
)
def test_other_files_are_refused(data: bytes, code: str) -> None:
    with pytest.raises(SegmentationError) as error:
        read_model(data, name="upload.skops")
    assert error.value.code == code


def test_a_skops_file_of_something_else_is_refused() -> None:
    with pytest.raises(SegmentationError) as error:
        read_model(sio.dumps({"weights": np.zeros(3)}))
    assert error.value.code == "model-unreadable"


def test_a_missing_model_file_is_reported(tmp_path) -> None:
    with pytest.raises(SegmentationError) as error:
        read_model(tmp_path / "nothing.skops")
    assert error.value.code == "file-missing"
