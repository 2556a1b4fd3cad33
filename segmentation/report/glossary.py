"""One line in plain words for each statistic the product shows, for tooltips and a glossary."""

from __future__ import annotations

GLOSSARY: dict[str, str] = {
    "F": "F statistic: how far apart the segments' means of a feature are, against the spread inside "
    "each segment; larger means the feature tells segments apart better (∞: no spread inside segments).",
    "p-value": "p-value: the chance of segment means this different if the segments did not differ at "
    "all; tiny for almost every feature, since KMeans made the segments from these very features.",
    "η²": "η² (eta squared): the share of a feature's variation that the segments explain, from 0 "
    "(none) to 1 (all of it).",
    "σ": "σ (standard deviation): the usual distance of customers from the average; +1 σ means one "
    "such distance above the average of all customers.",
    "inertia": "Inertia: the total squared distance of customers to their segment's centre; it always "
    "falls as k grows, so look for the bend (the elbow) where it stops falling fast.",
    "silhouette": "Silhouette: how much closer customers are to their own segment than to the next one, "
    "from -1 to 1; above 0.5 clear groups, under 0.25 hardly any structure.",
    "stability": "Stability: how alike the segments come out when the model is refitted on resamples "
    "of the customers (adjusted Rand index); 1 means the same segments every time, above 0.8 is stable.",
    "PSI": "PSI (population stability index): how much the share of customers per segment moved since "
    "the model was trained; under 0.1 little change, over 0.25 a large shift.",
    "lift": "Lift: a segment's outcome rate divided by that of all customers; 2 means twice as often.",
    "coverage": "Coverage: the share of the segment's customers that its rule describes.",
    "precision": "Precision: of the customers a rule matches, the share that are in the segment.",
    "agreement": "Agreement: the share of all customers whose segment the rules give right.",
    "Calinski-Harabasz": "Calinski-Harabasz: spread between segments over spread within them; higher is "
    "better separated.",
    "Davies-Bouldin": "Davies-Bouldin: how much each segment overlaps its most similar one; lower is better.",
}


def explain(term: str) -> str:
    """The plain-words line of a statistic (KeyError for an unknown one: every shown term has one)."""
    return GLOSSARY[term]


def glossary_markdown(terms: list[str] | None = None) -> str:
    """The glossary (or the chosen ``terms``) as a Markdown list."""
    return "\n".join(f"- {GLOSSARY[t]}" for t in (terms or list(GLOSSARY)))
