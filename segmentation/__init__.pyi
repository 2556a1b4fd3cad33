"""The public API of ``segmentation``: the one list of what it exports (read at import time too)."""

from .io.reader import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from .io.reader import ReadReport as ReadReport
from .io.reader import read_csv as read_csv
from .io.synthetic import generate_customers as generate_customers
from .model.analysis import (
    Segmentation as Segmentation,
)
from .model.analysis import (
    segment as segment,
)
from .model.analysis import (
    select_and_prepare as select_and_prepare,
)
from .model.choose_k import KChoice as KChoice
from .model.choose_k import evaluate_k as evaluate_k
from .model.compare import Comparison as Comparison
from .model.compare import compare_segments as compare_segments
from .model.kmeans import SegmentResult as SegmentResult
from .model.kmeans import fit_segments as fit_segments
from .model.profiles import SegmentProfiles as SegmentProfiles
from .model.profiles import profile_segments as profile_segments
from .model.settings import MISSING_POLICIES as MISSING_POLICIES
from .model.settings import SCALINGS as SCALINGS
from .model.settings import Settings as Settings
from .prepare.dataset import Dataset as Dataset
from .prepare.dataset import load as load
from .prepare.features import FeatureSelection as FeatureSelection
from .prepare.features import choose_features as choose_features
from .prepare.validation import (
    FeatureData as FeatureData,
)
from .prepare.validation import (
    ValidationReport as ValidationReport,
)
from .prepare.validation import (
    prepare as prepare,
)
from .report.errors import SegmentationError as SegmentationError
from .report.findings import Problem as Problem
from .report.html import report_html as report_html
from .report.lists import segments_zip as segments_zip
