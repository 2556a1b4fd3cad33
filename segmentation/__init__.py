"""Customer segmentation core: read real CSVs, choose features, KMeans, profiles, export.

Pure Python on pandas, NumPy, pyarrow and scikit-learn; the dashboard and the
command line are thin layers over this package.
"""

from .analysis import Segmentation, Settings, segment, select_and_prepare
from .choose_k import KChoice, evaluate_k
from .dataset import Dataset, load
from .errors import SegmentationError
from .features import FeatureSelection, choose_features
from .model import SCALINGS, SegmentResult, fit_segments
from .profiles import SegmentProfiles, profile_segments
from .reader import DEFAULT_MAX_BYTES, ReadReport, read_csv
from .synthetic import generate_customers
from .validation import MISSING_POLICIES, FeatureData, Problem, ValidationReport, prepare

__all__ = [
    "DEFAULT_MAX_BYTES", "MISSING_POLICIES", "SCALINGS",
    "Dataset", "FeatureData", "FeatureSelection", "KChoice", "Problem", "ReadReport",
    "SegmentProfiles", "SegmentResult", "Segmentation", "SegmentationError", "Settings",
    "ValidationReport",
    "choose_features", "evaluate_k", "fit_segments", "generate_customers", "load", "prepare",
    "profile_segments", "read_csv", "segment", "select_and_prepare",
]
