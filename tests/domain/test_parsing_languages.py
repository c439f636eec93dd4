"""Numbering in the six official UN languages: the same draft gives the same keys."""

from __future__ import annotations

import pytest

from consult.domain.parsing import ParsedClause, ParsedDraft, parse_draft
from consult.domain.parsing.numbering import parse_marker
from consult.domain.parsing.numerals import (
    abjad_value,
    arabic_adjective,
    arabic_adverb,
    ascii_digits,
    chinese_value,
    letter_token,
    roman_numeral,
    word_token,
)

# One small draft per language, clause for clause the same: a part, two
# articles (the second with numbered paragraphs), a chapter with a section, a
# principle and a guideline with items, and an annex.
ENGLISH = """# Principles on borders

## Part I - General provisions

### Article 1 - Scope

These principles apply at international borders.

### Article 2

1. States shall respect human rights.
2. States shall not discriminate.

## Chapter II - Protection

### Section 2 - Screening

#### Principle 1

Everyone has the right to leave any country.

#### Guideline 4 - Screening at arrival

States should:
(1) screen migrants on arrival;
(2) respect their privacy.

## Annex

A list of the bodies concerned.
"""

FRENCH = """# Principes relatifs aux frontières

## Partie I - Dispositions générales

### Article premier - Champ d'application

Les présents principes s'appliquent aux frontières internationales.

### Article 2

1. Les États respectent les droits de l'homme.
2. Les États ne pratiquent aucune discrimination.

## Chapitre II - Protection

### Section 2 - Contrôle

#### Principe 1

Toute personne a le droit de quitter tout pays.

#### Ligne directrice 4 - Contrôle à l'arrivée

Les États devraient :
(1) contrôler les migrants à leur arrivée ;
(2) respecter leur vie privée.

## Annexe

Liste des organes concernés.
"""

SPANISH = """# Principios sobre las fronteras

## Parte I - Disposiciones generales

### Artículo primero - Ámbito de aplicación

Los presentes principios se aplican en las fronteras internacionales.

### Artículo 2

1. Los Estados respetarán los derechos humanos.
2. Los Estados no discriminarán.

## Capítulo II - Protección

### Sección 2 - Control

#### Principio 1

Toda persona tiene derecho a salir de cualquier país.

#### Directriz 4 - Control a la llegada

Los Estados deberían:
(1) controlar a los migrantes a su llegada;
(2) respetar su vida privada.

## Anexo

Lista de los órganos interesados.
"""

RUSSIAN = """# Принципы, касающиеся границ

## Часть I - Общие положения

### Статья 1 - Сфера применения

Настоящие принципы применяются на международных границах.

### Статья 2

1. Государства уважают права человека.
2. Государства не допускают дискриминации.

## Глава II - Защита

### Раздел 2 - Проверка

#### Принцип 1

Каждый человек имеет право покидать любую страну.

#### Руководящее положение 4 - Проверка по прибытии

Государствам следует:
(1) проверять мигрантов по прибытии;
(2) уважать их частную жизнь.

## Приложение

Перечень соответствующих органов.
"""

ARABIC = """# مبادئ بشأن الحدود

## الجزء الأول - أحكام عامة

### المادة ١ - النطاق

تنطبق هذه المبادئ على الحدود الدولية.

### المادة ٢

أولاً - تحترم الدول حقوق الإنسان.

ثانياً - لا تمارس الدول التمييز.

## الفصل الثاني - الحماية

### الفرع ٢ - الفحص

#### المبدأ 1

لكل شخص الحق في مغادرة أي بلد.

#### المبدأ التوجيهي ٤ - الفحص عند الوصول

ينبغي للدول:
(١) أن تفحص المهاجرين عند وصولهم؛
(٢) أن تحترم خصوصيتهم.

## المرفق

قائمة بالهيئات المعنية.
"""

CHINESE = """# 关于边境的原则

## 第一部分 一般规定

### 第一条 范围

本原则适用于国际边境。

### 第二条

一、各国应尊重人权。

二、各国不得歧视。

## 第二章 保护

### 第二节 甄别

#### 原则 1

人人有权离开任何国家。

#### 准则 4 - 抵达时的甄别

各国应：
（一）在移民抵达时进行甄别；
（二）尊重其隐私。

## 附件

有关机构清单。
"""

EXPECTED_KEYS = [
    "part-i",
    "art-1",
    "art-1-p1",
    "art-2",
    "art-2.1",
    "art-2.2",
    "ch-ii",
    "ch-ii.sec-2",
    "principle-1",
    "principle-1-p1",
    "guideline-4",
    "guideline-4-p1",
    "guideline-4.1",
    "guideline-4.2",
    "annex",
    "annex-p1",
]

DRAFTS = {
    "en": ENGLISH,
    "fr": FRENCH,
    "es": SPANISH,
    "ru": RUSSIAN,
    "ar": ARABIC,
    "zh": CHINESE,
}


def parse(text: str, filename: str = "draft.md") -> ParsedDraft:
    return parse_draft(text.encode(), filename)


def by_key(draft: ParsedDraft) -> dict[str, ParsedClause]:
    return {c.key: c for c in draft.clauses}


def numbers(draft: ParsedDraft) -> dict[str, str]:
    return {c.key: c.number for c in draft.clauses if c.number}


@pytest.mark.parametrize("language", list(DRAFTS))
def test_the_same_draft_gives_the_same_keys_in_every_language(language: str) -> None:
    draft = parse(DRAFTS[language])
    assert [c.key for c in draft.clauses] == EXPECTED_KEYS
    english = parse(ENGLISH)
    assert [(c.key, c.kind, c.parent_key) for c in draft.clauses] == [
        (c.key, c.kind, c.parent_key) for c in english.clauses
    ]


