"""Which letters and characters each language writes: the evidence that a code page read a file right.

Alphabetic languages are told by their non-ASCII letters (``ł ą ę`` Polish,
``ā ē ī`` Latvian, Greek, Hebrew and Arabic letters). Chinese, Japanese and
Korean are told by how common their characters are: a few hundred characters
make up most of any Chinese or Korean text, whereas a file read in the wrong
East Asian page turns into rare characters, user-defined ones, or characters of
another script. The frequent-character lists below are the usual top lists of
the languages (the most used hanzi, their traditional forms, and Korean's most
used syllables), not the words of any one file.
"""

from __future__ import annotations

import functools
import unicodedata

# Non-ASCII letters of the languages customer files are written in. A word
# whose letters all belong to the file's main language is strong evidence.
ALPHABETS = {
    "French": "àâæçéèêëîïôœùûüÿ",
    "German": "äöüß",
    "Spanish": "áéíñóúü",
    "Portuguese": "áâãàçéêíóôõú",
    "Italian": "àèéìíîòóùú",
    "Catalan": "àçèéíïòóúü",
    "Dutch": "éëïóöü",
    "Danish and Norwegian": "æøåé",
    "Swedish and Finnish": "åäöé",
    "Estonian": "äöõüšž",
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Romanian": "ăâîșțşţ",
    "Croatian and Slovene": "čćđšž",
    "Lithuanian": "ąčęėįšųūž",
    "Latvian": "āčēģīķļņšūž",
    "Turkish": "çğıöşüâîû",
    "Vietnamese": ("àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"),
    "Greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",
    "Russian": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "Ukrainian": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "Belarusian": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "Bulgarian": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "Serbian and Macedonian": "абвгдђѓежзѕијклљмнњопрстћќуфхцчџш",
    "Hebrew": "אבגדהוזחטיכךלמםנןסעפףצץקרשת",
    "Arabic and Persian": "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيپچژکگیـ",
}
LETTER_SETS = {
    language: frozenset(letters + letters.upper() + ("İ" if language == "Turkish" else ""))
    for language, letters in ALPHABETS.items()
}

# The most used Chinese characters (simplified), then the traditional forms of those that differ.
_FREQUENT_SIMPLIFIED = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么"
    "心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分"
    "将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重"
    "被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住"
    "员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制"
    "解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非"
    "流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量"
    "空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委"
    "早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切除居差客户号类别年度消"
    "费备注城市姓名电话地址邮箱订单日期金额数量价格产品商品类型状态会员积分购买支付送货确认已处理非常满意核实联系"
    "刘陈杨赵吴周徐孙胡朱高林何郭罗"
)
_TRADITIONAL_FORMS = (
    "這們為國個說來時過會著學對裡後麼從動兩長將與進實點種聲話兒問機給幾業間電門東軍產萬體別處總場師書員華報馬張"
    "難數應車雙歷觀爭組視濟離雖壞興區轉眾輕語滿極黃錢黨設導網專飛際則單據親界務製無開見經頭現樣記邊風戰幹許覺統"
    "請愛讓認論義術結變聯權傳遠資隊帶條該領紅決達辦運強織廣議鄉顧戶號類別費備註購買確認處理滿聯繫貨郵箱訂單價"
    "狀態會員積分陳劉吳趙楊孫羅鄭"
)
# The most used syllables of Korean (particles, endings, common nouns, the commonest names).
_FREQUENT_HANGUL = (
    "이다는의에가을를고하한지기서도로으로사자리어나그아수인시대있것들적정부해게만주일국전상과소여화보"
    "우중장원제성경동방신연공관위회세내문무면조명실모구결선비학개미통발당요재후본생계거물물간분예"
    "마바라파타카차아사가나다하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호구누두루무부수우주추"
    "쿠투푸후그느드르므브스으즈츠크트프흐기니디리미비시이지치키티피히김박최강윤장임한오송류홍전고문양손배백허"
    "남심노하곽성차주우구민나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국"
    "서울부산인천대구전광주울산수원경기강원충청북남전라제주도시군구읍면동리번호고객이름성명주소연락처"
    "제품구매금액"
    "준연윤우서민지하예은현영수진호철희정숙미경혜선"
)
# The most used characters of Chinese given names (simplified, then traditional forms).
_NAME_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌浩宇婷雪琳晶燕偉麗強傑濤鵬飛華蘭萍紅"
)
FREQUENT_HAN = frozenset(_FREQUENT_SIMPLIFIED + _TRADITIONAL_FORMS + _NAME_CHARACTERS)
FREQUENT_HANGUL = frozenset(_FREQUENT_HANGUL)
EAST_ASIAN_CODECS = frozenset({"gb18030", "cp950", "cp932", "cp949"})


