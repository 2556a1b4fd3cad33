"""Reporting: the findings catalogue and errors, escaped text, the exported files and the charts."""