def test_english_numbers() -> None:
    assert numbers(parse(ENGLISH)) == {
        "part-i": "Part I",
        "art-1": "Article 1",
        "art-2": "Article 2",
        "art-2.1": "1.",
        "art-2.2": "2.",
        "ch-ii": "Chapter II",
        "ch-ii.sec-2": "Section 2",
        "principle-1": "Principle 1",
        "guideline-4": "Guideline 4",
        "guideline-4.1": "(1)",
        "guideline-4.2": "(2)",
        "annex": "Annex",
    }


def test_french_numbers_and_headings() -> None:
    draft = parse(FRENCH)
    assert numbers(draft) == {
        "part-i": "Partie I",
        "art-1": "Article premier",
        "art-2": "Article 2",
        "art-2.1": "1.",
        "art-2.2": "2.",
        "ch-ii": "Chapitre II",
        "ch-ii.sec-2": "Section 2",
        "principle-1": "Principe 1",
        "guideline-4": "Ligne directrice 4",
        "guideline-4.1": "(1)",
        "guideline-4.2": "(2)",
        "annex": "Annexe",
    }
    clauses = by_key(draft)
    assert clauses["art-1"].heading == "Champ d'application"
    assert clauses["guideline-4"].heading == "Contrôle à l'arrivée"
    assert clauses["guideline-4.1"].text == "contrôler les migrants à leur arrivée ;"


def test_spanish_numbers() -> None:
    draft = parse(SPANISH)
    assert numbers(draft) == {
        "part-i": "Parte I",
        "art-1": "Artículo primero",
        "art-2": "Artículo 2",
        "art-2.1": "1.",
        "art-2.2": "2.",
        "ch-ii": "Capítulo II",
        "ch-ii.sec-2": "Sección 2",
        "principle-1": "Principio 1",
        "guideline-4": "Directriz 4",
        "guideline-4.1": "(1)",
        "guideline-4.2": "(2)",
        "annex": "Anexo",
    }
    assert by_key(draft)["art-1"].heading == "Ámbito de aplicación"


def test_russian_numbers() -> None:
    draft = parse(RUSSIAN)
    assert numbers(draft) == {
        "part-i": "Часть I",
        "art-1": "Статья 1",
        "art-2": "Статья 2",
        "art-2.1": "1.",
        "art-2.2": "2.",
        "ch-ii": "Глава II",
        "ch-ii.sec-2": "Раздел 2",
        "principle-1": "Принцип 1",
        "guideline-4": "Руководящее положение 4",
        "guideline-4.1": "(1)",
        "guideline-4.2": "(2)",
        "annex": "Приложение",
    }
    assert by_key(draft)["guideline-4"].heading == "Проверка по прибытии"


def test_arabic_numbers() -> None:
    draft = parse(ARABIC)
    assert numbers(draft) == {
        "part-i": "الجزء الأول",
        "art-1": "المادة ١",
        "art-2": "المادة ٢",
        "art-2.1": "أولاً",
        "art-2.2": "ثانياً",
        "ch-ii": "الفصل الثاني",
        "ch-ii.sec-2": "الفرع ٢",
        "principle-1": "المبدأ 1",
        "guideline-4": "المبدأ التوجيهي ٤",
        "guideline-4.1": "(١)",
        "guideline-4.2": "(٢)",
        "annex": "المرفق",
    }
    clauses = by_key(draft)
    assert clauses["art-1"].heading == "النطاق"
    assert clauses["art-2.1"].text == "تحترم الدول حقوق الإنسان."
    assert clauses["guideline-4.2"].text == "أن تحترم خصوصيتهم."


def test_chinese_numbers() -> None:
    draft = parse(CHINESE)
    assert numbers(draft) == {
        "part-i": "第一部分",
        "art-1": "第一条",
        "art-2": "第二条",
        "art-2.1": "一、",
        "art-2.2": "二、",
        "ch-ii": "第二章",
        "ch-ii.sec-2": "第二节",
        "principle-1": "原则 1",
        "guideline-4": "准则 4",
        "guideline-4.1": "（一）",
        "guideline-4.2": "（二）",
        "annex": "附件",
    }
    clauses = by_key(draft)
    assert clauses["part-i"].heading == "一般规定"
    assert clauses["art-2.2"].text == "各国不得歧视。"
    assert clauses["guideline-4.1"].text == "在移民抵达时进行甄别；"


