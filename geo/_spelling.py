"""Generic spelling rules for region names, as statistics offices and people write them.

Folding, transliteration, kind words, footnote markers, look-alike letters and the "with/without the autonomous
okrugs" qualifiers of statistical tables.

Only rules live here; names themselves live in ``data/regions.csv``, ``data/aliases.csv`` and
``data/aggregates.csv``.
"""

from __future__ import annotations

import re
import unicodedata

# Words that name the kind of unit, in the languages and abbreviations users type. Multi-word phrases first.
_KIND_PHRASES: list[tuple[str, str]] = [
    ("federal district", "federal_district"),
    ("federal okrug", "federal_district"),
    ("federalnyi okrug", "federal_district"),
    ("федеральный округ", "federal_district"),
    ("autonomous okrug", "autonomous_okrug"),
    ("autonomous area", "autonomous_okrug"),  # Rosstat's English yearbooks
    ("avtonomnyi okrug", "autonomous_okrug"),
    ("avtonomnyy okrug", "autonomous_okrug"),
    ("автономный округ", "autonomous_okrug"),
    ("autonomous district", "autonomous_okrug"),
    ("autonomous oblast", "autonomous_oblast"),
    ("avtonomnaya oblast", "autonomous_oblast"),
    ("avtonomnaia oblast", "autonomous_oblast"),
    ("autonomous region", "autonomous_oblast"),
    ("автономная область", "autonomous_oblast"),
    ("federal city", "city"),
    ("city of republican significance", "city"),
    ("город республиканского значения", "city"),
    ("город федерального значения", "city"),
]
_KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        [
            "oblast",
            "oblasti",
            "oblastʹ",
            "obl",
            "область",
            "обл",
            "облысы",
            "облыс",
            "oblysy",
            "oblys",
            "region",
            "reg",
            "province",
            "провинция",
            "регион",
            "oblasty",
        ],
        "oblast",
    ),
    **dict.fromkeys(["krai", "kray", "край", "territory", "kraj"], "krai"),
    **dict.fromkeys(
        ["republic", "respublika", "республика", "resp", "респ", "rep", "respublikasy"], "republic"
    ),
    **dict.fromkeys(
        ["city", "город", "г", "gorod", "qalasy", "каласы", "калас", "shahary", "шахары", "shaary", "g"],
        "city",
    ),
    **dict.fromkeys(["ao", "ао", "aok", "okrug", "округ"], "autonomous_okrug"),
}
_STOP_WORDS = {"of", "the", "и"}
# Kinds that count as the same when a user names one and the unit is the other.
KIND_COMPATIBLE: dict[str, set[str]] = {
    "oblast": {"oblast", "autonomous_oblast"},
    "krai": {"krai"},
    "republic": {"republic"},
    "city": {"city"},
    "autonomous_okrug": {"autonomous_okrug"},
    "autonomous_oblast": {"autonomous_oblast"},
    "federal_district": {"federal_district"},
}

