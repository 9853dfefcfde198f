"""Languages: the theme's words in the page's language, its direction, and links between translations.

The catalogue is a plain dict, keyed by the English text, so a template
reads `{{ t("Timeline") }}` and a missing translation falls back to
English. Writing direction and language names come from Babel's CLDR data.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Report, quote
from .locales import parse_locale
from .metadata import absolute
from .models import Article, Explainer, Site

CATALOGUE: dict[str, dict[str, str]] = {
    "ru": {
        "Skip to content": "Перейти к содержанию",
        "Atom feed": "Лента Atom",
        "Draft": "Черновик",
        "By": "Автор:",
        "Updated": "Обновлено",
        "In this explainer": "В этом материале",
        "Timeline": "Хронология",
        "Countries": "Страны",
        "Voices": "Голоса",
        "Source:": "Источник:",
        "The countries": "Страны",
        "Read in the article": "Читать в статье",
        "Share": "Поделиться",
        "{name}: all explainers": "{name}: все материалы",
        "{name} on a map of the region": "{name} на карте региона",
        "No explainers have been published yet.": "Пока не опубликовано ни одного материала.",
        "Page not found": "Страница не найдена",
        "The page you asked for is not here. It may have moved, or the link may be mistyped.":
            "Запрошенной страницы здесь нет. Возможно, она перемещена или в ссылке опечатка.",
        "Go to all explainers": "Все материалы",
        "The explainer below has a fact box on {name}.": "В материале ниже есть справка «{name}».",
        "Each of the {count} explainers below has a fact box on {name}.": "Во всех материалах ниже ({count}) есть справка «{name}».",
        "Quote": "Цитата",
        "Facts": "Факты",
        "From every explainer, newest first.": "Из всех материалов, сначала новые.",
        "Explainers": "Материалы",
        "Fact box": "Справка",
        "Read it in the explainer": "Читать в материале",
        "Share image": "Картинка для соцсетей",
        "Also in": "На других языках",
        "Search": "Поиск",
        "Pages found:": "Найдено страниц:",
        "Nothing found.": "Ничего не найдено.",
        "More results": "Ещё результаты",
        "Search is not available.": "Поиск недоступен.",
        "From {site}": "Из «{site}»",
        "Copy embed code": "Скопировать код для вставки",
        "Embed code": "Код для вставки",
        "Copied": "Скопировано",
        "Embeds": "Встраивание",
    },
    "ky": {
        "Skip to content": "Мазмунга өтүү",
        "Atom feed": "Atom тасмасы",
        "Draft": "Долбоор",
        "By": "Автору:",
        "Updated": "Жаңыртылды",
        "In this explainer": "Бул материалда",
        "Timeline": "Хронология",
        "Countries": "Өлкөлөр",
        "Voices": "Пикирлер",
        "Source:": "Булак:",
        "The countries": "Өлкөлөр",
        "Read in the article": "Макаладан окуу",
        "Share": "Бөлүшүү",
        "{name}: all explainers": "{name}: бардык материалдар",
        "{name} on a map of the region": "{name} аймактын картасында",
        "No explainers have been published yet.": "Азырынча бир да материал жарыяланган жок.",
        "Page not found": "Барак табылган жок",
        "The page you asked for is not here. It may have moved, or the link may be mistyped.":
            "Сиз издеген барак бул жерде жок. Ал башка жакка көчүрүлгөн же шилтеме ката терилген болушу мүмкүн.",
        "Go to all explainers": "Бардык материалдар",
        "The explainer below has a fact box on {name}.": "Төмөнкү материалда {name} боюнча маалымкат бар.",
        "Each of the {count} explainers below has a fact box on {name}.": "Төмөнкү {count} материалдын ар биринде {name} боюнча маалымкат бар.",
        "Quote": "Цитата",
        "Facts": "Фактылар",
        "From every explainer, newest first.": "Бардык материалдардан, эң жаңылары биринчи.",
        "Explainers": "Материалдар",
        "Fact box": "Маалымкат",
        "Read it in the explainer": "Материалдан окуу",
        "Share image": "Бөлүшүү үчүн сүрөт",
        "Also in": "Башка тилдерде",
        "Search": "Издөө",
        "Pages found:": "Табылган барактар:",
        "Nothing found.": "Эч нерсе табылган жок.",
        "More results": "Дагы натыйжалар",
        "Search is not available.": "Издөө иштебей жатат.",
    },
    "uz": {
        "Skip to content": "Asosiy matnga o‘tish",
        "Atom feed": "Atom tasmasi",
        "Draft": "Qoralama",
        "By": "Muallif:",
        "Updated": "Yangilangan",
        "In this explainer": "Ushbu maqolada",
        "Timeline": "Xronologiya",
        "Countries": "Mamlakatlar",
        "Voices": "Fikrlar",
        "Source:": "Manba:",
        "The countries": "Mamlakatlar",
        "Read in the article": "Maqolada o‘qish",
        "Share": "Ulashish",
        "{name}: all explainers": "{name}: barcha maqolalar",
        "{name} on a map of the region": "{name} mintaqa xaritasida",
        "No explainers have been published yet.": "Hozircha birorta maqola e’lon qilinmagan.",
        "Page not found": "Sahifa topilmadi",
        "The page you asked for is not here. It may have moved, or the link may be mistyped.":
            "Siz so‘ragan sahifa bu yerda yo‘q. U ko‘chirilgan yoki havola xato yozilgan bo‘lishi mumkin.",
        "Go to all explainers": "Barcha maqolalar",
        "The explainer below has a fact box on {name}.": "Quyidagi maqolada {name} haqida ma’lumotnoma bor.",
        "Each of the {count} explainers below has a fact box on {name}.": "Quyidagi {count} ta maqolaning har birida {name} haqida ma’lumotnoma bor.",
        "Quote": "Iqtibos",
        "Facts": "Faktlar",
        "From every explainer, newest first.": "Barcha maqolalardan, eng yangilari birinchi.",
        "Explainers": "Maqolalar",
        "Fact box": "Ma’lumotnoma",
        "Read it in the explainer": "Maqolada o‘qish",
        "Share image": "Ulashish uchun rasm",
        "Also in": "Boshqa tillarda",
        "Search": "Qidiruv",
        "Pages found:": "Topilgan sahifalar:",
        "Nothing found.": "Hech narsa topilmadi.",
        "More results": "Yana natijalar",
        "Search is not available.": "Qidiruv ishlamayapti.",
    },
    "tg": {
        "Skip to content": "Гузаштан ба матн",
        "Atom feed": "Навори Atom",
        "Draft": "Пешнавис",
        "By": "Муаллиф:",
        "Updated": "Навсозӣ шуд",
        "In this explainer": "Дар ин мавод",
        "Timeline": "Солшумор",
        "Countries": "Кишварҳо",
        "Voices": "Андешаҳо",
        "Source:": "Манбаъ:",
        "The countries": "Кишварҳо",
        "Read in the article": "Дар мақола хонед",
        "Share": "Мубодила",
        "{name}: all explainers": "{name}: ҳамаи маводҳо",
        "{name} on a map of the region": "{name} дар харитаи минтақа",
        "No explainers have been published yet.": "То ҳол ягон мавод нашр нашудааст.",
        "Page not found": "Саҳифа ёфт нашуд",
        "The page you asked for is not here. It may have moved, or the link may be mistyped.":
            "Саҳифаи дархостшуда дар ин ҷо нест. Шояд он кӯчонида шудааст ё пайванд хато навишта шудааст.",
        "Go to all explainers": "Ҳамаи маводҳо",
        "The explainer below has a fact box on {name}.": "Дар маводи зер маълумотнома дар бораи {name} ҳаст.",
        "Each of the {count} explainers below has a fact box on {name}.": "Дар ҳар яке аз {count} маводи зер маълумотнома дар бораи {name} ҳаст.",
        "Quote": "Иқтибос",
        "Facts": "Далелҳо",
        "From every explainer, newest first.": "Аз ҳамаи маводҳо, аввал навтаринҳо.",
        "Explainers": "Маводҳо",
        "Fact box": "Маълумотнома",
        "Read it in the explainer": "Дар мавод хонед",
        "Share image": "Тасвир барои мубодила",
        "Also in": "Бо забонҳои дигар",
        "Search": "Ҷустуҷӯ",
        "Pages found:": "Саҳифаҳои ёфтшуда:",
        "Nothing found.": "Ҳеҷ чиз ёфт нашуд.",
        "More results": "Натиҷаҳои бештар",
        "Search is not available.": "Ҷустуҷӯ дастрас нест.",
    },
    "ar": {
        "Skip to content": "انتقل إلى المحتوى",
        "Atom feed": "موجز Atom",
        "Draft": "مسودة",
        "By": "بقلم",
        "Updated": "حُدِّث",
        "In this explainer": "في هذا الشرح",
        "Timeline": "الخط الزمني",
        "Countries": "الدول",
        "Voices": "أصوات",
        "Source:": "المصدر:",
        "The countries": "الدول",
        "Read in the article": "اقرأ في المقال",
        "Share": "شارك",
        "{name}: all explainers": "{name}: كل الشروحات",
        "{name} on a map of the region": "{name} على خريطة المنطقة",
        "No explainers have been published yet.": "لم يُنشر أي شرح بعد.",
        "Page not found": "الصفحة غير موجودة",
        "The page you asked for is not here. It may have moved, or the link may be mistyped.":
            "الصفحة التي طلبتها غير موجودة هنا. ربما نُقلت أو كُتب الرابط بشكل خاطئ.",
        "Go to all explainers": "كل الشروحات",
        "The explainer below has a fact box on {name}.": "في الشرح أدناه بطاقة عن {name}.",
        "Each of the {count} explainers below has a fact box on {name}.": "في كل شرح من الشروحات أدناه ({count}) بطاقة عن {name}.",
        "Quote": "اقتباس",
        "Facts": "حقائق",
        "From every explainer, newest first.": "من كل الشروحات، الأحدث أولاً.",
        "Explainers": "الشروحات",
        "Fact box": "بطاقة الحقائق",
        "Read it in the explainer": "اقرأه في الشرح",
        "Share image": "صورة المشاركة",
        "Also in": "بلغات أخرى",
        "Search": "بحث",
        "Pages found:": "الصفحات التي عُثر عليها:",
        "Nothing found.": "لم يُعثر على شيء.",
        "More results": "نتائج أخرى",
        "Search is not available.": "البحث غير متاح.",
    },
}


@dataclass(frozen=True)
class UI:
    """The theme's words and the writing direction for one page language."""

    lang: str  # the tag as the author wrote it, for <html lang>
    dir: str  # "ltr" or "rtl"
    words: dict[str, str]

    def text(self, english: str, **values) -> str:
        return self.words.get(english, english).format(**values)


