"""Segment names that never mislead: each trait in a name is true by the numbers.

- "High X" only where the segment's mean of X is at least ``STRONG_TRAIT``
  standard deviations above the overall mean ("Low X" as far below).
- Ranks are consistent: a segment is named for a high X only if no segment
  left without that trait has a higher X (no "older" segment younger than another).
- A dominant category (at least ``DOMINANT_SHARE`` of the segment and
  ``DOMINANT_LIFT`` times its share of all customers) can name a segment.
- Column names are humanised (``num_deals_purchases`` → "deals purchases",
  ``MntWines`` → "mnt wines") and a name keeps to one language: the words
  "high" and "low" are in the language of the column's header, and a second
  trait in another language is left out. Names are never cut in the middle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

STRONG_TRAIT = 0.5  # standard deviations from the overall mean
DOMINANT_SHARE = 0.6
DOMINANT_LIFT = 1.5
MAX_TRAITS = 2
MAX_NAME = 40  # characters: a segment name fits a legend, a table cell and a heatmap row
SHORT_TRAIT = 14  # a second trait this short is kept whole beside a long first one
RANK_WORDS = {
    2: ("very ", ""),
    3: ("very ", "", "slightly "),
    4: ("extremely ", "very ", "", "slightly "),
}
RANK_GAP = 0.1  # standard deviations between segments given different rank words
COMPARATIVE = {"extremely ": "far ", "very ": "much "}  # "much older", not "very older"
MISSING = "(missing)"
TYPICAL = "Typical customers"
# "High X" / "Low X" in each language the product reads; words that agree with no gender.
_HIGH_LOW = {
    "en": ("high {}", "low {}"),
    "ru": ("{} выше среднего", "{} ниже среднего"),
    "pt": ("{} acima da média", "{} abaixo da média"),
    "es": ("{} sobre la media", "{} bajo la media"),
    "de": ("{} über dem Schnitt", "{} unter dem Schnitt"),
    "fr": ("{} au-dessus de la moyenne", "{} sous la moyenne"),
}
_LANGUAGE_WORDS = {
    "pt": {"de", "do", "da", "dos", "das", "como", "com", "em", "meses", "valor", "qtde", "idade", "taxa",
           "renda", "cliente", "produtos", "contatos", "inatividade", "dependentes", "transacoes",
           "transações", "mudança", "mudanças", "consumido", "disponível", "utilização", "cartão",
           "salarial", "anual", "faixa", "quantidade", "compras", "gasto", "casado", "solteiro", "tempo",
           "relacionamento", "receita", "recorrente", "média", "ticket", "tickets", "saldo", "ultima",
           "última", "compra", "frequência", "frequencia", "sexo", "limite"},
    "es": {"del", "el", "los", "las", "edad", "ingreso", "ingresos", "cantidad", "gasto", "gastos",
           "antigüedad", "año", "años", "número", "compras", "saldo", "casado", "soltero"},
    "de": {"der", "die", "das", "und", "alter", "einkommen", "umsatz", "anzahl", "kunde", "monate",
           "ausgaben", "käufe", "jahre", "betrag"},
    "fr": {"des", "du", "le", "la", "les", "âge", "revenu", "revenus", "nombre", "achats", "mois",
           "dépenses", "montant", "ancienneté", "année", "années"},
}  # fmt: skip
_LANGUAGE_LETTERS = {"pt": "ãõç", "es": "ñ¿¡", "de": "äöüß", "fr": "èêëàâîôûœ"}
_GENERIC_VALUE = re.compile(
    r"(?i)^(yes|no|y|n|true|false|t|f|none|other|others|unknown|sim|não|nao|sí|si|ja|nein|oui|non|да|нет|"
    r"\d+([.,]\d+)?)$"
)
_COUNT_PREFIX = re.compile(r"^(num|n|nb|no|number of|count of|cnt)\s+(?=\w)")


@dataclass(frozen=True)
class _Trait:
    column: str  # numeric feature, or the categorical feature of a dominant value
    value: str | None  # the dominant category value, None for a numeric trait
    z: float  # standardised difference: the trait's strength and side

    @property
    def high(self) -> bool:
        return self.z > 0


def name_segments(
    differences: pd.DataFrame, mix: dict[str, pd.DataFrame], sizes: pd.Series | None = None
) -> dict[int, str]:
    """Short names from each segment's strongest true traits, e.g. "High income, low spending score".

    Parameters
    ----------
    differences : pandas.DataFrame
        Standardised differences from the overall mean, per segment (index) and feature;
        ``"column = value"`` columns for category values.
    mix : dict of str to pandas.DataFrame
        Per categorical feature, the share of each value in each segment.
    sizes : pandas.Series, optional
        Customers per segment, to weigh a category's overall share (equal sizes when absent).
    """
    candidates = {int(s): _candidates(int(s), differences, mix, sizes) for s in differences.index}
    traits = _consistent(candidates, differences)
    traits = {s: _one_language(t) for s, t in traits.items()}
    prefixes = _rank_prefixes(traits)
    names = {s: _join(t, prefixes.get(s, "")) for s, t in traits.items()}
    return _unique(names)


def _candidates(
    segment: int, differences: pd.DataFrame, mix: dict[str, pd.DataFrame], sizes: pd.Series | None
) -> list[_Trait]:
    """Every trait true of the segment, strongest first."""
    values = differences.loc[segment].to_numpy(dtype=np.float64)
    row = dict(zip(map(str, differences.columns), values.tolist(), strict=True))
    found = [_Trait(c, None, z) for c, z in row.items() if " = " not in c]
    found = [t for t in found if abs(t.z) >= STRONG_TRAIT]
    for column, shares in mix.items():
        value = dominant_category(segment, shares, sizes)
        if value is not None:
            z = float(row.get(f"{column} = {value}", STRONG_TRAIT))
            found.append(_Trait(column, value, z))
    return sorted(found, key=lambda t: -abs(t.z))


def dominant_category(segment: int, shares: pd.DataFrame, sizes: pd.Series | None = None) -> str | None:
    """The value held by at least 60% of the segment and 1.5x its share of all customers, if any."""
    shares = shares.drop(columns=MISSING, errors="ignore")  # a gap is not a trait
    if shares.empty:
        return None
    weights = sizes.reindex(shares.index).fillna(0) if sizes is not None else pd.Series(1.0, shares.index)
    overall = (shares.mul(weights, axis=0).sum() / max(float(weights.sum()), 1e-12)).replace(0, np.nan)
    row = shares.loc[segment].to_numpy(dtype=np.float64)
    top = int(np.argmax(row))
    share = float(row[top])
    if share >= DOMINANT_SHARE and share >= DOMINANT_LIFT * float(overall.to_numpy(dtype=np.float64)[top]):
        return str(shares.columns[top])
    return None


def _consistent(candidates: dict[int, list[_Trait]], differences: pd.DataFrame) -> dict[int, list[_Trait]]:
    """The first ``MAX_TRAITS`` traits of each segment, dropping any a segment without it outranks."""
    banned: dict[int, set[tuple[str, bool]]] = {s: set() for s in candidates}

    def chosen() -> dict[int, list[_Trait]]:
        return {
            s: [t for t in ts if t.value is not None or (t.column, t.high) not in banned[s]][:MAX_TRAITS]
            for s, ts in candidates.items()
        }

    for _ in range(sum(map(len, candidates.values())) + 1):  # each pass bans a trait, or stops
        traits = chosen()
        violations = _violations(traits, differences)
        if not violations:
            return traits
        for segment, key in violations:
            banned[segment].add(key)
    return chosen()


def _violations(
    traits: dict[int, list[_Trait]], differences: pd.DataFrame
) -> list[tuple[int, tuple[str, bool]]]:
    used = {(t.column, t.high) for ts in traits.values() for t in ts if t.value is None}
    found = []
    for column, high in used:
        sign = 1.0 if high else -1.0
        carriers = [s for s, ts in traits.items() if any(t.column == column and t.value is None for t in ts)]
        others = [s for s in traits if s not in carriers]
        if not others:
            continue
        z = differences[column].to_dict()
        best_other = max(sign * z[s] for s in others)
        found += [(s, (column, high)) for s in carriers if sign * z[s] < best_other]
    return found


def _one_language(traits: list[_Trait]) -> list[_Trait]:
    """Traits whose words share the first trait's language (a category value without one fits any)."""
    if not traits:
        return traits
    first = _trait_language(traits[0])
    return [traits[0]] + [t for t in traits[1:] if _trait_language(t) in (first, None) or first is None]