# Kazakh letters folded to their Russian neighbours, so Kazakh and Russian Cyrillic meet.
_KK_FOLD = str.maketrans("әғқңөұүһі", "агкноууһи".replace("һ", "х"))
_CYR_LAT = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".replace("-", "").split(
            " "
        ),
        strict=True,
    )
)
# Latin spellings that differ only by transliteration scheme fold to one skeleton.
_SKELETON_RULES: list[tuple[str, str]] = [
    ("shch", "sh"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ts", "c"),
    ("tz", "c"),
    ("ya", "ia"),
    ("yu", "iu"),
    ("yo", "io"),
    ("ye", "e"),
    ("ja", "ia"),
    ("ju", "iu"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("x", "ks"),
    (
        "kazahst",
        "kazakst",
    ),  # Kazakhstan / Qazaqstan / Kazakstan: "Shygys Kazakhstan" meets "Shyghys Qazaqstan"
]
_APOSTROPHES = "'’‘ʼʹ`´\"«»“”"


def _fold_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.replace("ё", "е").translate(_KK_FOLD)
    text = "".join(c for c in text if c not in _APOSTROPHES)
    # Strip diacritics from Latin letters (ö → o, ū → u) but keep Cyrillic й.
    text = text.replace("й", "\0")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("\0", "й")
    # "ЗападноКазахстанская" (hyphen lost in a published table) meets "Западно-Казахстанская".
    text = re.sub(r"(западно|северо|восточно|южно)(?=казахстан)", r"\1 ", text)
    text = re.sub(r"[^\w]+", " ", text).replace("_", " ")
    return " ".join(text.split())


def _skeleton(word: str) -> str:
    latin = "".join(_CYR_LAT.get(c, c) for c in word)
    for old, new in _SKELETON_RULES:
        latin = latin.replace(old, new)
    latin = re.sub(r"(.)\1+", r"\1", latin)  # doubled letters: Kazakhstan/Kazakstan, Alla/Ala
    return latin


def _split_words(text: str) -> list[str]:
    # "Восточно-Казахстанская" and "Vostochno Kazakhstanskaya" must meet: hyphens became spaces in _fold_text.
    return text.split()


def normalize(name: str) -> tuple[str, frozenset[str]]:
    """Return the lookup key of a region name and the kinds of unit it names.

    Parameters
    ----------
    name
        Any spelling of a region: "Orenburgskaya oblast'", "Оренбургская обл.", "Қостанай облысы", "KZ-39".

    Returns
    -------
    tuple
        ``(key, kinds)``: the key is the transliterated, folded name without the kind words; ``kinds`` is the set
        of kinds the name states ("oblast", "city", "krai", "republic", …), empty when it states none.
    """
    text = _fold_text(name)
    kinds: set[str] = set()
    padded = f" {text} "
    for phrase, kind in _KIND_PHRASES:
        if f" {phrase} " in padded:
            kinds.add(kind)
            padded = padded.replace(f" {phrase} ", " ")
    words = []
    for word in _split_words(padded):
        if word in _KIND_WORDS:
            kinds.add(_KIND_WORDS[word])
        elif word not in _STOP_WORDS:
            words.append(word)
    key = " ".join(_skeleton(w) for w in words)
    return key, frozenset(kinds)


# -- markers and qualifiers of statistical tables ---------------------------------------------------------------
# A footnote marker at the end of a label: "Туркестанская 1", "Astana city2)", "г.Москва *)", "Абай¹".
_FOOTNOTE = re.compile(r"(?:\s*(?:\d{1,2}\)?|[\u00b9\u00b2\u00b3\u2070-\u2079]+\)?|\*+\)?|\)))\s*$")
# A leading "of which" of an indented row: "в том числе: Ненецкий автономный округ", "в т.ч. Ненецкий АО".
_LEAD = re.compile(
    r"^\s*(?:в\s+том\s+числе|в\s*т\.?\s*ч\.?|из\s+них|of\s+which|including|incl\.)\s*[:\-–—]?\s*", re.I
)
_OKRUG_WORDS = re.compile(
    r"автоном|\bао\b|хмао|янао|\bнао\b|ненец|ханты|ямал|autonom|okrug|\bareas?\b|\bdistricts?\b|nenets|khant|yamal|\bao\b",
    re.I,
)
_WITHOUT = re.compile(
    r"\s*[(,]?\s*\b(?:без|кроме|исключая|less|without|excluding|excl|except)\b(.*)$", re.I | re.S
)
_WITH = re.compile(r"\s*[(,]?\s*\b(?:включая|вкл|с|including|incl|with)\b(.*)$", re.I | re.S)


def strip_footnote(text: str) -> tuple[str, str] | None:
    """Split one trailing footnote marker off a label: ``("Astana city", "2)")``, or None when there is none.

    A closing parenthesis counts as a marker only when it has no opening partner in the label, so
    "Тюменская область (без автономных округов)" keeps its own.
    """
    m = _FOOTNOTE.search(text)
    if not m or m.start() == 0:
        return None
    marker = m.group(0).strip()
    rest = text[: m.start()]
    if marker.endswith(")") and rest.count("(") > rest.count(")"):
        return None
    if not rest.strip() or not re.search(r"\w", rest):
        return None
    return rest.rstrip(), marker


def strip_lead(text: str) -> tuple[str, str] | None:
    """Split a leading "в том числе:" / "of which" off a label, or None when there is none."""
    m = _LEAD.match(text)
    if not m or not text[m.end() :].strip():
        return None
    return text[m.end() :], m.group(0).strip()


def split_qualifier(text: str) -> tuple[str, str] | None:
    """Split "… without/with the autonomous okrugs" off a label.

    Returns
    -------
    tuple or None
        ``(head, "without")`` or ``(head, "with")``, None when the label has no such qualifier (the words after
        "без/less/without…" or "включая/с/including…" must name autonomous okrugs or areas).
    """
    for pattern, kind in ((_WITHOUT, "without"), (_WITH, "with")):
        for m in pattern.finditer(text):
            if m.start() > 0 and _OKRUG_WORDS.search(m.group(1)) and text[: m.start()].strip():
                return text[: m.start()].strip(), kind
    return None


# Letters that look alike in Latin and Cyrillic: a Latin "BKO" may be a Cyrillic "ВКО" typed with the wrong keyboard.
_LAT_CYR = dict(zip("ABCEHIKMOPTXYacehikopxy", "АВСЕНІКМОРТХУасеһікорху", strict=True))
_CYR_LAT_LOOK = {c: lat for lat, c in _LAT_CYR.items()}


def confusable_readings(text: str) -> list[str]:
    """Other readings of a label whose letters all exist in the other script (empty when there are none).

    A Latin or mixed label whose Latin letters all have Cyrillic look-alikes is also read in Cyrillic; a mixed label
    whose Cyrillic letters all have Latin look-alikes is also read in Latin. A purely Cyrillic label is read as it
    is (Cyrillic В is never a Latin B).
    """
    letters = [c for c in text if c.isalpha()]
    latin = [c for c in letters if c.isascii()]
    cyrillic = [c for c in letters if "\u0400" <= c <= "\u04ff"]
    readings = []
    if latin and all(c in _LAT_CYR for c in latin) and len(latin) + len(cyrillic) == len(letters):
        readings.append("".join(_LAT_CYR.get(c, c) for c in text))
    if latin and cyrillic and all(c in _CYR_LAT_LOOK for c in cyrillic):
        readings.append("".join(_CYR_LAT_LOOK.get(c, c) for c in text))
    return [r for r in readings if r != text]


def code_key(value: str) -> str | None:
    """Key for something that looks like a code: ISO (``KZ-39``, ``kz39``) or HASC (``KZ.QS``)."""
    text = str(value).strip().upper()
    m = re.fullmatch(r"(RU|KZ)\s*[-_.\s]?\s*([A-Z0-9]{1,3})", text)
    return f"{m.group(1)}-{m.group(2)}" if m else None