@dataclass(frozen=True)
class Translation:
    """A link from one explainer to a version of it in another language."""

    lang: str
    name: str  # the language's name in that language: "русский"
    title: str
    slug: str
    url: str  # absolute (under base_url), for <link rel="alternate">


def ui_for(language: str) -> UI:
    return UI(language, direction(language), CATALOGUE.get(_base(language), {}))


def direction(language: str) -> str:
    locale = parse_locale(language)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def language_name(language: str) -> str:
    locale = parse_locale(language)
    return locale.get_display_name(locale) if locale is not None else language


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def translation_links(site: Site, articles: list[Article], report: Report) -> dict[str, tuple[Translation, ...]]:
    """Slug -> the links between versions of one explainer (empty for one without translations).

    A translation names its original with `translation_of`; all explainers
    naming the same original, and the original itself, link to each other.
    Only front matter is needed, so pages can be rendered with their links.
    """
    by_slug = {a.slug: a for a in articles}
    groups: dict[str, list[Article]] = {}
    for a in articles:
        root = a.translation_of or a.slug
        if a.translation_of and root not in by_slug:
            report.error(a.path, a.where.get("translation_of", a.where.get("_at")),
                         f"translation_of: no published explainer has the slug {quote(root)}")
            continue
        groups.setdefault(root, []).append(a)
    for root, members in groups.items():
        if root in by_slug and by_slug[root] not in members:
            members.insert(0, by_slug[root])
    links = {}
    for a in articles:
        members = groups.get(a.translation_of or a.slug, [a]) if (a.translation_of or a.slug) in by_slug else [a]
        links[a.slug] = tuple(_link(site, m) for m in members) if len(members) > 1 else ()
    return links


def _link(site: Site, a: Article) -> Translation:
    lang = a.language or site.language
    return Translation(lang, language_name(lang), a.title, a.slug, absolute(site, f"{a.slug}/"))


def report_missing(article: Article, mine: Explainer, theirs: Explainer, report: Report) -> None:
    """Warns about annotations the original has and the translation lacks, matched by date or code."""
    missing = []
    dates = [e.date.iso for e in mine.timeline]
    for event in theirs.timeline:
        if event.date.iso in dates:
            dates.remove(event.date.iso)
        else:
            missing.append(f"timeline entry {event.date.iso} ({quote(event.title)})")
    codes = {c.code for c in mine.countries}
    missing += [f"fact box {c.code}" for c in theirs.countries if c.code not in codes]
    if len(mine.quotes) < len(theirs.quotes):
        missing.append(f"{len(theirs.quotes) - len(mine.quotes)} quote card(s)")
    if missing:
        where = article.where.get("translation_of", article.where.get("_at"))
        report.warning(article.path, where, f"this translation of {quote(theirs.slug)} lacks: " + "; ".join(missing))