@pytest.mark.parametrize(
    ("line", "number", "token", "prefix"),
    [
        ("Article premier", "Article premier", "1", "art"),
        ("Article 1er", "Article 1er", "1", "art"),
        ("Article 1ᵉʳ", "Article 1ᵉʳ", "1", "art"),
        ("Art. 1er", "Art. 1er", "1", "art"),
        ("Chapitre Ier", "Chapitre Ier", "i", "ch"),
        ("Section 1re", "Section 1re", "1", "sec"),
        ("Article 5", "Article 5", "5", "art"),
        ("Principe 1", "Principe 1", "1", "principle"),
        ("Ligne directrice 4", "Ligne directrice 4", "4", "guideline"),
        ("Chapitre II", "Chapitre II", "ii", "ch"),
        ("Partie I", "Partie I", "i", "part"),
        ("Section 2", "Section 2", "2", "sec"),
        ("Annexe", "Annexe", "", "annex"),
        ("Artículo 5", "Artículo 5", "5", "art"),
        ("Artículo primero", "Artículo primero", "1", "art"),
        ("Articulo 5", "Articulo 5", "5", "art"),
        ("Artículo 1.º", "Artículo 1.º", "1", "art"),
        ("Sección 2ª", "Sección 2ª", "2", "sec"),
        ("Principio 1", "Principio 1", "1", "principle"),
        ("Directriz 4", "Directriz 4", "4", "guideline"),
        ("Capítulo IV", "Capítulo IV", "iv", "ch"),
        ("Capítulo segundo", "Capítulo segundo", "ii", "ch"),
        ("Parte I", "Parte I", "i", "part"),
        ("Sección 2", "Sección 2", "2", "sec"),
        ("Anexo", "Anexo", "", "annex"),
        ("Статья 5", "Статья 5", "5", "art"),
        ("СТАТЬЯ 5", "СТАТЬЯ 5", "5", "art"),
        ("Принцип 1", "Принцип 1", "1", "principle"),
        ("Руководящее положение 4", "Руководящее положение 4", "4", "guideline"),
        ("Глава II", "Глава II", "ii", "ch"),
        ("Часть 1", "Часть 1", "1", "part"),
        ("Раздел 2", "Раздел 2", "2", "sec"),
        ("Приложение", "Приложение", "", "annex"),
        ("المادة ٥", "المادة ٥", "5", "art"),
        ("المادة 5", "المادة 5", "5", "art"),
        ("المادة ۱۲", "المادة ۱۲", "12", "art"),
        ("المادة الأولى", "المادة الأولى", "1", "art"),
        ("المبدأ 1", "المبدأ 1", "1", "principle"),
        ("المبدأ التوجيهي 4", "المبدأ التوجيهي 4", "4", "guideline"),
        ("الفصل الثاني", "الفصل الثاني", "ii", "ch"),
        ("الفصل الحادي عشر", "الفصل الحادي عشر", "xi", "ch"),
        ("الفصل 2", "الفصل 2", "2", "ch"),
        ("الباب 1", "الباب 1", "1", "part"),
        ("المرفق", "المرفق", "", "annex"),
        ("المرفق الثاني", "المرفق الثاني", "ii", "annex"),
        ("第一条", "第一条", "1", "art"),
        ("第十二条", "第十二条", "12", "art"),
        ("第12条", "第12条", "12", "art"),
        ("第 12 条", "第 12 条", "12", "art"),
        ("第一百零五条", "第一百零五条", "105", "art"),
        ("第一章", "第一章", "i", "ch"),
        ("第3章", "第3章", "3", "ch"),
        ("第一节", "第一节", "1", "sec"),
        ("第一條", "第一條", "1", "art"),  # Traditional characters
        ("第二節", "第二節", "2", "sec"),
        ("第一編", "第一編", "i", "part"),
        ("第一分编", "第一分编", "i", "subpart"),  # a code's sub-part
        ("第二分編", "第二分編", "ii", "subpart"),
        ("第一部分", "第一部分", "i", "part"),
        ("第一编", "第一编", "i", "part"),
        ("第十二编", "第十二编", "xii", "part"),
        ("第1编", "第1编", "1", "part"),
        ("第 2 编", "第 2 编", "2", "part"),
        ("附件", "附件", "", "annex"),
        ("附件二", "附件二", "ii", "annex"),
        ("原则 3", "原则 3", "3", "principle"),
        ("原则三", "原则三", "3", "principle"),
        ("准则4", "准则4", "4", "guideline"),
    ],
)
def test_labels_in_headings(line: str, number: str, token: str, prefix: str) -> None:
    marker = parse_marker(line, heading=True)
    assert marker is not None
    assert (marker.number, marker.token, marker.prefix) == (number, token, prefix)
    assert marker.labelled and marker.token.isascii()


@pytest.mark.parametrize(
    ("line", "number", "token", "style", "rest"),
    [
        ("أولاً - مقدمة", "أولاً", "1", "word-ordinal", "مقدمة"),
        ("أولا: مقدمة", "أولا", "1", "word-ordinal", "مقدمة"),
        ("أولًا - مقدمة", "أولًا", "1", "word-ordinal", "مقدمة"),
        ("ثانياً - النطاق", "ثانياً", "2", "word-ordinal", "النطاق"),
        ("ثانيا - النطاق", "ثانيا", "2", "word-ordinal", "النطاق"),
        ("ثالثاً - نص", "ثالثاً", "3", "word-ordinal", "نص"),
        ("عاشراً - نص", "عاشراً", "10", "word-ordinal", "نص"),
        ("حادي عشر - نص", "حادي عشر", "11", "word-ordinal", "نص"),
        ("١. تحترم الدول", "١.", "1", "dotted-1", "تحترم الدول"),
        ("(١) تحترم الدول", "(١)", "1", "paren-num", "تحترم الدول"),
        ("١) تحترم الدول", "١)", "1", "num-paren", "تحترم الدول"),
        ("(١٢) نص", "(١٢)", "12", "paren-num", "نص"),
        ("۳. نص", "۳.", "3", "dotted-1", "نص"),
        ("一、导言", "一、", "1", "cjk-dot", "导言"),
        ("十二、其他", "十二、", "12", "cjk-dot", "其他"),
        ("（一）尊重人权；", "（一）", "1", "cjk-paren", "尊重人权；"),
        ("(二)不得歧视。", "(二)", "2", "cjk-paren", "不得歧视。"),
        ("（3）第三项", "（3）", "3", "paren-num", "第三项"),
        ("（1）尊重人权；", "（1）", "1", "paren-num", "尊重人权；"),
        ("1、各国应尊重人权。", "1、", "1", "dotted-1", "各国应尊重人权。"),
        ("12、其他", "12、", "12", "dotted-1", "其他"),
        ("１、全角数字", "１、", "1", "dotted-1", "全角数字"),
        ("第一编　总则", "第一编", "i", "label-part", "总则"),
        ("第三条　本法自公布之日起施行。", "第三条", "3", "label-art", "本法自公布之日起施行。"),
        ("第三条本法自公布之日起施行。", "第三条", "3", "label-art", "本法自公布之日起施行。"),
        ("Article premier. La loi", "Article premier", "1", "label-art", "La loi"),
        ("المادة ٥: نص المادة", "المادة ٥", "5", "label-art", "نص المادة"),
        ("المادة ٥", "المادة ٥", "5", "label-art", ""),
        ("Статья 5. Текст", "Статья 5", "5", "label-art", "Текст"),
    ],
)
def test_numbers_in_body_paragraphs(
    line: str, number: str, token: str, style: str, rest: str
) -> None:
    marker = parse_marker(line)
    assert marker is not None
    assert (marker.number, marker.token, marker.style, marker.rest) == (number, token, style, rest)


