"""The words the map itself writes (not data), in English and Russian."""

from __future__ import annotations

from geo.maps._checks import check_lang

__all__ = ["TEXT", "kind_name", "text"]

#: Russian names of the enumerated kinds in the attribute tables (project types, link kinds).
KIND_RU: dict[str, str] = {
    "energy": "энергетика",
    "oil_gas": "нефть и газ",
    "refinery": "НПЗ",
    "mining": "добыча полезных ископаемых",
    "space": "космос",
    "education": "образование",
    "industry": "промышленность",
    "pipeline": "трубопровод",
    "trade": "торговля",
    "shared_deposit": "общее месторождение",
    "gas_supply": "поставки газа",
    "crude_supply_plan": "план поставок нефти",
    "other": "другое",
}


def kind_name(kind: str, lang: str) -> str:
    """Readable name of an enumerated kind ("oil_gas" -> "oil gas" / "нефть и газ")."""
    if lang == "ru" and kind in KIND_RU:
        return KIND_RU[kind]
    return kind.replace("_", " ")


TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Russia–Kazakhstan cross-border region",
        "regions": "Regions",
        "context": "Other Russian regions",
        "background": "Background: other Russian regions",
        "labels": "Region labels",
        "border": "Russia–Kazakhstan state border",
        "projects": "Projects and sites",
        "links": "Cooperation links",
        "links_note": "width by value; dotted: no quantity published",
        "code": "Code",
        "name_other": "Russian name",
        "includes": "Includes",
        "no_data": "no data",
        "type": "Type",
        "status": "Status",
        "year": "Year",
        "involved": "Regions",
        "partners": "Partners",
        "location": "Location",
        "source": "Source",
        "length": "Published length",
        "value": "Value",
        "kind": "Kind",
        "from_to": "Regions",
        "line_note": "Line joins the administrative centres; it is not a route.",
        "schematic": "location: schematic",
        "approximate": "placed at regional centre",
        "sources": "Sources",
        "boundaries_src": "Boundaries: Natural Earth 1:10m admin-1 (public domain), Kazakhstan before 2018",
        "projects_legend": "Projects by type",
        "hollow": "hollow / dashed: location approximate or schematic",
        "border_length": "Border with the other country",
        "projects_count": "Projects per region",
        "point_contact": "touches the other country at a single point at 1:10m",
        "km": "km",
        "attr_none": "no basemap",
    },
    "ru": {
        "title": "Российско-казахстанский приграничный регион",
        "regions": "Регионы",
        "context": "Другие регионы России",
        "background": "Фон: другие регионы России",
        "labels": "Подписи регионов",
        "border": "Государственная граница России и Казахстана",
        "projects": "Проекты и объекты",
        "links": "Связи сотрудничества",
        "links_note": "толщина по значению; точки: величина не опубликована",
        "code": "Код",
        "name_other": "Название (англ.)",
        "includes": "Включает",
        "no_data": "нет данных",
        "type": "Тип",
        "status": "Статус",
        "year": "Год",
        "involved": "Регионы",
        "partners": "Партнёры",
        "location": "Местоположение",
        "source": "Источник",
        "length": "Опубликованная длина",
        "value": "Значение",
        "kind": "Вид",
        "from_to": "Регионы",
        "line_note": "Линия соединяет административные центры; это не маршрут.",
        "schematic": "расположение: схематично",
        "approximate": "помещено в административный центр региона",
        "sources": "Источники",
        "boundaries_src": "Границы: Natural Earth 1:10m admin-1 (общественное достояние), Казахстан до 2018 г.",
        "projects_legend": "Проекты по типам",
        "hollow": "полые / пунктир: расположение приблизительно или схематично",
        "border_length": "Граница с другой страной",
        "projects_count": "Проекты в регионе",
        "point_contact": "касается другой страны в одной точке в масштабе 1:10m",
        "km": "км",
        "attr_none": "без подложки",
    },
}


def text(lang: str) -> dict[str, str]:
    """The map's own words in ``lang`` (``en`` or ``ru``)."""
    return TEXT[check_lang(lang)]
