"""Order lines: one row per customer (recency, frequency, monetary value) and RFM scores."""
