"""What a column is, from its header (in several languages) and its content.

An analyst leaves some columns out of a segmentation at a glance: row
numbers, order and invoice numbers, customer keys, postal codes, phone
numbers, addresses, date parts (year, month, quarter) and outcome columns
(churn, response). This module recognises them by general rules, so that
``features`` can leave each out with its true reason, and finds the columns
that make a file order lines rather than one row per customer.

Headers are compared by their *key* (the one normaliser, for the order-line
roles too): lower-cased, accents and everything but letters and digits
removed, in any alphabet (``Member_number`` → ``membernumber``,
``Номер заказа`` → ``номерзаказа``). Glued capitals such as ``ORDERNUMBER``
are why keys, not words, are matched.
"""

from __future__ import annotations

import re
import unicodedata

from .columns import ColumnInfo

# A key may carry one of these before or after the word that says what it is.
_KEY_PARTS = r"(id|no|nr|nro|num|number|nummer|numero|número|номер|code|cod|codigo|cd|key|ref)"

_ROW = re.compile(
    r"^(row|rows|fila|linha|zeile|строка|satir|satır|line)" + _KEY_PARTS + r"?$"
    r"|^" + _KEY_PARTS + r"(row|fila|linha|zeile|строки)$"
    # pandas' index (an empty header, "Unnamed: 0", or the working name "column_1" given to an
    # empty header cell) and serial numbers.
    r"|^(index|idx|unnamed\d*|column\d*|sno|slno|srno|serialno|serialnumber|)$"
)
_ORDER_WORDS = (
    r"(order|invoice|pedido|bestell|bestellung|заказ|заказа|factura|fatura|fattura|rechnung|"
    r"transaction|receipt|sipariş|siparis|commande)"
)
_ORDER = re.compile(rf"^{_KEY_PARTS}?{_ORDER_WORDS}(line)?{_KEY_PARTS}?$")
_CUSTOMER_WORDS = (
    r"(customer|cust|client|cliente|clientes|kunde|kunden|клиент|клиента|покупатель|покупателя|"
    r"müşteri|musteri|member|buyer|shopper|user|consumer|subscriber|account|socio|abonne|abonné)"
)
_CUSTOMER = re.compile(rf"^{_KEY_PARTS}?{_CUSTOMER_WORDS}({_KEY_PARTS}|name|nombre|nome|nom|имя|ad[ıi])?$")
_CUSTOMER_KEY_HINT = re.compile(_KEY_PARTS + "$")
_POSTAL = re.compile(
    r"zip|postal|postcode|postleitzahl|почтов|postakod|kodpocztow|codigopostal|códigopostal"
    r"|^(plz|cep|cp|npa|psc|psč|индекс)$"
)
_PHONE = re.compile(r"phone|telefon|teléfono|telefono|телефон|mobile|cellular|celular|^(tel|fax|handy|gsm)$")
_ADDRESS = re.compile(
    r"address|adresse|endereco|endereço|direccion|dirección|адрес|adres|street|strasse|straße"
)
# Not "tag" (German day) or "ay" (Turkish month): too common in other senses.
_DATE_PART_WORDS = frozenset(
    {
        "year", "month", "day", "week", "weekday", "dow", "quarter", "qtr", "hour", "minute",
        "ano", "año", "mes", "dia", "día", "semana", "trimestre", "jahr", "monat", "quartal",
        "mois", "jour", "annee", "année", "год", "месяц", "день", "квартал", "yil", "yıl", "gün",
    }
)  # fmt: skip
# Words that may stand beside a date part without changing what it is (``MONTH_ID``, ``day_of_week``).
_DATE_PART_FILLERS = frozenset(
    {"id", "no", "nr", "num", "number", "name", "of", "the", "in", "de", "del", "order", "purchase",
     "invoice", "transaction", "sale", "sales", "date", "dt"}
)  # fmt: skip
_OUTCOME = re.compile(
    r"^(is|has)?(churn|churned|churnflag|churnlabel|attrition|attritionflag|attrited|exited|exit|y|target|"
    r"label|response|responded|default|defaulted|outcome|cancelled|canceled|cancelado|fraud|isfraud|"
    r"converted|conversion)$"
    r"|churn|attrition|attrited"
)
# Values that say the row is the outcome case (a churned, cancelled, exited customer).
OUTCOME_VALUE = re.compile(r"(?i)churn|attrit|cancel|exited|closed account|defaulted")
MAX_OUTCOME_LEVELS = 10
REPEAT_SHARE = 0.8  # a key with at most this many distinct values per row repeats over rows
MAX_CATEGORY_LEVELS = 20  # more values than a category usually has
_AMOUNT = re.compile(
    r"sales|amount|price|total|revenue|value|quantity|qty|valor|preis|betrag|menge|сумма|цена|"
    r"importe|montant|tutar|fiyat|precio|cantidad|quantidade"
)

