"""What the HTML report holds, read back with the standard library's HTML parser."""

from __future__ import annotations

import copy
import dataclasses
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from segmentation import Settings, evaluate_k, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model.compare import overall_means
from segmentation.report.html import REPORT_POINTS, report_html
from tests.hostile import GOLD, HEADER, NAME, hostile_csv

HOSTILE_NAME = "<img src=x onerror=alert(1)>"


class ReportReader(HTMLParser):
    """The report as data: tables by id (rows of cell text), section ids and titles, tags and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.section_tables: dict[str, list[list[list[str]]]] = {}
        self.sections: list[str] = []
        self.headings: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.section_text: dict[str, str] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self._script: list[str] | None = None
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "section":
            self._section = attributes.get("id") or ""
            self.sections.append(self._section)
        elif tag == "table":
            self._table = []
            self.tables[attributes.get("id") or f"table-{len(self.tables)}"] = self._table
            self.section_tables.setdefault(self._section, []).append(self._table)
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "script":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
            return
        self.text.append(data)
        self.section_text[self._section] = self.section_text.get(self._section, "") + data
        for part in (self._cell, self._heading):
            if part is not None:
                part.append(data)


def read(html: str) -> ReportReader:
    reader = ReportReader()
    reader.feed(html)
    reader.close()
    return reader


def number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


@pytest.fixture(scope="module")
def run():
    csv = customers_to_csv_bytes(generate_customers(400, seed=3))
    return segment(load(csv), Settings(n_clusters=4))


@pytest.fixture(scope="module")
def report(run):
    return read(report_html(run, source_name="customers.csv", model_id="0123456789abcdef"))


def test_sections_in_order_with_one_per_segment(run, report):
    segments = [f"segment-{n}" for n in run.profiles.summary.index]
    assert report.sections == ["input", "features", "choosing-k", "overview", *segments, "settings"]
    for number, name in run.names.items():
        assert f"Segment {number}: {name}" in report.headings


def test_summary_table_matches_the_profiles(run, report):
    table = report.tables["segment-summary"]
    summary = run.profiles.summary
    means = [c for c in summary.columns if c not in ("size", "share")]
    assert table[0] == ["Segment", "Name", "Size", "Share", *means]
    assert len(table) == 1 + len(summary)
    for row, (segment_number, expected) in zip(table[1:], summary.iterrows(), strict=True):
        assert int(row[0]) == segment_number
        assert row[1] == run.names[segment_number]
        assert int(number(row[2])) == expected["size"]
        assert number(row[3]) == pytest.approx(100 * expected["share"], abs=0.05)
        for cell, column in zip(row[4:], means, strict=True):
            assert number(cell) == pytest.approx(expected[column], rel=1e-3, abs=0.006)
    assert sum(int(number(row[2])) for row in table[1:]) == 400


def test_each_segment_lists_its_means_against_everyone_in_file_units(run, report):
    overall = overall_means(run)
    for segment_number in run.profiles.summary.index:
        means = report.section_tables[f"segment-{segment_number}"][0]
        assert means[0] == ["Feature", "This segment", "All customers", "Difference (σ)"]
        for feature, mean, everyone, sigma in means[1:]:
            assert number(mean) == pytest.approx(
                run.profiles.summary.loc[segment_number, feature], rel=1e-3, abs=0.006
            )
            assert number(everyone) == pytest.approx(overall[feature], rel=1e-3, abs=0.006)
            assert number(sigma) == pytest.approx(
                run.profiles.differences.loc[segment_number, feature], abs=0.006
            )


def test_category_mix_per_segment(run, report):
    mix = run.profiles.category_mix["product_category"]
    for segment_number in mix.index:
        table = report.section_tables[f"segment-{segment_number}"][1]
        shares = {row[0]: number(row[1]) for row in table[1:]}
        assert shares == pytest.approx({v: 100 * mix.loc[segment_number, v] for v in mix.columns}, abs=0.051)
        everyone = run.dataset.raw["product_category"].value_counts(normalize=True)
        overall = {row[0]: number(row[2]) for row in table[1:]}
        assert overall == pytest.approx({v: 100 * everyone.get(v, 0.0) for v in mix.columns}, abs=0.051)


def test_what_went_in_features_and_settings(run, report):
    facts = dict(report.tables["facts"])
    assert facts["File"] == "customers.csv"
    assert number(facts["Rows"]) == 400
    assert facts["Encoding"] == run.dataset.read_report.encoding
    assert facts["Delimiter"] == "comma"
    features = [row[0] for row in report.tables["feature-list"][1:]]
    assert features == run.selection.features
    left_out = {row[0]: row[1] for row in report.tables["left-out"][1:]}
    assert left_out == run.selection.excluded
    settings = dict(report.tables["settings-table"])
    assert settings["Number of segments (k)"] == "4"
    assert settings["Scaling"] == "standard"
    assert settings["Model id"] == "0123456789abcdef"


def test_plotly_is_inlined_once_and_nothing_is_fetched(report):
    library = [s for s in report.scripts if "Plotly" in s and len(s) > 1_000_000]
    assert len(library) == 1
    for tag, attributes in report.tags:
        assert "src" not in attributes or attributes["src"].startswith("data:"), tag
        assert tag != "link", attributes
    drawn = [s for s in report.scripts if "Plotly.newPlot" in s and len(s) < 1_000_000]
    assert len(drawn) == 2  # the heatmap and the scatter


def test_without_k_scores_the_report_says_so(report):
    assert any("were not computed" in t for t in report.text)
    assert "k-scores" not in report.tables


def test_k_scores_are_drawn_and_tabled_when_computed(run):
    choice = evaluate_k(run.data, k_min=2, k_max=4, n_bootstrap=1)
    report = read(report_html(run, source_name="c.csv", k_choice=choice))
    table = report.tables["k-scores"]
    assert [int(row[0]) for row in table[1:]] == [2, 3, 4]
    inertia = table[0].index("inertia")
    for row in table[1:]:
        assert number(row[inertia]) == pytest.approx(choice.table.loc[int(row[0]), "inertia"], rel=1e-3)
    assert any(f"k = {choice.suggested_k}" in t for t in report.text)
    assert len([s for s in report.scripts if "Plotly.newPlot" in s and len(s) < 1_000_000]) == 3


def test_text_from_the_file_is_text_never_markup():
    run = segment(load(hostile_csv()), Settings(n_clusters=3))
    names = {1: HOSTILE_NAME}
    html = report_html(run, source_name=NAME, names=names)
    report = read(html)
    tags = {tag for tag, _ in report.tags}
    assert "img" not in tags and "a" not in tags
    text = "".join(report.text)
    assert NAME in text and HEADER in text and HOSTILE_NAME in text and GOLD in text


def test_controls_in_names_are_shown_not_obeyed():
    run = segment(load(hostile_csv()), Settings(n_clusters=3))
    report = read(report_html(run, source_name="a\u202ereversed\x1b[31m.csv"))
    assert "a<U+202E>reversed<U+001B>[31m.csv" in "".join(report.text)


def churn_csv(n: int = 300) -> bytes:
    """Two groups; churn more frequent in one, but far from predicted by any feature."""
    rng = np.random.default_rng(0)
    rows = ["customer_id,income,visits,churn"]
    for i in range(n):
        group = i % 2
        churned = rng.random() < (0.35 if group else 0.15)
        rows.append(
            f"C{i},{20 + 50 * group + rng.integers(0, 5)},{2 + 6 * group},{'yes' if churned else 'no'}"
        )
    return ("\n".join(rows) + "\n").encode()


def test_outcome_rates_are_shown_when_the_file_has_outcomes():
    run = segment(load(churn_csv()), Settings(n_clusters=2))
    assert not run.profiles.outcomes.empty
    report = read(report_html(run, source_name="churn.csv"))
    table = report.tables["outcomes"]
    column = run.profiles.outcomes.columns[0]
    assert table[0] == ["Segment", column]
    rows = table[1:]
    if hasattr(run.profiles, "outcome_overall"):  # profiles that carry every customer's rate end with it
        assert rows[-1][0] == "All customers"
        assert number(rows[-1][1]) == pytest.approx(100 * run.profiles.outcome_overall[column], abs=0.05)
        rows = rows[:-1]
    assert [int(row[0]) for row in rows] == list(run.profiles.outcomes.index)
    for row in rows:
        assert number(row[1]) == pytest.approx(100 * run.profiles.outcomes.loc[int(row[0]), column], abs=0.05)


def test_a_large_run_stays_under_five_megabytes():
    csv = customers_to_csv_bytes(generate_customers(30_000, seed=5))
    run = segment(load(csv), Settings(n_clusters=10))
    html = report_html(run, source_name="big.csv", generated=datetime(2026, 1, 1, tzinfo=UTC))
    assert len(html.encode()) < 5_000_000
    drawn = sum(len(m) for m in re.findall(r'"customdata":\[(.*?)\]\]', html))
    assert drawn > 0
    points = html.count('"C0')  # every drawn customer's id once, in the hover data
    assert REPORT_POINTS * 0.9 <= points <= REPORT_POINTS


def test_the_charts_name_their_template_whatever_the_process_default(run, monkeypatch):
    """Streamlit makes its own template the default; the file must not depend on it."""
    import plotly.io as pio

    monkeypatch.setattr(pio.templates, "default", "none")
    html = report_html(run, source_name="c.csv")
    colorway = pio.templates["plotly_white"].layout.colorway
    assert html.count('"colorway":["' + colorway[0]) >= 2  # the heatmap and the scatter


def with_profiles(run, **extra):
    """The run with more on its profiles (what the trust work adds: rules, every customer's outcome rates)."""
    profiles = copy.copy(run.profiles)
    for name, value in extra.items():
        setattr(profiles, name, value)
    return dataclasses.replace(run, profiles=profiles)


def test_each_segment_s_rule_is_shown_when_the_profiles_have_rules(run):
    rules = SimpleNamespace(
        rules=tuple(
            SimpleNamespace(
                segment=n, text=f"annual_income > {n}0k", coverage=0.9, precision=0.8 if n > 1 else np.nan
            )
            for n in run.profiles.summary.index
        ),
        agreement=0.955,
    )
    report = read(report_html(with_profiles(run, rules=rules), source_name="c.csv"))
    text = "".join(report.text)
    assert "The rules in words put 95.5% of the customers in their own segment." in text
    assert report.headings.count("Rule in words") == len(run.profiles.summary)
    assert "annual_income > 20k" in text and "It matches 90.0% of this segment's customers; 80.0%" in text
    without = read(report_html(with_profiles(run, rules=None), source_name="c.csv"))
    assert "Rule in words" not in without.headings and "rules-agreement" not in "".join(without.text)


def test_outcomes_show_every_customer_s_rate_and_the_lift_when_known():
    run = segment(load(churn_csv()), Settings(n_clusters=2))
    column = run.profiles.outcomes.columns[0]
    overall = pd.Series({column: 0.25})
    report = read(report_html(with_profiles(run, outcome_overall=overall), source_name="churn.csv"))
    text = "".join(report.text)
    for number in run.profiles.summary.index:
        rate = run.profiles.outcomes.loc[number, column]
        assert f"{column}: {100 * rate:.1f}% (all customers 25.0%, lift {rate / 0.25:.2f})" in text
    assert report.tables["outcomes"][-1] == ["All customers", "25.0%"]


def test_a_tiny_segment_is_flagged_in_its_section(run):
    notes = {2: "Segment 2 is tiny: 12 of 400 customers (3.0%); too few to be a group to act on"}
    report = read(report_html(with_profiles(run, tiny_segments=lambda: notes), source_name="c.csv"))
    assert report.headings.count("Warning") == 1
    assert notes[2] + "." in report.section_text["segment-2"]


def test_a_report_over_its_size_limit_draws_fewer_customers():
    run = segment(load(customers_to_csv_bytes(generate_customers(30_000, seed=5))), Settings(n_clusters=10))
    full = report_html(run, source_name="big.csv")
    limit = len(full.encode()) - 30_000  # the tables stay; the scatter must give up 30 kB
    smaller = report_html(run, source_name="big.csv", max_bytes=limit)
    assert len(smaller.encode()) <= limit
    shown = re.search(r"Showing ([\d,]+) of 30,000 customers", smaller)
    assert shown and int(shown.group(1).replace(",", "")) < REPORT_POINTS


def test_the_scatter_is_svg_even_with_many_points():
    """WebGL may be off where the file is opened, and a WebGL canvas may print blank."""
    run = segment(load(customers_to_csv_bytes(generate_customers(5_000, seed=5))), Settings(n_clusters=4))
    html = report_html(run, source_name="c.csv")
    drawn = "".join(s for s in read(html).scripts if "Plotly.newPlot" in s and len(s) < 1_000_000)
    import plotly.io as pio

    in_template = len(pio.templates["plotly_white"].data.scattergl)  # its defaults for such traces
    assert in_template and drawn.count('"type":"scattergl"') == 2 * in_template  # the heatmap and scatter's
    assert '"type":"scatter"' in drawn
    assert "'unsafe-eval'" not in html  # the policy lets no script compile code
