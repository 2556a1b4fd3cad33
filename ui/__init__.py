"""The dashboard's UI helpers: session keys, data sources, cached work, model files, server set-up, routing.

The only package that knows session-state keys and Streamlit caches. Pages call
these helpers and read like UI; the work is done by ``segmentation``.

Caching: data is keyed by the SHA-256 of its bytes, results by that key plus
the hashable ``Settings``. Changing plot axes, renaming segments or switching
pages therefore never re-reads or refits. Nothing is written to disk.

Everything the server caches (generated and parsed files, segmentations,
projections, figures, k scores) lives in one ``BudgetedCache`` shared by all
sessions, bounded by ``SEGMENTATION_MEMORY_MB`` (default: a quarter of the
machine's memory) and counted in bytes really held; the least recently used
entry goes first and is rebuilt, behind a spinner, when a session needs it
again. Sessions share only identical work (same bytes, same settings) and get
private read-only views of it. What a person did (the uploaded file, feature
choices, segment names, k) stays in ``st.session_state`` and is never evicted.
The uploaded bytes held there are outside the budget: they are the one thing
the server cannot rebuild, so they are bounded by ``server.maxUploadSize`` per
session instead (docs/benchmarks.md measures both together).
"""