def script(char: str) -> str:
    """The script of a character: latin, greek, cyrillic, hebrew, arabic, han, kana, hangul, or other."""
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return "latin"
    if 0x370 <= code < 0x400:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x590 <= code < 0x600:
        return "hebrew"
    if 0x600 <= code < 0x700:
        return "arabic"
    if 0x3400 <= code < 0xA000 or 0xF900 <= code < 0xFB00:
        return "han"
    if 0x3040 <= code < 0x3100:
        return "kana"
    if 0xAC00 <= code < 0xD7A4:
        return "hangul"
    if 0xFF61 <= code < 0xFFA0:
        return "halfwidth kana"
    return "other"


def is_letter(char: str) -> bool:
    """A letter of an alphabet (cased Latin, Greek, Cyrillic; Hebrew, Arabic), not ª, º or ˆ."""
    kind = script(char)
    if kind in ("hebrew", "arabic"):
        return unicodedata.category(char) == "Lo"
    return unicodedata.category(char) in ("Lu", "Ll") and kind in ("latin", "greek", "cyrillic")


def east_asian_weight(char: str, codec: str) -> float | None:
    """Evidence per byte that ``char``, decoded with the East Asian ``codec``, is what was written.

    1 for the language's frequent characters, less for rarer ones; None when
    ``char`` is not an East Asian character (the alphabetic rules apply).
    """
    kind = script(char)
    if kind == "han":
        return 1.0 if char in FREQUENT_HAN else _common_in(char, codec)
    if kind == "hangul":
        return 1.0 if char in FREQUENT_HANGUL else 0.4 if _encodes(char, "euc_kr") else 0.1
    if kind == "kana":
        return 1.0 if codec == "cp932" else 0.2
    if kind == "halfwidth kana":
        return 0.3
    code = ord(char)
    if 0x3000 <= code < 0x3040 or 0xFF00 <= code < 0xFF61:
        return 0.5  # CJK punctuation and full-width forms
    return None


@functools.lru_cache(maxsize=1 << 16)
def _common_in(char: str, codec: str) -> float:
    """A hanzi or kanji of the standard set of ``codec`` (the GB2312, Big5 or JIS level 1 set) or a rarer one."""
    if codec == "gb18030":
        return 0.4 if _lead_in(char, "gb2312", 0xB0, 0xD7) else 0.2 if _encodes(char, "gb2312") else 0.1
    if codec == "cp950":
        return 0.4 if _lead_in(char, "big5", 0xA4, 0xC6) else 0.2
    if codec == "cp932":
        return 0.4 if _lead_in(char, "shift_jis", 0x88, 0x98) else 0.2
    return 0.15  # hanja in a Korean file


def _lead_in(char: str, codec: str, low: int, high: int) -> bool:
    try:
        return low <= char.encode(codec)[0] <= high
    except UnicodeEncodeError:
        return False


@functools.lru_cache(maxsize=1 << 16)
def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=1 << 16)
def byte_length(char: str, codec: str) -> int:
    """How many bytes ``char`` takes in ``codec``."""
    try:
        return len(char.encode(codec))
    except UnicodeEncodeError:
        return 1