ROW_NUMBER = "row number: numbers the rows of the file, describes no customer"
ORDER_NUMBER = "order number: identifies an order (or an order line), not a trait of the customer"
CUSTOMER_KEY_REPEATING = (
    "customer key repeating over rows: the same customer on several rows (order lines); "
    "build one row per customer first"
)
POSTAL_CODE = "postal code: a code for a place, not a quantity (use a region or country column instead)"
PHONE_NUMBER = "phone number: a contact detail, describes nothing about the customer"
ADDRESS = "address: a contact detail, describes nothing about the customer"
EMAIL = "e-mail address: a contact detail, describes nothing about the customer"
PERSON_NAME = "person's name: identifies a person, describes nothing about the customer's behaviour"
NOTE = "free-text note: words typed by people, not a measure or a category"
TAGS = (
    "tag list: one cell holds several values joined by commas, so it is not one category "
    "(a column per tag would be needed)"
)
_EMAIL = re.compile(r"e?mail|correo|courriel|почта")
_PERSON_NAME = re.compile(
    r"^(billing|shipping|customer|contact|client|cliente|kunde)?"
    r"(first|last|given|family|middle|full|sur|fore|maiden|display)name$"
    r"|^(billing|shipping|contact)name$|^(surname|vorname|nachname|apellidos?|prenom|prénom|имя|фамилия|"
    r"soyad|soyadı|imie|imię|nazwisko|jmeno|jméno|prijmeni|příjmení|nombrecompleto|nomecompleto)$"
)
_NOTE = re.compile(
    r"^(customer|order|internal)?(notes?|comments?|remarks?|memo|bemerkungen?|observaciones|observacoes|"
    r"observações|remarques|примечани[ея]|notizen|uwagi|poznamky|poznámky|notlar|noteattributes)$"
)
_TAGS = re.compile(r"^(customer|order|product)?(tags|labels|keywords|etiquetas|schlagworte)$")
DATE_PART = "date part: a position in the calendar (year, month, day, quarter), not a trait of the customer"
DERIVED = (
    "derived score or label: computed from other columns (RFM scores, quintiles, an earlier clustering), "
    "so it would count them twice"
)
_DERIVED = re.compile(
    r"^((r|f|m|rf|fm|rfm|recency|frequency|monetary)score|rfm(segment|group|class|cell|code)?"
    r"|cluster(id|no|number|label)?|\w*(quintile|decile|quartile))$"
)
OUTCOME = (
    "outcome column: what segments should explain, not what they are made of; "
    "shown per segment in the profiles (add it to the features to segment on it)"
)


def column_key(name: str) -> str:
    """The one normaliser of headers: no case, accents, spaces or punctuation, in any alphabet.

    ``Row ID`` → ``rowid``, ``Müşteri No`` → ``musterino``, ``Número`` → ``numero``.
    """
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(char for char in decomposed if char.isalnum() and not unicodedata.combining(char))


def header_words(name: str) -> list[str]:
    """Words of a header in any alphabet, splitting camelCase: ``dayOfWeek`` → day, of, week."""
    spaced = re.sub(r"(?<=[a-zà-ÿ])(?=[A-Z])", " ", name)
    return re.findall(r"[^\W\d_]+|\d+", spaced.lower())


def is_customer_named(name: str) -> bool:
    """Named like a customer key or name: ``CustomerID``, ``Member_number``, ``клиент``, ``CUSTOMERNAME``."""
    return bool(_CUSTOMER.match(column_key(name)))


def repeats_over_rows(info: ColumnInfo) -> bool:
    """Whether values come back on several rows (a key of order lines, not of customers)."""
    return info.kind in ("numeric", "text") and 1 < info.n_distinct <= REPEAT_SHARE * info.n_present


