"""Customer segmentation core: read real CSVs, choose features, KMeans, profiles, export.

Pure Python on pandas, NumPy, pyarrow and scikit-learn; the dashboard and the
command line are thin layers over this package. Names are imported on first
use, so ``python -m segmentation --help`` starts without loading scikit-learn.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Segmentation": "analysis",
    "Settings": "settings",
    "segment": "analysis",
    "select_and_prepare": "analysis",
    "KChoice": "choose_k",
    "evaluate_k": "choose_k",
    "Dataset": "dataset",
    "load": "dataset",
    "SegmentationError": "errors",
    "FeatureSelection": "features",
    "choose_features": "features",
    "SCALINGS": "settings",
    "SegmentResult": "model",
    "fit_segments": "model",
    "SegmentProfiles": "profiles",
    "profile_segments": "profiles",
    "DEFAULT_MAX_BYTES": "reader",
    "ReadReport": "reader",
    "read_csv": "reader",
    "generate_customers": "synthetic",
    "MISSING_POLICIES": "settings",
    "FeatureData": "validation",
    "Problem": "findings",
    "ValidationReport": "validation",
    "prepare": "validation",
}
__all__ = [
    "DEFAULT_MAX_BYTES",
    "MISSING_POLICIES",
    "SCALINGS",
    "Dataset",
    "FeatureData",
    "FeatureSelection",
    "KChoice",
    "Problem",
    "ReadReport",
    "SegmentProfiles",
    "SegmentResult",
    "Segmentation",
    "SegmentationError",
    "Settings",
    "ValidationReport",
    "choose_features",
    "evaluate_k",
    "fit_segments",
    "generate_customers",
    "load",
    "prepare",
    "profile_segments",
    "read_csv",
    "segment",
    "select_and_prepare",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'segmentation' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .analysis import Segmentation, segment, select_and_prepare
    from .choose_k import KChoice, evaluate_k
    from .dataset import Dataset, load
    from .errors import SegmentationError
    from .features import FeatureSelection, choose_features
    from .findings import Problem
    from .model import SegmentResult, fit_segments
    from .profiles import SegmentProfiles, profile_segments
    from .reader import DEFAULT_MAX_BYTES, ReadReport, read_csv
    from .settings import MISSING_POLICIES, SCALINGS, Settings
    from .synthetic import generate_customers
    from .validation import FeatureData, ValidationReport, prepare
