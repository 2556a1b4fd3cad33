"""A matrix of generated customer tables: twenty languages written in every code page that can hold them.

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
import unicodedata
from dataclasses import dataclass

# The code pages a table is tried in, by Python codec, with the reader's names.
CODEPAGES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1258": "Windows-1258 (Vietnamese)",
    "iso-8859-15": "ISO-8859-15 (Western European with €)",
    "mac-roman": "Mac Roman (Western European)",
    "cp850": "DOS 850 (Western European)",
    "cp866": "DOS 866 (Cyrillic)",
    "gbk": "GB18030 (Simplified Chinese, also GBK)",
    "gb18030": "GB18030 (Simplified Chinese, also GBK)",
    "big5": "Big5 (Traditional Chinese)",
    "cp950": "Big5 (Traditional Chinese)",
    "shift_jis": "Shift_JIS (Japanese)",
    "cp932": "Shift_JIS (Japanese)",
    "euc_kr": "EUC-KR (Korean)",
    "cp949": "EUC-KR (Korean)",
}
_DOS = {"cp850", "cp866"}
# ISO pages have no curly quotes or dashes but do have € and the no-break space.
_ISO = {"iso-8859-15"}
# East Asian pages are tried for East Asian tables only: GB18030 can encode any text,
# but nobody saves a Greek table in it.
_EAST_ASIAN = {
    "gbk": ("Simplified Chinese", "Traditional Chinese"),
    "gb18030": ("Simplified Chinese", "Traditional Chinese"),
    "big5": ("Traditional Chinese",),
    "cp950": ("Traditional Chinese",),
    "shift_jis": ("Japanese",),
    "cp932": ("Japanese",),
    "euc_kr": ("Korean",),
    "cp949": ("Korean",),
}
# Vietnamese tone marks: Windows-1258 writes them as combining marks after the letter.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
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
    Language(
        "Simplified Chinese",
        ("客户编号", "名", "姓", "城市", "类别", "年度消费", "备注"),
        _split("伟|芳|娜|秀英|敏|静|丽|强"),
        _split("王|李|张|刘|陈|杨|黄|赵"),
        _split("北京|上海|广州|深圳|成都|杭州|武汉|南京"),
        _split("家用电器|图书|服装鞋帽|食品饮料|运动户外"),
        _split(
            "“老客户”——请先致电|送货到后门|现金支付 120 元|希望通过邮件联系……|投诉已处理，非常满意|地址待核实"
        ),
    ),
    Language(
        "Traditional Chinese",
        ("客戶編號", "名", "姓", "城市", "類別", "年度消費", "備註"),
        _split("志明|淑芬|家豪|美玲|俊傑|雅婷|冠宇|怡君"),
        _split("陳|林|黃|張|李|王|吳|劉"),
        _split("臺北|新北|臺中|臺南|高雄|桃園|新竹|基隆"),
        _split("家用電器|圖書|服飾鞋帽|食品飲料|運動戶外"),
        _split(
            "「老顧客」——請先致電|送貨到後門|現金支付 120 元|"
            "希望透過電子郵件聯絡……|投訴已處理，非常滿意|地址待確認"
        ),
    ),
    Language(
        "Japanese",
        ("顧客番号", "名", "姓", "都市", "カテゴリ", "年間購入額", "備考"),
        _split("太郎|花子|翔太|さくら|健一|美咲|大輔|ゆい"),
        _split("佐藤|鈴木|高橋|田中|伊藤|渡辺|山本|中村"),
        _split("東京|大阪|横浜|名古屋|札幌|福岡|神戸|京都"),
        _split("家電|書籍|衣料品|食品・飲料|スポーツ用品"),
        _split(
            "「お得意様」先に電話してください|裏口へ配達|現金で1200円支払い|"
            "メールでの連絡を希望…|苦情対応済み、大変満足|住所要確認"
        ),
    ),
    Language(
        "Korean",
        ("고객번호", "이름", "성", "도시", "분류", "연간 구매액", "비고"),
        _split("민준|서연|도윤|지우|하준|서윤|예준|지민"),
        _split("김|이|박|최|정|강|조|윤"),
        _split("서울|부산|인천|대구|대전|광주|울산|수원"),
        _split("가전제품|도서|의류|식품|스포츠용품"),
        _split(
            "“단골 고객” 먼저 전화|뒷문으로 배송|현금으로 12000원 결제|"
            "이메일 연락을 선호함…|불만 처리 완료, 매우 만족|주소 확인 필요"
        ),
    ),
    Language(
        "Greek",
        ("Αριθμός πελάτη", "Όνομα", "Επώνυμο", "Πόλη", "Κατηγορία", "Ετήσιες δαπάνες", "Σημειώσεις"),
        _split("Γιώργος|Μαρία|Δημήτρης|Ελένη|Νίκος|Αικατερίνη|Κώστας|Σοφία"),
        _split("Παπαδόπουλος|Οικονόμου|Γεωργίου|Νικολάου|Κωνσταντίνου|Παπαδοπούλου|Αθανασίου|Ιωάννου"),
        _split("Αθήνα|Θεσσαλονίκη|Πάτρα|Ηράκλειο|Λάρισα|Βόλος|Ιωάννινα|Χανιά"),
        _split("Ηλεκτρονικά|Βιβλία|Ένδυση|Τρόφιμα|Αθλητικά είδη"),
        _split(
            "«Πιστός πελάτης» – τηλεφωνήστε πρώτα|Παράδοση από την πίσω πόρτα|Πλήρωσε 45\xa0€ μετρητά|"
            "Προτιμά email…|Το παράπονο επιλύθηκε — πολύ ικανοποιημένος|Επιβεβαίωση διεύθυνσης"
        ),
    ),
    Language(
        "Hebrew",
        ("מספר לקוח", "שם פרטי", "שם משפחה", "עיר", "קטגוריה", "הוצאה שנתית", "הערות"),
        _split("יוסף|שרה|דוד|רחל|משה|מיכל|אברהם|נועה"),
        _split("כהן|לוי|מזרחי|פרץ|ביטון|דהן|אברהם|פרידמן"),
        _split("ירושלים|תל אביב|חיפה|באר שבע|אשדוד|נתניה|חולון|רמת גן"),
        _split("מוצרי חשמל|ספרים|ביגוד|מזון|ספורט"),
        _split(
            "“לקוח קבוע” – להתקשר קודם|משלוח לדלת האחורית|שילם 120\xa0₪ במזומן|"
            "מעדיף דוא״ל…|התלונה טופלה — מרוצה מאוד|לאמת כתובת"
        ),
    ),
    Language(
        "Arabic",
        ("رقم العميل", "الاسم", "اسم العائلة", "المدينة", "الفئة", "الإنفاق السنوي", "ملاحظات"),
        _split("محمد|فاطمة|أحمد|عائشة|علي|مريم|عمر|نور"),
        _split("العلي|الحسن|الخطيب|المصري|الشامي|حداد|النجار|السيد"),
        _split("القاهرة|الرياض|دبي|عمان|بيروت|الدار البيضاء|تونس|جدة"),
        _split("إلكترونيات|كتب|ملابس|أغذية|رياضة"),
        _split(
            "«عميل دائم» – الاتصال أولا|التوصيل من الباب الخلفي، الطابق الثاني|دفع 120 ريال نقدا|"
            "يفضل البريد الإلكتروني…|تم حل الشكوى — راض جدا|التحقق من العنوان"
        ),
    ),
    Language(
        "Lithuanian",
        ("Kliento Nr.", "Vardas", "Pavardė", "Miestas", "Kategorija", "Metinės išlaidos", "Pastabos"),
        _split("Jonas|Ona|Petras|Aušra|Vytautas|Rūta|Žygimantas|Eglė"),
        _split("Kazlauskas|Jankauskas|Petrauskas|Stankevičius|Vasiliauskas|Žukauskas|Butkus|Paulauskienė"),
        _split("Vilnius|Kaunas|Klaipėda|Šiauliai|Panevėžys|Alytus|Marijampolė|Utena"),
        _split("Elektronika|Knygos|Drabužiai|Maisto prekės|Sporto reikmenys"),
        _split(
            "„Nuolatinis klientas“ – skambinti iš anksto|Pristatyti pro galines duris|"
            "Sumokėjo 45\xa0€ grynaisiais|Pageidauja el. pašto…|"
            "Skundas išspręstas — labai patenkintas|Patikslinti adresą"
        ),
    ),
    Language(
        "Latvian",
        ("Klienta Nr.", "Vārds", "Uzvārds", "Pilsēta", "Kategorija", "Gada izdevumi", "Piezīmes"),
        _split("Jānis|Anna|Andris|Līga|Mārtiņš|Ilze|Kārlis|Inese"),
        _split("Bērziņš|Kalniņš|Ozoliņš|Jansons|Ozols|Liepiņa|Krūmiņš|Vītols"),
        _split("Rīga|Daugavpils|Liepāja|Jelgava|Jūrmala|Ventspils|Rēzekne|Valmiera"),
        _split("Elektronika|Grāmatas|Apģērbs|Pārtika|Sporta preces"),
        _split(
            "„Pastāvīgs klients“ – vispirms piezvanīt|Piegāde pa sētas durvīm|"
            "Samaksāja 45\xa0€ skaidrā naudā|Dod priekšroku e-pastam…|"
            "Sūdzība atrisināta — ļoti apmierināts|Precizēt adresi"
        ),
    ),
    Language(
        "Vietnamese",
        ("Mã khách hàng", "Tên", "Họ", "Thành phố", "Danh mục", "Chi tiêu hằng năm", "Ghi chú"),
        _split("Anh|Hương|Minh|Lan|Tuấn|Thảo|Dũng|Ngọc"),
        _split("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Võ|Đặng"),
        _split("Hà Nội|Hồ Chí Minh|Đà Nẵng|Hải Phòng|Cần Thơ|Huế|Nha Trang|Vũng Tàu"),
        _split("Điện tử|Sách|Quần áo|Thực phẩm|Thể thao"),
        _split(
            "“Khách quen” – gọi trước|Giao hàng cửa sau|Trả 120\xa0₫ tiền mặt|"
            "Thích liên hệ qua email…|Khiếu nại đã giải quyết — rất hài lòng|Xác minh địa chỉ"
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


def plain_punctuation(rows: list[list[str]], keep: str = "") -> list[list[str]]:
    """The rows with typographic punctuation as a DOS keyboard types it (but the characters in ``keep``)."""

    def plain(cell: str) -> str:
        cell = cell.translate(_PLAIN)
        for char, text in _PLAIN_TEXT.items():
            if char not in keep:
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


def encode(text: str, codec: str) -> bytes:
    """``text`` as a program on Windows saves it in ``codec`` (Windows-1258: tone marks combining)."""
    if codec != "cp1258":
        return text.encode(codec)
    return "".join(_vietnamese_letter(char) for char in text).encode(codec)


def _vietnamese_letter(char: str) -> str:
    try:
        char.encode("cp1258")
        return char
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if c not in _TONE_MARKS)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        return unicodedata.normalize("NFC", base) + tones


def _rows_for(language: Language, codec: str, n_rows: int) -> list[list[str]] | None:
    """The table as it would be typed for ``codec``, or None when that page is not for this language."""
    if codec in _EAST_ASIAN and language.name not in _EAST_ASIAN[codec]:
        return None
    rows = table_rows(language, n_rows)
    if codec in _DOS:
        return plain_punctuation(rows)
    if codec in _ISO:
        return plain_punctuation(rows, keep="€\xa0")
    return rows


def matrix(n_rows: int = 24) -> list[MatrixFile]:
    """Every language in every code page that can hold its table."""
    files = []
    for language in LANGUAGES:
        for codec in CODEPAGES:
            rows = _rows_for(language, codec, n_rows)
            if rows is None:
                continue
            try:
                data = encode(to_csv(rows), codec)
            except UnicodeEncodeError:
                continue  # this page cannot hold the language
            files.append(MatrixFile(language.name, codec, rows, data))
    return files