def is_repeating_customer_key(name: str, info: ColumnInfo) -> bool:
    """A customer key (or name) that comes back on several rows: the mark of order lines.

    Named like a customer and repeating, with at least three values, and either
    named as a key (``…ID``, ``…number``, ``…name``) or with more values than a
    category would have: so ``Member`` = yes/no or ``Client`` = person/company
    are not taken for keys.
    """
    key = column_key(name)
    if not _CUSTOMER.match(key) or not repeats_over_rows(info) or info.n_distinct < 3:
        return False
    return bool(_CUSTOMER_KEY_HINT.search(key) or re.search(r"(name|nombre|nome|nom|имя|ad[ıi])$", key)) or (
        info.n_distinct > MAX_CATEGORY_LEVELS
    )


def is_outcome(name: str, info: ColumnInfo, values_text: list[str] | None = None) -> bool:
    """An outcome column: named like one (``Churn``, ``Exited``, ``Attrition_Flag``, ``y``,
    ``Response``) or with a value naming the outcome case (``Cancelado``, ``Attrited Customer``),
    and with a few values only."""
    if info.kind not in ("numeric", "text") or not 1 < info.n_distinct <= MAX_OUTCOME_LEVELS:
        return False
    if info.kind == "numeric" and not info.integer_like:
        return False
    if _OUTCOME.search(column_key(name)):
        return True
    return info.n_distinct <= 3 and any(OUTCOME_VALUE.search(v) for v in values_text or ())


def identity_reason(name: str, info: ColumnInfo, *, consecutive: bool) -> str | None:
    """Why a column identifies rows, orders, places or contacts rather than describing a customer.

    ``consecutive`` says the column holds 1, 2, 3, ... (or 0, 1, 2, ...) in file order.
    """
    key = column_key(name)
    unique_integers = info.unique_per_row and info.kind == "numeric" and info.integer_like
    named_as_key = _CUSTOMER.match(key) or "id" in header_words(name)
    if (_ROW.match(key) and (unique_integers or consecutive)) or (consecutive and not named_as_key):
        return ROW_NUMBER
    if _ORDER.match(key) and info.kind in ("numeric", "text") and (info.kind == "text" or info.integer_like):
        return ORDER_NUMBER
    if is_repeating_customer_key(name, info):
        return CUSTOMER_KEY_REPEATING
    if _POSTAL.search(key) and info.n_distinct > 1:
        return POSTAL_CODE
    person = person_reason(name, info)
    if person:
        return person
    if is_date_part(name, info):
        return DATE_PART
    if _DERIVED.match(key) and info.kind in ("numeric", "text"):
        return DERIVED
    return None


def person_reason(name: str, info: ColumnInfo) -> str | None:
    """Why a column is about a person (contact details, names, free text), never a feature, whatever the size.

    Names, e-mail addresses, phone numbers and street addresses identify or
    reach a person; notes are free text; a comma-joined tag list holds several
    values in one cell. A contact column with two values over many rows is a
    flag (``PhoneService`` yes/no), not a contact. ``Name`` alone counts as a person's name when nearly
    every row has its own.
    """
    if info.kind == "empty":
        return None
    key = column_key(name)
    # Two values over many rows is a flag (PhoneService yes/no, HasEmail), not a contact.
    contact = info.n_distinct > 2 or info.n_distinct == info.n_present
    if _EMAIL.search(key) and contact:
        return EMAIL
    if _PHONE.search(key) and contact:
        return PHONE_NUMBER
    if _ADDRESS.search(key):
        return ADDRESS
    if _PERSON_NAME.match(key) or (key in ("name", "nombre", "nom", "nome") and _mostly_distinct(info)):
        return PERSON_NAME
    if _NOTE.match(key) and info.kind == "text":
        return NOTE
    if _TAGS.match(key) and info.kind == "text":
        return TAGS
    return None


def _mostly_distinct(info: ColumnInfo) -> bool:
    return info.kind == "text" and info.n_distinct > 0.5 * max(info.n_present, 1)


