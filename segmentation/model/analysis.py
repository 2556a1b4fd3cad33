"""One call from a loaded file to segments, profiles and exports.

The dashboard and the command line both use ``segment``; it runs the steps in
one direction: columns → features → model input + report → model → profiles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..prepare.dataset import Dataset
from ..prepare.features import FeatureSelection, choose_features
from ..prepare.validation import FeatureData, ValidationReport, prepare
from ..report.export import labeled_csv, summary_csv
from ..runtime.memory import release_freed_memory
from .settings import DEFAULTS, Settings

if TYPE_CHECKING:
    from .kmeans import SegmentResult
    from .profiles import SegmentProfiles


@dataclass
class Segmentation:
    """The outcome of one run: what was used, what was found, and the exports.

    Returned by ``segment``; the dashboard pages and the command line read
    everything they show from it, and its methods write the two CSV exports.

    Attributes
    ----------
    dataset : Dataset
        The loaded file.
    settings : Settings
        The settings of the run.
    selection : FeatureSelection
        The feature columns and why every other column was left out.
    data : FeatureData
        The model input, and which rows were segmented, held out or excluded.
    report : ValidationReport
        The data problems found and what was done about them.
    result : SegmentResult
        The fitted model and the segment of every row (0 = not segmented).
    profiles : SegmentProfiles
        Sizes, means, category mix and differences per segment.
    names : dict of int to str
        Segment names for the exports; starts as the generated ones, the user may edit them.
    """

    dataset: Dataset
    settings: Settings
    selection: FeatureSelection
    data: FeatureData
    report: ValidationReport
    result: SegmentResult
    profiles: SegmentProfiles
    names: dict[int, str] = field(default_factory=dict)

    def labeled_csv(
        self, names: Mapping[int, str] | None = None, *, path: str | Path | None = None
    ) -> bytes | None:
        """Every input row and cell, plus segment, segment_name (and segment_note).

        Written in the file's own delimiter and header. ``names`` overrides
        ``self.names``; ``segment_note`` is added when some row was not segmented
        or was held out of the fit, and says why.

        Returns the CSV bytes, or writes them to ``path`` and returns None.
        """
        return labeled_csv(
            self.dataset.raw,
            self.result.segments,
            dict(names or self.names),
            notes=self.data.row_notes if (self.data.row_notes != "").any() else None,
            delimiter=self.dataset.read_report.delimiter,
            path=path,
            header=self.dataset.read_report.output_header(list(self.dataset.raw.columns)),
        )

    def labeled_workbook(
        self,
        names: Mapping[int, str] | None = None,
        *,
        per_segment: bool = False,
        path: str | Path | None = None,
    ) -> bytes | None:
        """The labeled customers as an .xlsx workbook, cells with their kinds, plus a summary sheet.

        ``per_segment`` adds one sheet per segment. See ``report.workbook``.
        """
        from ..report.workbook import columns_of, labeled_workbook

        names = dict(names or self.names)
        return labeled_workbook(
            self.dataset.raw,
            self.result.segments,
            names,
            columns_of(self.dataset),
            header=self.dataset.read_report.output_header(list(self.dataset.raw.columns)),
            notes=self.data.row_notes if (self.data.row_notes != "").any() else None,
            summary=self.profiles.summary_with_names(names),
            per_segment=per_segment,
            path=path,
        )

    def summary_csv(self, names: Mapping[int, str] | None = None) -> bytes:
        """The per-segment table: name, size, share, the mean of each numeric feature, the outcomes
        (rate, overall rate, lift), each segment's rule and a note for a tiny segment."""
        table = self.profiles.export_table(dict(names or self.names))
        return summary_csv(table, delimiter=self.dataset.read_report.delimiter)


