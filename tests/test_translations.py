"""The interface's catalogues: every message of the extracted template translated, in each
of the five languages besides English, with nothing fuzzy, no placeholder or markup dropped,
and the compiled catalogue (what the platform reads) made from the one checked here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from consult.languages import LANGUAGES

FOLDER = Path(__file__).resolve().parent.parent / "consult" / "translations"
TRANSLATED = [code for code in LANGUAGES if code != "en"]

# %(name)s, %(size).1f, %s, %d; '%%' is a literal percent sign.
_PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[-#0 +]?\d*(?:\.\d+)?[sdfir]")
_TAG = re.compile(r"</?([a-z][a-z0-9]*)\b")


def _template() -> Catalog:
    with (FOLDER / "messages.pot").open("rb") as handle:
        return read_po(handle)


def _catalogue(code: str) -> Catalog:
    with (FOLDER / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _key_of(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def _key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    return message.context, _key_of(message.id)


def placeholders(text: str) -> list[str]:
    """The format placeholders of `text`, sorted (a literal '%%' is none)."""
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def tags(text: str) -> list[str]:
    """The HTML elements `text` opens or closes, sorted."""
    return sorted(_TAG.findall(text))


def problems(template: Catalog, catalogue: Catalog) -> list[str]:
    """What is missing or wrong in `catalogue`, one line per message."""
    found: list[str] = []
    expected_forms = catalogue.num_plurals
    for wanted in template:
        if not wanted.id:
            continue
        name = _ids(wanted)[0][:60]
        message = catalogue.get(_ids(wanted)[0], context=wanted.context)
        if message is None:
            found.append(f"missing: {name!r}")
            continue
        if message.fuzzy:
            found.append(f"fuzzy: {name!r}")
        forms = _forms(message)
        if wanted.pluralizable and len(forms) != expected_forms:
            found.append(f"{len(forms)} plural forms, not {expected_forms}: {name!r}")
        if any(not form.strip() for form in forms):
            found.append(f"untranslated: {name!r}")
            continue
        # Every form keeps the placeholders of the plural English (a superset of the singular's).
        source = _ids(wanted)[-1]
        for form in forms:
            if placeholders(form) != placeholders(source):
                found.append(
                    f"placeholders {placeholders(form)} instead of {placeholders(source)}: {name!r}"
                )
            if tags(form) != tags(source):
                found.append(f"markup {tags(form)} instead of {tags(source)}: {name!r}")
    return found


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code: str) -> None:
    assert problems(_template(), _catalogue(code)) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_made_from_the_checked_one(code: str) -> None:
    compiled_path = FOLDER / code / "LC_MESSAGES" / "messages.mo"
    assert compiled_path.exists(), f"run `make messages` to compile {code}"
    with compiled_path.open("rb") as handle:
        compiled = read_mo(handle)
    source = _catalogue(code)
    expected = {_key(m): _key_of(m.string) for m in source if m.id and not m.fuzzy}
    got = {_key(m): _key_of(m.string) for m in compiled if m.id}
    assert got == expected, f"{compiled_path} is older than its .po: run `make messages`"


def test_the_check_finds_what_a_translator_can_get_wrong() -> None:
    template = Catalog()
    template.add("Closes in %(left)s", flags=["python-format"])
    template.add(("%(num)d comment", "%(num)d comments"), flags=["python-format"])
    template.add("Read <strong>this</strong>")
    template.add("Sign out")
    bad = Catalog(locale="fr")
    bad.add("Closes in %(left)s", "Ferme bientôt", flags=["python-format"])
    bad.add(("%(num)d comment", "%(num)d comments"), ("%(num)d observation", ""))
    bad.add("Read <strong>this</strong>", "Lisez ceci", flags=["fuzzy"])
    assert problems(template, bad) == [
        "placeholders [] instead of ['%(left)s']: 'Closes in %(left)s'",
        "2 plural forms, not 3: '%(num)d comment'",
        "untranslated: '%(num)d comment'",
        "fuzzy: 'Read <strong>this</strong>'",
        "markup [] instead of ['strong', 'strong']: 'Read <strong>this</strong>'",
        "missing: 'Sign out'",
    ]