@pytest.mark.parametrize(
    "line",
    [
        "تنص المادة ٥ على أن تحترم الدول حقوق الإنسان.",  # the label mid-line
        "المادة ٥ من الاتفاقية تنص على ذلك.",  # a citation starting a sentence
        "المادة الكيميائية خطرة.",  # "the chemical substance": no number
        "المبدأ التوجيهي مهم.",
        "المرفق يتضمن قائمة.",
        "أولاً، تحترم الدول حقوق الإنسان.",  # "first, ...": an adverb in a sentence
        "أول اجتماع للجنة.",  # "the first meeting": an adjective
        "根据第五条的规定，各国应当尊重人权。",  # "条" mid-line
        "第三条规定的权利不受限制。",  # article 3 cited at the start of a sentence
        "第三条第二款适用。",
        "第三条、第四条和第五条适用。",
        "附件所列国家应当报告。",
        "第二章的规定适用。",
        "一些国家已经报告。",  # "一" beginning a word
        "十分重要。",
        "原则上各国应当报告。",  # "in principle"
        "准则4规定的程序。",
        "1、2、3项适用。",  # numbers listed in a sentence, not "1、" numbering one
        "第一编辑室负责审稿。",  # "the first editorial office": "编" begins "编辑"
        "第一编的规定适用。",  # part 1 cited at the start of a sentence
        "第一编第二章适用。",
        "Article premier de la loi est modifié.",  # no separator: a citation
        "article 5 de la convention",  # a lowercase label
        "статья 5: текст",
        "Partie intégrante du texte.",
        "Principes généraux.",
    ],
)
def test_not_numbering_in_body_paragraphs(line: str) -> None:
    assert parse_marker(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "تنص المادة ٥ على أن",
        "根据第五条的规定",
        "第三条规定的权利",
        "附件所列国家",
        "第一编辑室",
        "第一编的规定",
        "1、2、3项",
        "Partie intégrante",
    ],
)
def test_not_numbering_in_headings(line: str) -> None:
    assert parse_marker(line, heading=True) is None


def test_citations_in_paragraphs_stay_text() -> None:
    text = (
        "# T\n\n## Article 1\n\n"
        "Article premier de la loi est modifié.\n\n"
        "تنص المادة ٥ على أن تحترم الدول حقوق الإنسان.\n\n"
        "المادة ٥ من الاتفاقية تنص على ذلك.\n\n"
        "根据第五条的规定，各国应当尊重人权。\n\n"
        "第三条规定的权利不受限制。\n"
    )
    draft = parse(text)
    assert [c.key for c in draft.clauses] == ["art-1"] + [f"art-1-p{n}" for n in range(1, 6)]
    assert all(c.number == "" for c in draft.clauses[1:])


def test_labels_in_body_paragraphs_make_clauses() -> None:
    text = (
        "# T\n\n"
        "Article premier. La présente loi s'applique.\n\n"
        "المادة ٢: تنطبق هذه المبادئ.\n\n"
        "第三条 本法自公布之日起施行。\n\n"
        "Статья 4. Текст статьи.\n"
    )
    draft = parse(text)
    assert [(c.key, c.number) for c in draft.clauses] == [
        ("art-1", "Article premier"),
        ("art-2", "المادة ٢"),
        ("art-3", "第三条"),
        ("art-4", "Статья 4"),
    ]
    assert draft.clauses[1].text == "تنطبق هذه المبادئ."


def test_arabic_label_alone_on_its_line_numbers_the_next_lines() -> None:
    draft = parse("# T\n\nالمادة ٣\nتحترم الدول حقوق الإنسان.\n")
    assert [(c.key, c.number, c.text) for c in draft.clauses] == [
        ("art-3", "المادة ٣", "تحترم الدول حقوق الإنسان.")
    ]


def test_chinese_paragraph_levels_nest() -> None:
    text = (
        "# 报告\n\n## 第一章 导言\n\n"
        "一、背景。\n\n（一）第一项。\n\n1. 细节一。\n2. 细节二。\n\n（二）第二项。\n\n"
        "二、结论。\n"
    )
    draft = parse(text)
    assert [(c.key, c.number, c.parent_key) for c in draft.clauses] == [
        ("ch-i", "第一章", None),
        ("ch-i.1", "一、", "ch-i"),
        ("ch-i.1.1", "（一）", "ch-i.1"),
        ("ch-i.1.1.1", "1.", "ch-i.1.1"),
        ("ch-i.1.1.2", "2.", "ch-i.1.1"),
        ("ch-i.1.2", "（二）", "ch-i.1"),
        ("ch-i.2", "二、", "ch-i"),
    ]


def test_arabic_ordinal_headings_and_indic_digit_paragraphs() -> None:
    text = (
        "# تقرير\n\n## أولاً - مقدمة\n\n١. الفقرة الأولى.\n\n٢. الفقرة الثانية.\n\n"
        "## ثانياً - الخلاصة\n\nنص.\n"
    )
    draft = parse(text)
    assert [(c.key, c.number) for c in draft.clauses] == [
        ("1", "أولاً"),
        ("1.1", "١."),
        ("1.2", "٢."),
        ("2", "ثانياً"),
        ("2-p1", ""),
    ]
    assert draft.clauses[0].heading == "مقدمة"


def test_chinese_law_in_plain_text() -> None:
    text = (
        "某某保护法\n\n第一章　总则\n\n第一条　为了保护边境地区移民的人权，制定本法。\n\n"
        "第二条　本法适用于国际边境。国家应当：\n（一）尊重人权；\n（二）不得歧视。\n\n"
        "第二章　附则\n\n第三条　本法自公布之日起施行。\n"
    )
    draft = parse(text, "law.txt")
    assert draft.title == "某某保护法"
    assert [(c.key, c.number, c.parent_key) for c in draft.clauses] == [
        ("ch-i", "第一章", None),
        ("art-1", "第一条", "ch-i"),
        ("art-2", "第二条", "ch-i"),
        ("art-2.1", "（一）", "art-2"),
        ("art-2.2", "（二）", "art-2"),
        ("ch-ii", "第二章", None),
        ("art-3", "第三条", "ch-ii"),
    ]
    clauses = by_key(draft)
    assert clauses["ch-i"].heading == "总则"
    assert clauses["art-2"].text == "本法适用于国际边境。国家应当："
    assert clauses["art-2.2"].text == "不得歧视。"