def _trait_language(trait: _Trait) -> str | None:
    if trait.value is not None:
        return label_language(trait.value, default=None)
    return label_language(trait.column)


def label_language(text: str, default: str | None = "en") -> str | None:
    """The language of a header or value: Cyrillic is Russian; Latin by its words and letters."""
    if re.search(r"[а-яё]", text.lower()):
        return "ru"
    lowered = text.lower()
    words = set(re.findall(r"[^\W\d_]+", lowered))
    scores = {
        language: len(words & vocabulary) + sum(letter in lowered for letter in _LANGUAGE_LETTERS[language])
        for language, vocabulary in _LANGUAGE_WORDS.items()
    }
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] > 0 else default


def _rank_prefixes(traits: dict[int, list[_Trait]]) -> dict[int, str]:
    """Rank words ("very", "slightly") for segments whose English names would be equal, most extreme first.

    Only segments whose first trait is the same numeric feature on the same side can be ranked;
    others that share a name are numbered by ``_unique``.
    """
    groups: dict[tuple[str, str, bool], list[int]] = {}
    for segment, parts in traits.items():
        if parts and parts[0].value is None and label_language(parts[0].column) == "en":
            groups.setdefault((_join(parts, ""), parts[0].column, parts[0].high), []).append(segment)
    prefixes: dict[int, str] = {}
    for members in groups.values():
        if len(members) < 2 or len(members) > len(RANK_WORDS):
            continue
        ranked = sorted(members, key=lambda s: -abs(traits[s][0].z))
        strengths = [abs(traits[s][0].z) for s in ranked]
        if np.min(-np.diff(strengths)) < RANK_GAP:
            continue  # as high (or low) as each other: a rank word would mislead, a number does not
        prefixes.update(zip(ranked, RANK_WORDS[len(members)], strict=True))
    return prefixes