def is_date_part(name: str, info: ColumnInfo) -> bool:
    """``year``, ``MONTH_ID``, ``day_of_week``, ``QTR_ID``: a calendar position (not ``Year_Birth``)."""
    if info.kind == "numeric" and not info.integer_like:
        return False
    words = header_words(name)
    parts = [w for w in words if w in _DATE_PART_WORDS]
    rest = [w for w in words if w not in _DATE_PART_WORDS and w not in _DATE_PART_FILLERS]
    key = column_key(name)
    glued = key in {"dayofweek", "dayofmonth", "dayofyear", "weekofyear", "qtrid", "monthid", "yearid"}
    return glued or (len(parts) >= 1 and not rest)


def amount_columns(columns: dict[str, ColumnInfo]) -> tuple[str, ...]:
    """Numeric columns named like line amounts (sales, price, quantity, total)."""
    return tuple(
        name for name, info in columns.items() if info.kind == "numeric" and _AMOUNT.search(column_key(name))
    )


def order_column(columns: dict[str, ColumnInfo]) -> str | None:
    """The first column named like an order or invoice number."""
    return next((name for name in columns if _ORDER.match(column_key(name))), None)


def customer_key_candidates(columns: dict[str, ColumnInfo]) -> list[str]:
    """Columns named like a customer key, keys (``…ID``, ``…number``) before names."""
    named = [name for name in columns if is_customer_named(name)]
    return sorted(named, key=lambda name: not _CUSTOMER_KEY_HINT.search(column_key(name)))


# ---------------------------------------------------------------- roles in order lines
# Column name fragments per role of an order line (matched on the column key, as every rule here).
# Words that disqualify a name for a role (an ORDERDATE is not the order id).
ORDER_ROLE_EXCLUDES: dict[str, tuple[str, ...]] = {
    "customer": ("phone", "address", "city", "country", "contact", "state", "zip", "postal", "since", "type"),
    "order": ("date", "line", "qty", "quantity", "status", "amount", "total", "price", "value", "number of",
              "count", "fecha", "datum", "дата", "ordered"),
    "date": ("update", "birth", "nacimiento", "geburt", "рождения"),
    "amount": ("qty", "quantity", "price", "cost", "discount", "tax", "msrp"),
    "quantity": (),
    "price": ("msrp", "list"),
    "category": ("code", "id"),
    "product": ("line", "category", "description", "name"),
    "status": ("marital", "civil", "account", "member", "customer"),
}  # fmt: skip
ORDER_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "customer": (
        "customer", "client", "cliente", "member", "kunde", "клиент", "musteri", "buyer", "comprador",
        "kaufer", "покупател", "abonne", "custid", "userid",
    ),
    "order": (
        "order", "invoice", "pedido", "bestellung", "заказ", "factura", "facture", "commande", "rechnung",
        "siparis", "fatura", "transaction", "receipt", "beleg", "ticket", "счет", "nota",
    ),
    "date": ("date", "fecha", "datum", "дата", "data", "tarih", "time", "day", "jour"),
    "amount": (
        "sales", "amount", "revenue", "ventas", "venta", "umsatz", "сумма", "total", "betrag", "montant",
        "valor", "importe", "tutar", "spend", "value", "выручка", "chiffre",
    ),
    "quantity": ("quantity", "qty", "cantidad", "menge", "количество", "anzahl", "quantidade", "quantite",
                 "adet", "units", "pieces"),
    "price": ("price", "precio", "preis", "цена", "preco", "prix", "fiyat", "rate", "unitcost"),
    "category": ("category", "categoria", "kategorie", "категория", "categorie", "productline",
                 "department", "family", "familia", "kategori", "genre", "segmentproduct"),
    "product": ("product", "item", "sku", "stockcode", "artikel", "producto", "produto", "товар",
                "article", "urun", "material"),
    "status": ("status", "estado", "статус", "durum", "zustand", "statut", "situacao", "situacion"),
}  # fmt: skip


def order_role_score(name: str, role: str) -> int:
    """2 when the whole key is a word of the order-line ``role``, 1 when it contains one, 0 otherwise (or excluded)."""
    key = column_key(name)
    if any(column_key(word) in key for word in ORDER_ROLE_EXCLUDES[role]):
        return 0
    words = [column_key(word) for word in ORDER_ROLE_WORDS[role]]
    if key in words:
        return 2
    return 1 if any(word in key for word in words) else 0