def test_digit_and_ideographic_comma_is_keyed_as_a_numbered_paragraph() -> None:
    """A paragraph numbered "1、" takes the key of "1." in the same place, also under "（一）"."""
    english = "# T\n\n## Principle 2\n\n1. First.\n\n2. Second.\n"
    chinese = "# T\n\n## 原则 2\n\n1、第一。\n\n2、第二。\n"
    assert shape(parse(chinese)) == shape(parse(english))
    assert [(c.key, c.number) for c in parse(chinese).clauses] == [
        ("principle-2", "原则 2"),
        ("principle-2.1", "1、"),
        ("principle-2.2", "2、"),
    ]
    nested = (
        "# 报告\n\n## 第一章 导言\n\n一、背景。\n\n（一）第一项。\n\n{0}细节一。\n\n{1}细节二。\n"
    )
    with_dot, with_comma = parse(nested.format("1. ", "2. ")), parse(nested.format("1、", "2、"))
    assert shape(with_comma) == shape(with_dot)
    assert [(c.key, c.number) for c in with_comma.clauses[-2:]] == [
        ("ch-i.1.1.1", "1、"),
        ("ch-i.1.1.2", "2、"),
    ]


def test_numbered_headings_with_the_ideographic_comma() -> None:
    english = parse("# T\n\n## 1. Introduction\n\nText.\n\n## 2. Scope\n\nText.\n")
    chinese = parse("# T\n\n## 1、导言\n\n文字。\n\n## 2、范围\n\n文字。\n")
    assert shape(chinese) == shape(english)
    assert [(c.key, c.number, c.heading) for c in chinese.clauses if c.number] == [
        ("1", "1、", "导言"),
        ("2", "2、", "范围"),
    ]


def test_full_width_parenthesised_digits_are_keyed_as_ascii_ones() -> None:
    english = parse("# T\n\n## Article 5\n\nStates shall:\n(1) respect rights;\n(2) report.\n")
    chinese = parse("# T\n\n## 第五条\n\n各国应：\n（1）尊重权利；\n（2）提交报告。\n")
    assert shape(chinese) == shape(english)
    assert [(c.key, c.number) for c in chinese.clauses if c.number] == [
        ("art-5", "第五条"),
        ("art-5.1", "（1）"),
        ("art-5.2", "（2）"),
    ]


def test_digits_and_ideographic_commas_in_running_text_stay_text() -> None:
    text = (
        "# T\n\n## 第一条\n\n根据本法第\n1、2、3款的规定，各国应当报告。\n\n"
        "1、2、3项适用于本条。\n\n第一编辑室负责审稿。\n\n第一编的规定适用于本章。\n"
    )
    draft = parse(text)
    assert [(c.key, c.number) for c in draft.clauses] == [
        ("art-1", "第一条"),
        ("art-1-p1", ""),
        ("art-1-p2", ""),
        ("art-1-p3", ""),
        ("art-1-p4", ""),
    ]
    assert draft.clauses[1].text == "根据本法第\n1、2、3款的规定，各国应当报告。"


# A Chinese code: parts ("第一编"), chapters, articles and paragraphs numbered "1、",
# keyed as the English "Part I", "Chapter I", "Article 1" and "1.".

ENGLISH_CODE = """# Code on the protection of migrants

## Part I - General provisions

### Chapter I - Purpose

#### Article 1 - Aim

1. States shall respect human rights.
2. States shall not discriminate.

Text after the list.

#### Article 2 - Rights

(1) The right to leave;
(2) The right to return.

### Chapter II - Scope

#### Article 3

This code applies at international borders.

## Part II - Final provisions

### Chapter I - Entry into force

#### Article 4

1. This code enters into force on its publication.
"""

CHINESE_CODE = """# 移民保护法典

## 第一编 总则

### 第一章 目的

#### 第一条 宗旨

1、各国应尊重人权。
2、各国不得歧视。

列表后的文字。

#### 第二条 权利

（1）离开的权利；
（2）返回的权利。

### 第二章 范围

#### 第三条

本法典适用于国际边境。

## 第二编 附则

### 第一章 生效

#### 第四条

1、本法典自公布之日起施行。
"""

CODE_KEYS = [
    ("part-i", "part", None),
    ("part-i.ch-i", "chapter", "part-i"),
    ("art-1", "article", "part-i.ch-i"),
    ("art-1.1", "paragraph", "art-1"),
    ("art-1.2", "paragraph", "art-1"),
    ("art-1-p1", "paragraph", "art-1"),
    ("art-2", "article", "part-i.ch-i"),
    ("art-2.1", "paragraph", "art-2"),
    ("art-2.2", "paragraph", "art-2"),
    ("part-i.ch-ii", "chapter", "part-i"),
    ("art-3", "article", "part-i.ch-ii"),
    ("art-3-p1", "paragraph", "art-3"),
    ("part-ii", "part", None),
    ("part-ii.ch-i", "chapter", "part-ii"),
    ("art-4", "article", "part-ii.ch-i"),
    ("art-4.1", "paragraph", "art-4"),
]