def _join(parts: list[_Trait], prefix: str) -> str:
    """The traits as a name of at most ``MAX_NAME`` characters.

    Beside a long first trait a short second one ("older", a category) stays whole and the first
    is cut at a word; of two long traits the stronger one stays. A cut is always at the end of a
    word, never in the middle of the name, so what is left reads as written.
    """
    words = [_words(t, prefix if i == 0 else "") for i, t in enumerate(parts)]
    if not words:
        return TYPICAL
    if len(words) == 2 and len(", ".join(words)) > MAX_NAME:
        short = len(words[1]) <= SHORT_TRAIT
        words = [cut_at_word(words[0], MAX_NAME - 2 - len(words[1])), words[1]] if short else words[:1]
    label = cut_at_word(", ".join(words), MAX_NAME)
    return label[0].upper() + label[1:]


def cut_at_word(text: str, limit: int) -> str:
    """``text`` if it fits ``limit`` characters, else its first words and "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head.strip():
        head = head[: head.rstrip().rindex(" ")]
    return head.rstrip(" ,") + "…"


def _words(trait: _Trait, prefix: str) -> str:
    if trait.value is not None:
        value = trait.value.replace("_", " ")
        # "No", "1", "Unknown" say nothing without their column: "online security: No".
        return f"{feature_label(trait.column)}: {value}" if _GENERIC_VALUE.match(value) else value
    label = feature_label(trait.column)
    language = label_language(trait.column) or "en"
    if language == "en" and label == "age":
        word = "older" if trait.high else "younger"
        return f"{COMPARATIVE.get(prefix, prefix)}{word}" if prefix else word
    high, low = _HIGH_LOW[language]
    return (prefix if language == "en" else "") + (high if trait.high else low).format(label)


def feature_label(column: str) -> str:
    """``Annual Income (k$)`` → ``annual income``; ``num_deals_purchases`` → ``deals purchases``;
    ``MntWines`` → ``mnt wines``."""
    plain = re.sub(r"\(.*?\)", "", column)
    plain = re.sub(r"([a-zà-ÿ])([A-Z])", r"\1 \2", plain)
    plain = " ".join(re.sub(r"[_\-]+", " ", plain).split()).lower()
    return _COUNT_PREFIX.sub("", plain) or plain


def _unique(names: dict[int, str]) -> dict[int, str]:
    """Equal names numbered "X (2)", "X (3)"."""
    seen: dict[str, int] = {}
    taken = set(names.values())  # a base name may itself look like "X (2)"
    unique = {}
    for segment, name in names.items():
        seen[name] = seen.get(name, 0) + 1
        new = name
        if seen[name] > 1:
            count = seen[name]
            while (new := _numbered(name, count)) in taken:
                count += 1
            seen[name] = count
        taken.add(new)
        unique[segment] = new
    return unique


def _numbered(name: str, count: int) -> str:
    suffix = f" ({count})"
    return cut_at_word(name, MAX_NAME - len(suffix)) + suffix
