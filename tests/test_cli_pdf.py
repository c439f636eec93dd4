"""`flask export-pdf`: the consolidated PDF written to a file from scripts, read back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from consult.models import User
from tests import factories

SECOND = factories.SAMPLE_DRAFT.replace(
    "Everyone at a border shall be treated with dignity.",
    "Everyone at a border shall be treated with dignity and respect.",
)


def text_of(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pages_of(path: Path) -> list[str]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in info.splitlines() if line.startswith("Page") and "size" in line]


@pytest.fixture
def sample(app: Flask, users: dict[str, User]) -> int:
    first = factories.version()
    factories.version(SECOND)
    round_ = factories.round_(first, title="First expert meeting", visibility="secretariat")
    dignity = next(c for c in first.clauses if c.key == "principle-dignity")
    factories.comment(round_.id, users["stakeholder"], dignity, body="Say respect, please.")
    return round_.id


def test_each_variant_is_written(runner: FlaskCliRunner, sample: int, tmp_path: Path) -> None:
    clean = tmp_path / "clean.pdf"
    result = runner.invoke(args=["export-pdf", "sample", "2", "-o", str(clean)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    assert "dignity and respect" in text_of(clean)

    changes = tmp_path / "changes.pdf"
    result = runner.invoke(
        args=[
            "export-pdf",
            "sample",
            "2",
            "--variant",
            "changes",
            "--against",
            "1",
            "-o",
            str(changes),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "respect" in text_of(changes)

    comments = tmp_path / "comments.pdf"
    result = runner.invoke(
        args=[
            "export-pdf",
            "sample",
            "1",
            "--variant",
            "comments",
            "--round",
            str(sample),
            "--matrix-annex",
            "-o",
            str(comments),
        ]
    )
    assert result.exit_code == 0, result.output
    text = text_of(comments)
    # The command line sees what the secretariat sees, even in a secretariat-only round.
    assert "Say respect, please." in text
    sizes = pages_of(comments)
    assert any("841.89 x 595.276" in s or "842 x 595" in s for s in sizes), sizes  # the annex


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing", "1"], "There is no document 'nothing'"),
        (["sample", "9"], "has no version 9"),
        (["sample", "1", "--variant", "changes"], "no earlier version to compare with"),
        (["sample", "2", "--variant", "comments"], "no round to take comments from"),
        (["sample", "1", "--variant", "comments", "--round", "999"], "has no round 999"),
    ],
)
def test_bad_requests_say_why_and_write_nothing(
    runner: FlaskCliRunner, sample: int, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out.pdf"
    result = runner.invoke(args=["export-pdf", *args, "-o", str(out)])
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_variant_is_refused(runner: FlaskCliRunner, sample: int, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["export-pdf", "sample", "1", "--variant", "poster", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2
    assert "poster" in result.output


def test_the_pdf_is_written_in_a_language_the_version_has(
    runner: FlaskCliRunner, app: Flask, users: dict[str, User], tmp_path: Path
) -> None:
    from consult.services import translations
    from tests.web.test_language_versions import SMALL, SMALL_FR

    version = factories.version(SMALL, slug="small")
    translation, _w = translations.add_translation(version, SMALL_FR.encode(), language="fr")
    translations.publish_translation(translation, users["drafter"])
    french = tmp_path / "fr.pdf"
    result = runner.invoke(args=["export-pdf", "small", "1", "--language", "fr", "-o", str(french)])
    assert result.exit_code == 0, result.output
    text = text_of(french)
    assert "Les États offrent des recours utiles." in text and "Texte seul" in text
    assert "States shall provide" not in text
    missing = tmp_path / "ar.pdf"
    result = runner.invoke(
        args=["export-pdf", "small", "1", "--language", "ar", "-o", str(missing)]
    )
    assert result.exit_code != 0
    assert "Version 1 has no text in Arabic." in result.output
    assert not missing.exists()