def test_chinese_code_has_the_keys_of_the_english_code() -> None:
    english, chinese = parse(ENGLISH_CODE), parse(CHINESE_CODE)
    assert shape(english) == CODE_KEYS
    assert shape(chinese) == CODE_KEYS
    assert numbers(chinese) == {
        "part-i": "第一编",
        "part-i.ch-i": "第一章",
        "art-1": "第一条",
        "art-1.1": "1、",
        "art-1.2": "2、",
        "art-2": "第二条",
        "art-2.1": "（1）",
        "art-2.2": "（2）",
        "part-i.ch-ii": "第二章",
        "art-3": "第三条",
        "part-ii": "第二编",
        "part-ii.ch-i": "第一章",
        "art-4": "第四条",
        "art-4.1": "1、",
    }
    assert {k: n for k, n in numbers(english).items() if k.startswith("art-")} == {
        "art-1": "Article 1",
        "art-1.1": "1.",
        "art-1.2": "2.",
        "art-2": "Article 2",
        "art-2.1": "(1)",
        "art-2.2": "(2)",
        "art-3": "Article 3",
        "art-4": "Article 4",
        "art-4.1": "1.",
    }
    clauses = by_key(chinese)
    assert clauses["part-i"].heading == "总则"
    assert clauses["part-ii"].heading == "附则"
    assert clauses["art-1.1"].text == "各国应尊重人权。"
    assert clauses["art-1.2"].text == "各国不得歧视。"
    assert clauses["art-1-p1"].text == "列表后的文字。"
    assert clauses["art-2.1"].text == "离开的权利；"
    assert clauses["art-4.1"].text == "本法典自公布之日起施行。"


def test_chinese_code_in_plain_text_has_the_keys_of_the_english_code() -> None:
    english = (
        "Code on the protection of migrants\n\n"
        "Part I - General provisions\n\nChapter I - Purpose\n\nArticle 1 - Aim\n\n"
        "1. States shall respect human rights at every border.\n"
        "2. States shall not discriminate against any person.\n\n"
        "Part II - Final provisions\n\nChapter I - Entry into force\n\n"
        "Article 2 - Entry into force\n\nThis code enters into force on its publication.\n"
    )
    chinese = (
        "移民保护法典\n\n"
        "第一编　总则\n\n第一章　目的\n\n第一条　宗旨\n\n"
        "1、各国应在所有边境尊重人权。\n"
        "2、各国不得歧视任何人。\n\n"
        "第二编　附则\n\n第一章　生效\n\n"
        "第二条　施行日期\n\n本法典自公布之日起施行。\n"
    )
    expected = [
        ("part-i", "part", None),
        ("part-i.ch-i", "chapter", "part-i"),
        ("art-1", "article", "part-i.ch-i"),
        ("art-1.1", "paragraph", "art-1"),
        ("art-1.2", "paragraph", "art-1"),
        ("part-ii", "part", None),
        ("part-ii.ch-i", "chapter", "part-ii"),
        ("art-2", "article", "part-ii.ch-i"),
        ("art-2-p1", "paragraph", "art-2"),
    ]
    assert shape(parse(english, "code.txt")) == expected
    draft = parse(chinese, "code.txt")
    assert draft.title == "移民保护法典"
    assert shape(draft) == expected
    clauses = by_key(draft)
    assert (clauses["part-i"].number, clauses["part-i"].heading) == ("第一编", "总则")
    assert (clauses["art-1.2"].number, clauses["art-1.2"].text) == ("2、", "各国不得歧视任何人。")


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("第一编", "Part I"),
        ("第一部分", "Part I"),
        ("第三编", "Part III"),
        ("第3编", "Part 3"),
    ],
)
def test_chinese_parts_are_keyed_as_english_parts(chinese: str, english: str) -> None:
    keys = [parse(f"# T\n\n## {label} 文字\n\n正文。\n").clauses[0] for label in (chinese, english)]
    assert keys[0].key == keys[1].key
    assert keys[0].kind == keys[1].kind == "part"
    assert keys[0].number == chinese


# Arabic lettered items: "(أ)", "(ب)", ... in abjad order are the English "(a)", "(b)", ...

ABJAD_TEN = ["أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي"]

ENGLISH_ITEMS = (
    "# Guidelines\n\n## Guideline 6: Identification\n\n"
    "1. States should identify:\n\n"
    + "".join(f"   ({letter}) Item {letter};\n\n" for letter in "abcdefghij")
    + "2. Persons identified should be referred.\n\n"
    "   (a) To asylum procedures;\n\n   (b) To health services.\n\n"
    "Text after the list.\n"
)

ARABIC_ITEMS = (
    "# مبادئ توجيهية\n\n## المبدأ التوجيهي 6: تحديد الهوية\n\n"
    "1. ينبغي للدول أن تحدد:\n\n"
    + "".join(f"   ({letter}) البند {n}؛\n\n" for n, letter in enumerate(ABJAD_TEN, 1))
    + "2. ينبغي إحالة الأشخاص الذين تُحدَّد هويتهم.\n\n"
    "   (أ) إلى إجراءات اللجوء؛\n\n   (ب) إلى الخدمات الصحية.\n\n"
    "نص بعد القائمة.\n"
)


def shape(draft: ParsedDraft) -> list[tuple[str, str, str | None]]:
    return [(c.key, c.kind, c.parent_key) for c in draft.clauses]


def test_arabic_lettered_items_have_the_keys_of_the_english_letters() -> None:
    english, arabic = parse(ENGLISH_ITEMS), parse(ARABIC_ITEMS)
    assert shape(arabic) == shape(english)
    items = [c for c in arabic.clauses if c.kind == "item"]
    assert [(c.key, c.number) for c in items] == [
        (f"guideline-6.1.{latin}", f"({letter})")
        for latin, letter in zip("abcdefghij", ABJAD_TEN, strict=True)
    ] + [("guideline-6.2.a", "(أ)"), ("guideline-6.2.b", "(ب)")]
    clauses = by_key(arabic)
    assert clauses["guideline-6.1.e"].text == "البند 5؛"
    assert clauses["guideline-6.2.b"].text == "إلى الخدمات الصحية."
    assert clauses["guideline-6-p1"].text == "نص بعد القائمة."


