"""A matrix of generated customer tables: ten languages written in every code page that can hold them.

Used by ``tests/io/test_encoding.py`` (every file must read back cell for cell)
and by ``bench/encodings.py`` (the same files against charset-normalizer).
Each language has its own header, names, cities, categories and notes; the
notes carry typographic punctuation (curly quotes, dashes, ``…``, ``€``, a
no-break space) where the code page has it. DOS pages have none of it, so
their tables use the plain ASCII punctuation a DOS user would have typed.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

# The code pages a table is tried in, by Python codec, with the reader's names.
CODEPAGES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp850": "DOS 850 (Western European)",
    "cp866": "DOS 866 (Cyrillic)",
}
_DOS = {"cp850", "cp866"}
_PLAIN = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"}
)
_PLAIN_TEXT = {"…": "...", "€": "EUR", "\xa0": " "}


@dataclass(frozen=True)
class Language:
    """Words of one language to fill a customer table with."""

    name: str
    header: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    categories: tuple[str, ...]
    notes: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


LANGUAGES = (
    Language(
        "English",
        ("Customer ID", "First name", "Last name", "City", "Category", "Annual spend", "Notes"),
        _split("James|Mary|Robert|Patricia|John|Jennifer|Michael|Linda"),
        _split("Smith|O’Brien|Johnson|Williams|Brown|Jones|Garcia|Miller"),
        _split("London|Manchester|Leeds|Bristol|New York|Boston|Chicago|Dublin"),
        _split("Electronics|Home goods|Garden|Books|Sports"),
        _split(
            "“VIP” – call first|Conference\xa0phone — 2 units|Paid 120\xa0€ in cash|"
            "Prefers e-mail… not phone|‘Gold’ member since 2019|Delivery – back door"
        ),
    ),
    Language(
        "French",
        ("N° client", "Prénom", "Nom", "Ville", "Catégorie", "Dépenses annuelles", "Remarques"),
        _split("Hélène|François|Joël|Maëlle|Jérôme|Cécile|Gaëtan|Zoé"),
        _split("Lefèvre|Dubois|Moreau|Bérenger|Fournier|Girard|Rousseau|Mercier"),
        _split("Besançon|Orléans|Nîmes|Créteil|Angoulême|Évreux|Saint-Étienne|Béziers"),
        _split("Électroménager|Hygiène et beauté|Bricolage|Décoration|Épicerie fine"),
        _split(
            "« Client fidèle » – appeler avant|Livraison à l’étage — 3ème|Payé 45\xa0€ à la caisse|"
            "Préfère être contacté par courriel…|Réclamation traitée – très satisfait|Adresse à vérifier"
        ),
    ),
    Language(
        "German",
        ("Kundennummer", "Vorname", "Nachname", "Stadt", "Kategorie", "Jahresumsatz", "Bemerkungen"),
        _split("Jürgen|Björn|Käthe|Sören|Günter|Jörg|Uwe|Bärbel"),
        _split("Müller|Schröder|Weiß|Köhler|Groß|Jäger|Schäfer|Krüger"),
        _split("München|Köln|Düsseldorf|Nürnberg|Würzburg|Lübeck|Göttingen|Saarbrücken"),
        _split("Haushaltsgeräte|Bücher|Möbel|Spielwaren|Gartenbedarf"),
        _split(
            "„Stammkunde“ – bitte zuerst anrufen|Lieferung über Hintereingang|Zahlte 80\xa0€ bar|"
            "Rückruf erwünscht… dringend|Großbestellung — Rabatt gewährt|Schlüssel beim Nachbarn"
        ),
    ),
    Language(
        "Spanish",
        ("Nº cliente", "Nombre", "Apellido", "Ciudad", "Categoría", "Gasto anual", "Observaciones"),
        _split("José|María|Íñigo|Begoña|Ramón|Inés|Jesús|Lucía"),
        _split("Muñoz|Pérez|Martínez|Gómez|Núñez|Sánchez|Ibáñez|Fernández"),
        _split("Málaga|Córdoba|León|Cádiz|Logroño|Ávila|Alcalá de Henares|Jaén"),
        _split("Electrónica|Alimentación|Jardinería|Decoración|Menaje"),
        _split(
            "“Cliente VIP” – llamar antes|¿Factura? Sí, por correo|Pagó 60\xa0€ en efectivo|"
            "Entrega en portería — 2º piso|Reclamación resuelta…|¡Muy satisfecho!"
        ),
    ),
    Language(
        "Portuguese",
        ("Nº cliente", "Nome", "Sobrenome", "Cidade", "Categoria", "Gasto anual", "Observações"),
        _split("João|Conceição|Sebastião|Inês|António|Graça|Gonçalo|Lúcia"),
        _split("Gonçalves|Simões|Magalhães|Araújo|Guimarães|Conceição|Brandão|Falcão"),
        _split("São Paulo|Brasília|Maceió|Belém|Goiânia|Florianópolis|Lisboa|Évora"),
        _split("Eletrônicos|Alimentação|Decoração|Construção|Higiene pessoal"),
        _split(
            "“Cliente fiel” – ligar antes|Não informado|Pagou 35\xa0€ à vista|"
            "Entrega no portão — bloco B|Reclamação resolvida…|Endereço a confirmar"
        ),
    ),
    Language(
        "Polish",
        ("Nr klienta", "Imię", "Nazwisko", "Miasto", "Kategoria", "Wydatki roczne", "Uwagi"),
        _split("Łukasz|Małgorzata|Wojciech|Żaneta|Grzegorz|Jadwiga|Mikołaj|Bożena"),
        _split("Wiśniewski|Wójcik|Kowalczyk|Dąbrowski|Zieliński|Szymański|Woźniak|Kozłowska"),
        _split("Łódź|Kraków|Gdańsk|Poznań|Wrocław|Białystok|Częstochowa|Zielona Góra"),
        _split("Elektronika|Artykuły spożywcze|Ogród|Książki|Żywność ekologiczna"),
        _split(
            "„Stały klient” – dzwonić wcześniej|Dostawa od podwórza|Zapłacił 50\xa0€ gotówką|"
            "Reklamacja rozpatrzona — zadowolony|Prosi o kontakt mailowy…|Źle podany adres"
        ),
    ),
    Language(
        "Czech",
        ("Číslo zákazníka", "Jméno", "Příjmení", "Město", "Kategorie", "Roční útrata", "Poznámky"),
        _split("Jiří|Růžena|Tomáš|Kateřina|Lubomír|Zdeňka|Přemysl|Dagmar"),
        _split("Dvořák|Novák|Černý|Procházka|Kučerová|Svoboda|Veselý|Růžička"),
        _split("Plzeň|České Budějovice|Ústí nad Labem|Hradec Králové|Příbram|Třebíč|Jihlava|Kroměříž"),
        _split("Elektronika|Potraviny|Zahrada|Knihy|Drogerie a kosmetika"),
        _split(
            "„Stálý zákazník“ – volat předem|Doručit do třetího patra|Zaplatil 40\xa0€ hotově|"
            "Reklamace vyřízena — spokojený|Preferuje e-mail…|Ověřit adresu"
        ),
    ),
    Language(
        "Russian",
        ("Номер клиента", "Имя", "Фамилия", "Город", "Категория", "Годовой доход", "Примечания"),
        _split("Алексей|Наталья|Дмитрий|Ольга|Сергей|Татьяна|Андрей|Юлия"),
        _split("Иванов|Смирнова|Кузнецов|Попова|Соколов|Лебедева|Козлов|Новикова"),
        _split("Москва|Санкт-Петербург|Новосибирск|Екатеринбург|Казань|Нижний Новгород|Самара|Омск"),
        _split("Электроника|Товары для дома|Продукты питания|Книги|Спорт и отдых"),
        _split(
            "«Постоянный клиент» – звонить заранее|Доставка до подъезда|Оплатил 30\xa0€ наличными|"
            "Жалоба рассмотрена — доволен|Предпочитает почту…|Уточнить адрес"
        ),
    ),
    Language(
        "Ukrainian",
        ("Номер клієнта", "Ім’я", "Прізвище", "Місто", "Категорія", "Річні витрати", "Примітки"),
        _split("Олексій|Наталія|Дмитро|Ольга|Сергій|Тетяна|Андрій|Юлія"),
        _split("Шевченко|Коваленко|Бондаренко|Ткаченко|Кравчук|Олійник|Мельник|Іваненко"),
        _split("Київ|Харків|Одеса|Дніпро|Львів|Запоріжжя|Івано-Франківськ|Житомир"),
        _split("Електроніка|Товари для дому|Продукти харчування|Книжки|Ґаджети"),
        _split(
            "«Постійний клієнт» – дзвонити заздалегідь|Доставка до під’їзду|Сплатив 30\xa0€ готівкою|"
            "Скаргу розглянуто — задоволений|Надає перевагу пошті…|Уточнити адресу"
        ),
    ),
    Language(
        "Turkish",
        ("Müşteri no", "Ad", "Soyad", "Şehir", "Kategori", "Yıllık harcama", "Notlar"),
        _split("Ayşe|Gökhan|Şule|Oğuz|İbrahim|Çağla|Ömer|Büşra"),
        _split("Yılmaz|Şahin|Öztürk|Çelik|Doğan|Aydın|Kılıç|Güneş"),
        _split("İstanbul|İzmir|Muğla|Eskişehir|Şanlıurfa|Çanakkale|Diyarbakır|Kırşehir"),
        _split("Elektronik|Gıda|Bahçe|Kitap|Kişisel bakım"),
        _split(
            "“Sadık müşteri” – önce arayın|Teslimat arka kapıdan|Nakit 25\xa0€ ödedi|"
            "Şikâyet çözüldü — memnun|E-posta tercih ediyor…|Adresi doğrulayın"
        ),
    ),
)


def table_rows(language: Language, n_rows: int = 24, seed: int = 0) -> list[list[str]]:
    """A header and ``n_rows`` customers, every cell text of ``language``."""
    pick = random.Random(f"{language.name}-{seed}").choice
    rows = [list(language.header)]
    for i in range(1, n_rows + 1):
        spend = f"{pick(range(100, 9000))},{pick(range(10, 99))}"
        rows.append(
            [
                f"{i:04d}",
                pick(language.first_names),
                pick(language.last_names),
                pick(language.cities),
                pick(language.categories),
                spend,
                pick((*language.notes, "")),
            ]
        )
    return rows


def plain_punctuation(rows: list[list[str]]) -> list[list[str]]:
    """The rows with typographic punctuation as a DOS keyboard types it."""

    def plain(cell: str) -> str:
        cell = cell.translate(_PLAIN)
        for char, text in _PLAIN_TEXT.items():
            cell = cell.replace(char, text)
        return cell

    return [[plain(cell) for cell in row] for row in rows]


def to_csv(rows: list[list[str]], delimiter: str = ";") -> str:
    """The rows as CSV text (CRLF, minimal quoting), as Excel writes them."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class MatrixFile:
    """One generated file: its language, code page, cells and bytes."""

    language: str
    codec: str
    rows: list[list[str]]
    data: bytes


def matrix(n_rows: int = 24) -> list[MatrixFile]:
    """Every language in every code page that can hold its table."""
    files = []
    for language in LANGUAGES:
        for codec in CODEPAGES:
            rows = table_rows(language, n_rows)
            if codec in _DOS:
                rows = plain_punctuation(rows)
            try:
                data = to_csv(rows).encode(codec)
            except UnicodeEncodeError:
                continue  # this page cannot hold the language
            files.append(MatrixFile(language.name, codec, rows, data))
    return files
