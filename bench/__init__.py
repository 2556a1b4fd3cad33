"""Benchmarks of the segmentation core against a plain-pandas baseline.

Run everything with ``make bench`` or ``.venv/bin/python -m bench``; results
go to ``docs/benchmarks.md`` (and raw numbers to ``bench/out/results.json``).
Every measured run is a separate child process, so peak memory is per run.
"""