def test_arabic_items_in_one_paragraph_and_in_plain_text() -> None:
    english = "# T\n\n## Article 2\n\nStates shall:\n(a) respect rights;\n(b) not discriminate.\n"
    arabic = "# ت\n\n## المادة 2\n\nعلى الدول:\n(أ) أن تحترم الحقوق؛\n(ب) ألا تميز.\n"
    expected = [
        ("art-2", "article", None),
        ("art-2-p1", "paragraph", "art-2"),
        ("art-2.a", "item", "art-2"),
        ("art-2.b", "item", "art-2"),
    ]
    assert shape(parse(english)) == expected
    assert shape(parse(arabic)) == expected
    english_plain = (
        "Law\n\nArticle 1 - Scope\n\nStates shall:\na) respect rights;\nb) not discriminate.\n"
    )
    for items in (("أ)", "ب)"), ("أ -", "ب -")):
        arabic_plain = (
            "قانون\n\nالمادة ١ - النطاق\n\nعلى الدول ما يلي:\n"
            f"{items[0]} أن تحترم الحقوق؛\n{items[1]} ألا تميز.\n"
        )
        draft = parse(arabic_plain, "law.txt")
        assert shape(draft) == shape(parse(english_plain, "law.txt"))
        assert [(c.key, c.number) for c in draft.clauses if c.kind == "item"] == [
            ("art-1.a", items[0]),
            ("art-1.b", items[1]),
        ]


@pytest.mark.parametrize(
    ("line", "number", "token", "style", "rest"),
    [
        ("(أ) ملتمسو اللجوء؛", "(أ)", "a", "paren-abjad", "ملتمسو اللجوء؛"),
        ("(ب) نص", "(ب)", "b", "paren-abjad", "نص"),
        ("(ج) نص", "(ج)", "c", "paren-abjad", "نص"),
        ("(د) نص", "(د)", "d", "paren-abjad", "نص"),
        ("(هـ) نص", "(هـ)", "e", "paren-abjad", "نص"),
        ("(ه) نص", "(ه)", "e", "paren-abjad", "نص"),
        ("(و) نص", "(و)", "f", "paren-abjad", "نص"),
        ("(ز) نص", "(ز)", "g", "paren-abjad", "نص"),
        ("(ح) نص", "(ح)", "h", "paren-abjad", "نص"),
        ("(ط) نص", "(ط)", "i", "paren-abjad", "نص"),
        ("(ي) نص", "(ي)", "j", "paren-abjad", "نص"),
        ("(ك) نص", "(ك)", "k", "paren-abjad", "نص"),
        ("(ض) نص", "(ض)", "z", "paren-abjad", "نص"),
        ("(ظ) نص", "(ظ)", "aa", "paren-abjad", "نص"),
        ("(ا) نص", "(ا)", "a", "paren-abjad", "نص"),
        ("(ى) نص", "(ى)", "j", "paren-abjad", "نص"),
        ("(أ)", "(أ)", "a", "paren-abjad", ""),
        ("أ) نص", "أ)", "a", "abjad-paren", "نص"),
        ("هـ) نص", "هـ)", "e", "abjad-paren", "نص"),
        ("أ- نص", "أ-", "a", "abjad-dash", "نص"),
        ("ب - نص", "ب -", "b", "abjad-dash", "نص"),
        ("ج – نص", "ج –", "c", "abjad-dash", "نص"),
    ],
)
def test_arabic_item_letters(line: str, number: str, token: str, style: str, rest: str) -> None:
    marker = parse_marker(line)
    assert marker is not None
    assert (marker.number, marker.token, marker.style, marker.rest) == (number, token, style, rest)
    assert marker.kind == "item" and not marker.ambiguous


@pytest.mark.parametrize(
    "line",
    [
        "د. أحمد محمود",  # "Dr Ahmed": "أ." and "د." are also abbreviations
        "أ. محمد علي",
        "(أ)نص",  # not set apart
        "ب)نص",
        "ج-نص",
        "(بـ) حرف جر",  # a tatweel only after heh
        "(ة) نص",  # not an item letter
        "(أب) نص",
        "وزارة الخارجية",
        "و نص",
        "ب نص",
    ],
)
def test_not_arabic_item_letters(line: str) -> None:
    marker = parse_marker(line)
    assert marker is None or marker.style not in ("paren-abjad", "abjad-paren", "abjad-dash")


# Numeral conversion


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("九十九", 99),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百十", 110),
        ("两百", 200),
        ("一千零五十", 1050),
        ("一千二百六十", 1260),
        ("〇", 0),
        ("零", 0),
        ("二〇二一", 2021),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_value(text) == value


@pytest.mark.parametrize("text", ["", "百", "十十", "十百", "一二十", "一百五", "条", "一a"])
def test_not_chinese_numerals(text: str) -> None:
    assert chinese_value(text) is None


@pytest.mark.parametrize(
    ("text", "ascii"),
    [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("１２", "12"),
        ("4.1.2", "4.1.2"),
        ("٤.١", "4.1"),
        ("12a", "12a"),
    ],
)
def test_ascii_digits(text: str, ascii: str) -> None:
    assert ascii_digits(text) == ascii


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("أولاً", 1),
        ("أولا", 1),
        ("أولًا", 1),
        ("اولا", 1),
        ("ثانياً", 2),
        ("ثانيا", 2),
        ("ثالثاً", 3),
        ("رابعاً", 4),
        ("خامساً", 5),
        ("سادساً", 6),
        ("سابعاً", 7),
        ("ثامناً", 8),
        ("تاسعاً", 9),
        ("عاشراً", 10),
        ("عاشرا", 10),
        ("حادي عشر", 11),
        ("ثاني عشر", 12),
        ("تاسع عشر", 19),
        ("عشرون", 20),
    ],
)
def test_arabic_ordinal_adverbs(words: str, value: int) -> None:
    assert arabic_adverb(words) == value


@pytest.mark.parametrize("words", ["أول", "ثاني", "الأول", "المادة", "نص"])
def test_not_arabic_ordinal_adverbs(words: str) -> None:
    assert arabic_adverb(words) is None


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("الأول", 1),
        ("الأولى", 1),
        ("الثاني", 2),
        ("الثانية", 2),
        ("العاشر", 10),
        ("العاشرة", 10),
        ("الحادي عشر", 11),
        ("الحادية عشرة", 11),
        ("الثاني عشر", 12),
        ("العشرون", 20),
    ],
)
def test_arabic_ordinal_adjectives(words: str, value: int) -> None:
    assert arabic_adjective(words) == value