def select_and_prepare(
    dataset: Dataset, settings: Settings
) -> tuple[FeatureSelection, FeatureData, ValidationReport]:
    """Choose features and build the model input, as ``settings`` ask.

    The steps of ``segment`` before the fit, on their own: the dashboard and
    ``choose-k`` use them to score k without fitting the final model.

    Parameters
    ----------
    dataset : Dataset
        A loaded file.
    settings : Settings
        Uses ``features``, ``as_categorical``, ``max_categories``,
        ``include_outcomes``, ``missing``, ``n_clusters``, ``placeholders`` and
        ``keep_extremes``.

    Returns
    -------
    selection : FeatureSelection
    data : FeatureData
    report : ValidationReport

    Raises
    ------
    SegmentationError
        ``unknown-column``, ``no-feature-chosen``, ``empty-feature`` or
        ``too-many-categories`` for a feature choice that cannot be used;
        ``no-usable-feature`` when no column can be a feature; ``too-few-rows``
        when fewer usable rows than ``settings.n_clusters`` remain.

    Examples
    --------
    >>> from segmentation import Settings, generate_customers, load, select_and_prepare
    >>> csv = generate_customers(60).to_csv(index=False).encode()
    >>> selection, data, report = select_and_prepare(load(csv), Settings())
    >>> selection.categorical, data.n_usable
    (['product_category'], 60)
    """
    selection = choose_features(
        dataset.columns,
        max_categories=settings.max_categories,
        features=settings.features,
        as_categorical=settings.as_categorical,
        include_outcomes=settings.include_outcomes,
    )
    data, report = prepare(
        dataset.columns,
        selection,
        missing=settings.missing,
        n_clusters=settings.n_clusters,
        placeholders=settings.placeholders,
        keep_extremes=settings.keep_extremes,
        lines=dataset.line_numbers,
    )
    release_freed_memory()
    return selection, data, report


def segment(dataset: Dataset, settings: Settings = DEFAULTS) -> Segmentation:
    """Segment a loaded file: features, model input, KMeans, profiles.

    The one call behind the dashboard and the command line. Profiles
    describe the rows the model was fitted on; their sizes count every
    segmented customer, including rows with extreme values held out of the fit.

    Parameters
    ----------
    dataset : Dataset
        A file read by ``load``.
    settings : Settings, default Settings()
        Number of segments, scaling, missing-value policy, features, seed, ...

    Returns
    -------
    Segmentation

    Raises
    ------
    SegmentationError
        When the data cannot be segmented as asked, with the codes of
        ``select_and_prepare`` (``no-usable-feature``, ``too-few-rows``, ...).

    Examples
    --------
    >>> from segmentation import Settings, generate_customers, load, segment
    >>> csv = generate_customers(200, seed=1).to_csv(index=False).encode()
    >>> run = segment(load(csv), Settings(n_clusters=3))
    >>> run.result.n_clusters, int(run.profiles.summary["size"].sum())
    (3, 200)
    """
    selection, data, report = select_and_prepare(dataset, settings)
    # scikit-learn and SciPy load here rather than with this module, so a caller can
    # prepare the data while they load on another thread (as the CLI does).
    from .kmeans import fit_segments
    from .profiles import profile_segments

    result = fit_segments(
        data,
        n_clusters=settings.n_clusters,
        scaling=settings.scaling,
        random_state=settings.random_state,
    )
    # Profiles describe the rows the model was fitted on: a held-out extreme row would
    # otherwise move its segment's means; outcome columns are shown per segment.
    fitted = replace(result, segments=np.where(data.fit_rows, result.segments, 0))
    outcomes = {name: dataset.columns[name] for name in selection.outcomes}
    profiles = profile_segments(data.for_fit(), fitted, outcomes=outcomes)
    if data.held_out_rows() is not None:  # sizes count every customer given the segment
        sizes = np.bincount(result.segments, minlength=result.n_clusters + 1)[1:]
        profiles.summary["size"], profiles.summary["share"] = sizes, sizes / sizes.sum()
    return Segmentation(
        dataset=dataset,
        settings=settings,
        selection=selection,
        data=data,
        report=report,
        result=result,
        profiles=profiles,
        names=dict(profiles.names),
    )
