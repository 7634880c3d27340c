"""Region identities: the catalogue of current units and the resolution of any spelling to its ISO code.

The catalogue (``data/regions.csv``) lists every current unit with its ISO 3166-2 code, legacy codes, names in
English, Russian and Kazakh, administrative centre and, for the Kazakh units created in 2018 and 2022, the polygon
of the embedded boundaries that contains them. ``data/aliases.csv`` adds historical names, transliterations and the
abbreviations of statistical tables.

Resolution works on a *key* built from a name: case, punctuation, apostrophes, diacritics, ё/е and the Kazakh
letters are folded, Cyrillic is transliterated, and the words that say what kind of unit it is ("oblast",
"обл.", "область", "облысы", "region", "krai", "city", "г.", …) are set aside as a *kind*. The key finds the
candidate units; the kind, when given, chooses between them ("Almaty oblast" vs "Almaty city"). A key that still
fits several units is ambiguous and the error lists them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo._paths import data_dir
from geo.errors import AmbiguousRegionError, GeoInputError, UnknownRegionError

__all__ = ["Catalog", "catalog", "normalize", "resolve"]

# Words that name the kind of unit, in the languages and abbreviations users type. Multi-word phrases first.
_KIND_PHRASES: list[tuple[str, str]] = [
    ("autonomous okrug", "autonomous_okrug"),
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
_KIND_COMPATIBLE: dict[str, set[str]] = {
    "oblast": {"oblast", "autonomous_oblast"},
    "krai": {"krai"},
    "republic": {"republic"},
    "city": {"city"},
    "autonomous_okrug": {"autonomous_okrug"},
    "autonomous_oblast": {"autonomous_oblast"},
}

# Kazakh letters folded to their Russian neighbours, so Kazakh and Russian Cyrillic meet.
_KK_FOLD = str.maketrans("әғқңөұүһі", "агкноууһи".replace("һ", "х"))
_CYR_LAT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
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


def _code_key(value: str) -> str | None:
    """Key for something that looks like a code: ISO (``KZ-39``, ``kz39``) or HASC (``KZ.QS``)."""
    text = str(value).strip().upper()
    m = re.fullmatch(r"(RU|KZ)\s*[-_.\s]?\s*([A-Z0-9]{1,3})", text)
    return f"{m.group(1)}-{m.group(2)}" if m else None


@dataclass(frozen=True)
class Catalog:
    """The region catalogue and the indexes that resolve names to codes.

    Build it with :func:`catalog`; it is immutable and cached per file.
    """

    table: pd.DataFrame
    _codes: dict[str, str] = field(repr=False)  # code-like key -> code
    _names: dict[str, dict[str, set[str]]] = field(repr=False)  # key -> {code: kinds stated by aliases}
    _pinned: dict[str, str] = field(repr=False)  # key (no kinds) -> code where an alias settles it
    _display: dict[str, str] = field(repr=False)  # code -> "Name (CODE)"

    # -- public ----------------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        """All current codes, sorted."""
        return list(self.table.index)

    def get(self, code: str) -> pd.Series:
        """The catalogue row of a current code."""
        return self.table.loc[code]

    def describe(self, code: str) -> str:
        """Human label used in messages: ``"Kostanay Region (KZ-39)"``."""
        return self._display[code]

    def resolve(self, name: object, *, country: str | None = None, where: str = "") -> str:
        """Current ISO 3166-2 code for any spelling of a region; see :func:`geo.resolve`."""
        codes, _key = self._candidates(name, country)
        if len(codes) == 1:
            return codes[0]
        if not codes:
            raise UnknownRegionError(str(name), self.suggest(name, country=country), where=where)
        raise AmbiguousRegionError(str(name), [self.describe(c) for c in codes], where=where)

    def candidates(self, name: object, *, country: str | None = None) -> list[str]:
        """All codes a name could mean (empty when unknown, several when ambiguous)."""
        return self._candidates(name, country)[0]

    def suggest(self, name: object, *, country: str | None = None, n: int = 3) -> list[str]:
        """Closest known names for an unknown one, as ``"Name (CODE)"`` labels."""
        key, _ = normalize(str(name))
        keys = [k for k, v in self._names.items() if self._country_ok(v, country)]
        close = difflib.get_close_matches(key, keys, n=n * 3, cutoff=0.6)
        out: list[str] = []
        for k in close:
            for code in sorted(self._names[k]):
                label = self.describe(code)
                if label not in out:
                    out.append(label)
        return out[:n]

    # -- internals -------------------------------------------------------------------------------
    @staticmethod
    def _country_ok(codes: Iterable[str], country: str | None) -> bool:
        return country is None or any(c.startswith(country + "-") for c in codes)

    def _candidates(self, name: object, country: str | None) -> tuple[list[str], str]:
        if name is None or (isinstance(name, float) and pd.isna(name)) or not str(name).strip():
            raise GeoInputError("empty region name")
        if country is not None:
            country = country.upper()
            if country not in ("RU", "KZ"):
                raise GeoInputError(f"country must be 'RU' or 'KZ', not {country!r}")
        code_key = _code_key(str(name))
        if code_key and code_key in self._codes:
            code = self._codes[code_key]
            return ([code] if country is None or code.startswith(country) else []), code_key
        hasc = str(name).strip().upper().replace(" ", "")
        if hasc in self._codes:
            return [self._codes[hasc]], hasc
        key, kinds = normalize(str(name))
        entry = self._names.get(key, {})
        codes = sorted(c for c in entry if country is None or c.startswith(country + "-"))
        if len(codes) > 1 and kinds:
            fitting = [c for c in codes if self._kind_fits(c, kinds, entry[c])]
            if fitting:
                codes = fitting
        if len(codes) > 1 and not kinds and key in self._pinned:
            pinned = self._pinned[key]
            if country is None or pinned.startswith(country + "-"):
                codes = [pinned]
        return codes, key

    def _kind_fits(self, code: str, kinds: frozenset[str], alias_kinds: set[str]) -> bool:
        unit_kind = self.table.at[code, "kind"]
        stated = set(alias_kinds) | {unit_kind}
        return all(stated & _KIND_COMPATIBLE.get(k, {k}) for k in kinds)


def _build(regions: pd.DataFrame, aliases: pd.DataFrame) -> Catalog:
    codes: dict[str, str] = {}
    names: dict[str, dict[str, set[str]]] = {}
    pinned: dict[str, str] = {}

    def add_name(code: str, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        key, kinds = normalize(text)
        if key:
            names.setdefault(key, {}).setdefault(code, set()).update(kinds)

    records = regions.to_dict("index")
    for code, row in records.items():
        codes[code] = code
        for legacy in filter(None, str(row["legacy_codes"] or "").split(";")):
            codes[legacy.strip().upper()] = code
        if row["hasc"]:
            codes[str(row["hasc"]).upper()] = code
        for col in ("name_en", "name_ru", "name_kk"):
            add_name(code, row[col])
    for row in aliases.itertuples(index=False):
        if row.code not in regions.index:
            msg = f"data/aliases.csv: alias {row.alias!r} names unknown code {row.code!r}"
            raise GeoInputError(msg)
        if _code_key(row.alias) and re.fullmatch(r"[A-Z]{2}[-.][A-Z0-9]+", row.alias):
            codes[row.alias.upper()] = row.code
            continue
        add_name(row.code, row.alias)
        if str(row.pin).lower() == "true":
            pinned[normalize(row.alias)[0]] = row.code
    display = {code: f"{row['name_en']} ({code})" for code, row in records.items()}
    return Catalog(table=regions, _codes=codes, _names=names, _pinned=pinned, _display=display)


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=4)
def catalog(directory: str | None = None) -> Catalog:
    """Load the region catalogue (cached).

    Parameters
    ----------
    directory
        Folder holding ``regions.csv`` and ``aliases.csv``; the shipped ``data/`` folder by default.

    Returns
    -------
    Catalog
        The catalogue; ``catalog().table`` is a DataFrame indexed by code.
    """
    folder = Path(directory) if directory else data_dir()
    regions = _read_csv(folder / "regions.csv").set_index("code", drop=False)
    regions.index.name = None
    regions["border"] = regions["border"].str.lower().eq("true")
    for col in ("centre_lat", "centre_lon"):
        regions[col] = pd.to_numeric(regions[col], errors="coerce")
    return _build(regions, _read_csv(folder / "aliases.csv"))


def resolve(name_or_code: object, country: str | None = None) -> str:
    """Current ISO 3166-2 code of a region, from any spelling.

    Parameters
    ----------
    name_or_code
        A name in English, Russian or Kazakh (Latin or Cyrillic), with or without "oblast", "обл.",
        "область", "облысы", "region"; a transliteration or historical name; an ISO 3166-2 code (current or
        legacy, e.g. ``KZ-KUS``) or a HASC code (``KZ.QS``).
    country
        ``"RU"`` or ``"KZ"`` to restrict the search to one country.

    Returns
    -------
    str
        The current code, e.g. ``"KZ-39"``.

    Raises
    ------
    UnknownRegionError
        No unit fits; the message lists the closest names.
    AmbiguousRegionError
        Several units fit (e.g. "Almaty": city or region); the message lists them.

    Examples
    --------
    >>> resolve("Qostanay oblysy")
    'KZ-39'
    >>> resolve("Оренбургская обл.")
    'RU-ORE'
    """
    return catalog().resolve(name_or_code, country=country)