@pytest.mark.parametrize(
    ("kind", "value", "token"),
    [
        ("chapter", 2, "ii"),
        ("part", 14, "xiv"),
        ("annex", 1, "i"),
        ("article", 2, "2"),
        ("section", 12, "12"),
        ("paragraph", 3, "3"),
    ],
)
def test_word_tokens_follow_the_english_convention(kind: str, value: int, token: str) -> None:
    assert word_token(kind, value) == token


def test_roman_numerals() -> None:
    assert [roman_numeral(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "i",
        "iv",
        "ix",
        "xiv",
        "xl",
        "xc",
        "cd",
        "mcmxciv",
    ]


@pytest.mark.parametrize(
    ("letter", "value", "token"),
    [
        ("أ", 1, "a"),
        ("ا", 1, "a"),
        ("ب", 2, "b"),
        ("هـ", 5, "e"),
        ("ه", 5, "e"),
        ("ط", 9, "i"),
        ("ي", 10, "j"),
        ("ى", 10, "j"),
        ("س", 15, "o"),
        ("ض", 26, "z"),
        ("ظ", 27, "aa"),
        ("غ", 28, "bb"),
    ],
)
def test_abjad_letters(letter: str, value: int, token: str) -> None:
    assert abjad_value(letter) == value
    assert letter_token(value) == token


@pytest.mark.parametrize("letter", ["", "ة", "ء", "a", "أب"])
def test_not_abjad_letters(letter: str) -> None:
    assert abjad_value(letter) is None


def test_french_first_article_is_article_one() -> None:
    """ "Article 1er" is how French laws and CeCILL 1.0 number their first article."""
    french = parse("# Loi\n\n## Article 1er - Définitions\n\nTexte.\n\n## Article 2\n\nSuite.\n")
    english = parse("# Law\n\n## Article 1 - Definitions\n\nText.\n\n## Article 2\n\nMore.\n")
    assert shape(french) == shape(english)
    assert by_key(french)["art-1"].number == "Article 1er"
    # Not an ordinal suffix: a word that goes on.
    assert parse_marker("Article 1erreur", heading=True) is None


def test_a_chinese_sub_part_sits_between_the_part_and_its_chapters() -> None:
    draft = parse(
        "# 民法典\n\n## 第一编 总则\n\n### 第一分编 通则\n\n#### 第一章 一般规定\n\n"
        "##### 第一条 目的\n\n正文。\n\n### 第二分编 合同\n\n#### 第二章 订立\n\n正文二。\n"
    )
    assert [(c.key, c.parent_key) for c in draft.clauses if c.kind != "paragraph"] == [
        ("part-i", None),
        ("subpart-i", "part-i"),
        ("ch-i", "subpart-i"),
        ("art-1", "ch-i"),
        ("subpart-ii", "part-i"),
        ("ch-ii", "subpart-ii"),
    ]


def test_the_full_width_full_stop_numbers_a_paragraph() -> None:
    draft = parse("# 条例\n\n## 第一條 目的\n\n1．第一段。\n\n2．第二段。\n")
    assert [(c.key, c.number, c.text) for c in draft.clauses[1:]] == [
        ("art-1.1", "1．", "第一段。"),
        ("art-1.2", "2．", "第二段。"),
    ]


# The UN's Arabic texts: "ألف -" for the section "A.", "1 -" for the paragraph "1.",
# "’1‘" for the item "(i)".
ENGLISH_UN = (
    "# Report\n\n## A. Introduction\n\n1. The text.\n\n(a) An item;\n\n"
    "(i) A sub-item;\n\n(ii) Another;\n\n2. More text.\n\n## B. Principles\n\n"
    "3. Principles.\n\n## I. Scope\n\n4. Scope.\n"
)
ARABIC_UN = (
    "# تقرير\n\n## ألف - مقدمة\n\n1 - النص.\n\n(أ) بند؛\n\n"
    "’1‘ بند فرعي؛\n\n’٢‘ بند آخر؛\n\n٢ - نص آخر.\n\n## باء - المبادئ\n\n"
    "3 - المبادئ.\n\n## طاء - النطاق\n\n4 - النطاق.\n"
)


def test_un_arabic_numbering_has_the_keys_of_the_english_text() -> None:
    english, arabic = parse(ENGLISH_UN), parse(ARABIC_UN)
    assert [c.key for c in arabic.clauses] == [c.key for c in english.clauses]
    numbers = {c.key: c.number for c in arabic.clauses}
    assert numbers["a"] == "ألف"
    assert numbers["a.1"] == "1 -"
    assert numbers["a.1.a.ii"] == "’٢‘"
    assert numbers["i"] == "طاء"


@pytest.mark.parametrize(
    "text",
    [
        "# ت\n\n## ألف مقدمة\n\nنص.\n",  # no dash: "ألف" is also a thousand
        "# ت\n\nألف - في فقرة وليس في عنوان.\n",  # only in a heading
        "# ت\n\n3 - English after the dash.\n",  # "1 -" only before Arabic text
        "# ت\n\n’1‘ي ملتصق\n",  # not set apart
    ],
)
def test_not_un_arabic_numbering(text: str) -> None:
    assert all(not c.number for c in parse(text).clauses)


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("Введение", "vvedenie"),
        ("Общие положения", "obshchie-polozheniya"),
        ("مقدمة", "mqdmh"),
        ("序言", "xu-yan"),
        ("總則", "zong-ze"),
        ("Préambule", "preambule"),  # accents dropped, as before
        ("Droits de l’homme", "droits-de-lhomme"),  # an apostrophe joins, as before
    ],
)
def test_an_unnumbered_heading_in_any_script_is_keyed_by_its_words(heading: str, key: str) -> None:
    draft = parse(f"# T\n\n## {heading}\n\nText.\n")
    assert [c.key for c in draft.clauses] == [key, f"{key}-p1"]
