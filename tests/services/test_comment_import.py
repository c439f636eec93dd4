"""Importing comments that arrived by e-mail: reading the files, matching, storing once."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx.document import Document
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Comment, Organisation, Round, Upload, User, Version
from consult.models.base import utcnow
from consult.services import comment_import, responses
from consult.services.comment_import import FileRefused, ImportPreview
from consult.services.comment_input import CommentInput, content_hash, normalise_text
from consult.services.errors import NotFound, Refused, ServiceError
from tests import factories
from tests.corpus import CORPUS, require_corpus
from tests.template_files import (
    ISO_HEADER,
    NEW_HEADER,
    add_content_control,
    add_tracked_change,
    docx_bytes,
    iso_row,
    wrap_cell_in_content_control,
    xlsx_bytes,
)


@pytest.fixture
def germany(app: Flask) -> Organisation:
    return factories.organisation("member_state", name="Germany", code="DE")


@pytest.fixture
def open_round(app: Flask) -> Round:
    """An open round on the sample draft, with a second guideline: "para 1" is then ambiguous."""
    text = (
        factories.SAMPLE_DRAFT + "\n### Guideline 2: Rescue\n\n1. Rescue first.\n2. Then screen.\n"
    )
    return factories.round_(factories.version(text))


def count(model: type[Any]) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def preview_of(
    content: bytes,
    round_: Round,
    organisation: Organisation,
    actor: User,
    emailed_on: date | None = None,
    corrections: dict[int, str] | None = None,
) -> ImportPreview:
    token = comment_import.start_import(
        round_.id, organisation.id, emailed_on or date.today(), "comments.docx", content, actor
    )
    return comment_import.preview_import(token, corrections)


def import_all(
    content: bytes,
    round_: Round,
    organisation: Organisation,
    actor: User,
    emailed_on: date | None = None,
    corrections: dict[int, str] | None = None,
) -> comment_import.ImportResult:
    token = comment_import.start_import(
        round_.id, organisation.id, emailed_on or date.today(), "comments.docx", content, actor
    )
    return comment_import.confirm_import(token, corrections, actor)


def stored() -> list[Comment]:
    db.session.rollback()
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


SAMPLE_ROWS = [
    ISO_HEADER,
    iso_row(
        clause="Guideline 1",
        paragraph="para 2",
        type_="te",
        comment="Say who trains.",
        proposed="States shall train.",
    ),
    iso_row(clause="Principle 1", type_="ed", comment="Tidy the wording."),
    iso_row(clause="General", type_="ge", comment="A good text overall."),
    iso_row(clause="Guideline 1, para 2 (b)", type_="Te", comment="Define force."),
]


# Storing ------------------------------------------------------------------------------------


def test_a_word_template_is_imported_with_receipts_and_audit(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    secretariat = users["secretariat"]
    emailed = date.today() - timedelta(days=2)
    result = import_all(docx_bytes(SAMPLE_ROWS), open_round, germany, secretariat, emailed)

    comments = stored()
    assert [c.tracking_number for c in comments] == ["DE-001", "DE-002", "DE-003", "DE-004"]
    assert [c.clause.key if c.clause else None for c in comments] == [
        "guideline-1.2",
        "principle-dignity",
        None,
        "guideline-1.2.b",
    ]
    assert [c.type for c in comments] == ["substantive", "editorial", "general", "substantive"]
    first = comments[0]
    assert (first.body, first.proposed_text, first.paragraph) == (
        "Say who trains.",
        "States shall train.",
        "para 2",
    )
    for comment in comments:
        assert (comment.channel, comment.emailed_on) == ("email", emailed)
        assert comment.author_id == secretariat.id
        assert comment.organisation_id == germany.id
        assert comment.status == "active" and comment.revision == 1
        key = comment.clause.key if comment.clause else None
        data = CommentInput(comment.type, comment.body, comment.proposed_text)
        assert comment.content_hash == content_hash(open_round.id, key, "DE", data)
    assert [i.receipt.tracking_number for i in result.imported] == [
        c.tracking_number for c in comments
    ]
    assert [i.receipt.content_hash for i in result.imported] == [c.content_hash for c in comments]
    assert result.imported[0].citation == "Guideline 1, paragraph 2"
    assert result.skipped == ()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "comment.import"))
    details = [event.details for event in events]
    assert [d["tracking_number"] for d in details] == ["DE-001", "DE-002", "DE-003", "DE-004"]
    assert all(d["emailed_on"] == emailed.isoformat() for d in details)
    assert count(Upload) == 0


def test_numbers_continue_after_the_organisations_platform_comments(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    diplomat = factories.user("stakeholder", germany)
    factories.comment(open_round.id, diplomat)
    import_all(docx_bytes(SAMPLE_ROWS[:2]), open_round, germany, users["secretariat"])
    assert [c.tracking_number for c in stored()] == ["DE-001", "DE-002"]
    assert [c.channel for c in stored()] == ["platform", "email"]


def test_importing_the_same_file_twice_stores_nothing_twice(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    content = docx_bytes(SAMPLE_ROWS)
    import_all(content, open_round, germany, users["secretariat"])
    preview = preview_of(content, open_round, germany, users["secretariat"])
    assert [row.status for row in preview.rows] == ["duplicate"] * 4
    assert "Already imported as DE-001" in preview.rows[0].notes[-1]
    token = comment_import.start_import(
        open_round.id, germany.id, date.today(), "again.docx", content, users["secretariat"]
    )
    again = comment_import.confirm_import(token, None, users["secretariat"])
    assert again.imported == ()
    assert len(again.skipped) == 4
    assert len(stored()) == 4


def test_the_same_file_as_a_spreadsheet_is_already_imported(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    import_all(docx_bytes(SAMPLE_ROWS), open_round, germany, users["secretariat"])
    again = import_all(
        xlsx_bytes(("Comments", SAMPLE_ROWS)), open_round, germany, users["secretariat"]
    )
    assert again.imported == ()
    assert len(stored()) == 4


def test_another_secretariat_member_importing_again_stores_nothing(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    import_all(docx_bytes(SAMPLE_ROWS), open_round, germany, users["secretariat"])
    colleague = factories.user("secretariat")
    assert import_all(docx_bytes(SAMPLE_ROWS), open_round, germany, colleague).imported == ()


def test_an_edited_imported_comment_is_still_already_imported(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    from consult.services.comments import edit_comment

    import_all(docx_bytes(SAMPLE_ROWS[:2]), open_round, germany, users["secretariat"])
    diplomat = factories.user("stakeholder", germany)
    comment = stored()[0]
    edit_comment(comment.id, CommentInput("substantive", "Changed on the platform."), diplomat, 1)
    assert (
        import_all(docx_bytes(SAMPLE_ROWS[:2]), open_round, germany, users["secretariat"]).imported
        == ()
    )


def test_a_row_repeated_in_the_file_is_imported_once(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    rows = [ISO_HEADER, SAMPLE_ROWS[2], SAMPLE_ROWS[2]]
    preview = preview_of(docx_bytes(rows), open_round, germany, users["secretariat"])
    assert [row.status for row in preview.rows] == ["new", "repeated"]
    assert "same comment as row 1" in preview.rows[1].notes[-1]


def test_the_same_text_on_two_paragraphs_is_two_comments(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    rows = [
        ISO_HEADER,
        iso_row(clause="Guideline 1", paragraph="Table 1", type_="ed", comment="Typo."),
        iso_row(clause="Guideline 1", paragraph="Table 2", type_="ed", comment="Typo."),
    ]
    result = import_all(docx_bytes(rows), open_round, germany, users["secretariat"])
    assert len(result.imported) == 2


def test_confirming_twice_stores_once(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    token = comment_import.start_import(
        open_round.id,
        germany.id,
        date.today(),
        "c.docx",
        docx_bytes(SAMPLE_ROWS),
        users["secretariat"],
    )
    comment_import.confirm_import(token, None, users["secretariat"])
    with pytest.raises(NotFound):
        comment_import.confirm_import(token, None, users["secretariat"])
    assert len(stored()) == 4


def test_discarding_forgets_the_file(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    token = comment_import.start_import(
        open_round.id,
        germany.id,
        date.today(),
        "c.docx",
        docx_bytes(SAMPLE_ROWS),
        users["secretariat"],
    )
    assert count(Upload) == 1
    assert comment_import.discard_import(token, users["secretariat"]) == open_round.id
    assert count(Upload) == 0
    with pytest.raises(NotFound):
        comment_import.preview_import(token)
    assert stored() == []


def test_uploads_left_for_more_than_a_day_are_cleared(
    app: Flask, users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    old = comment_import.start_import(
        open_round.id,
        germany.id,
        date.today(),
        "old.docx",
        docx_bytes(SAMPLE_ROWS),
        users["secretariat"],
    )
    later = utcnow() + timedelta(days=1, minutes=1)
    app.config["CLOCK"] = lambda: later
    comment_import.start_import(
        open_round.id,
        germany.id,
        date.today(),
        "new.docx",
        docx_bytes(SAMPLE_ROWS),
        users["secretariat"],
    )
    assert count(Upload) == 1
    with pytest.raises(NotFound):
        comment_import.preview_import(old)


def test_only_the_secretariat_imports(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    for role in ("stakeholder", "drafter", "admin"):
        with pytest.raises(Refused):
            comment_import.start_import(
                open_round.id,
                germany.id,
                date.today(),
                "c.docx",
                docx_bytes(SAMPLE_ROWS),
                users[role],
            )
    assert count(Upload) == 0


# Rounds, organisations, days ----------------------------------------------------------------


def test_a_round_that_has_not_opened_is_refused(
    users: dict[str, User], germany: Organisation
) -> None:
    upcoming = factories.round_(factories.version(), opens_in=timedelta(days=2))
    with pytest.raises(Refused, match="not opened yet"):
        import_all(docx_bytes(SAMPLE_ROWS), upcoming, germany, users["secretariat"])
    assert (count(Upload), len(stored())) == (0, 0)


def test_a_closed_round_takes_late_e_mails(users: dict[str, User], germany: Organisation) -> None:
    closed = factories.round_(
        factories.version(), opens_in=timedelta(days=-10), closes_in=timedelta(days=-3)
    )
    preview = preview_of(docx_bytes(SAMPLE_ROWS), closed, germany, users["secretariat"])
    assert any("after the round closed" in note for note in preview.notes)
    result = import_all(docx_bytes(SAMPLE_ROWS), closed, germany, users["secretariat"])
    assert len(result.imported) == 4


def test_a_round_whose_answers_are_published_takes_no_more_comments(
    users: dict[str, User], germany: Organisation
) -> None:
    closed = factories.round_(
        factories.version(), opens_in=timedelta(days=-10), closes_in=timedelta(days=-3)
    )
    token = comment_import.start_import(
        closed.id,
        germany.id,
        date.today(),
        "comments.docx",
        docx_bytes(SAMPLE_ROWS),
        users["secretariat"],
    )
    # The answers are published while the preview waits: confirming it is refused.
    responses.publish_responses(closed.id, users["secretariat"])
    with pytest.raises(Refused, match="answers of this round are published"):
        comment_import.confirm_import(token, None, users["secretariat"])
    with pytest.raises(Refused, match="answers of this round are published"):
        import_all(docx_bytes(SAMPLE_ROWS), closed, germany, users["secretariat"])
    assert stored() == []


def test_an_organisation_outside_an_invited_round_is_refused(
    users: dict[str, User], germany: Organisation
) -> None:
    france = factories.organisation("member_state", name="France", code="FR")
    invited = factories.round_(factories.version(), participation="invited", invited=[france])
    assert comment_import.participating_organisations(invited) == [france]
    with pytest.raises(Refused, match="does not take part"):
        import_all(docx_bytes(SAMPLE_ROWS), invited, germany, users["secretariat"])
    assert (
        len(import_all(docx_bytes(SAMPLE_ROWS), invited, france, users["secretariat"]).imported)
        == 4
    )


def test_an_e_mail_from_the_future_is_refused(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    with pytest.raises(ServiceError, match="after today"):
        import_all(
            docx_bytes(SAMPLE_ROWS),
            open_round,
            germany,
            users["secretariat"],
            date.today() + timedelta(days=2),
        )


def test_a_round_or_organisation_that_does_not_exist_is_not_found(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    with pytest.raises(NotFound):
        comment_import.start_import(
            999, germany.id, date.today(), "c", docx_bytes(SAMPLE_ROWS), users["secretariat"]
        )
    with pytest.raises(NotFound):
        comment_import.start_import(
            open_round.id, 999, date.today(), "c", docx_bytes(SAMPLE_ROWS), users["secretariat"]
        )


# Rows with problems, and the secretariat's corrections ---------------------------------------

PROBLEM_ROWS = [
    ISO_HEADER,
    iso_row(clause="Guideline 9", type_="te", comment="No such guideline."),
    iso_row(clause="para 1", type_="te", comment="Which one?"),
    iso_row(clause="Principle 2", type_="te", comment=""),
    iso_row(clause="Principle 2", type_="major", comment="Unknown type."),
    iso_row(clause="Principle 2", type_="", comment="No type."),
    iso_row(clause="Principle 2", paragraph="x" * 250, type_="ed", comment="Long paragraph."),
    iso_row(clause="Guideline 1, para 7", type_="ed", comment="Nearest."),
    iso_row(clause="Principle 2", type_="ed", comment="Fine."),
]


def test_every_problem_of_a_row_is_listed(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    preview = preview_of(docx_bytes(PROBLEM_ROWS), open_round, germany, users["secretariat"])
    rows = preview.rows
    assert [row.status for row in rows] == ["error"] * 6 + ["new", "new"]
    assert "No clause “Guideline 9” in version 1" in rows[0].errors[0]
    assert rows[1].outcome == "ambiguous" and "could be several clauses" in rows[1].errors[0]
    assert "Guideline 1, paragraph 1" in rows[1].errors[0]
    assert rows[2].errors == ("The comment is empty.",)
    assert "“major” is not a type of comment" in rows[3].errors[0]
    assert "type of comment is missing" in rows[4].errors[0]
    assert "250 characters" in rows[5].errors[0]
    assert rows[6].outcome == "nearest" and rows[6].clause is not None
    assert rows[6].clause.key == "guideline-1"
    assert "nearest clause that contains it, Guideline 1" in rows[6].notes[0]
    assert rows[7].clause is not None and rows[7].clause.citation == "Principle 2"
    assert "remedy" in rows[7].clause.excerpt
    assert preview.to_import == 2


def test_only_valid_rows_are_imported_and_the_rest_are_reported(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    result = import_all(docx_bytes(PROBLEM_ROWS), open_round, germany, users["secretariat"])
    assert [c.body for c in stored()] == ["Nearest.", "Fine."]
    assert [row.number for row in result.skipped] == [1, 2, 3, 4, 5, 6]


def test_the_secretariat_chooses_the_clause_of_a_row(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    corrections = {1: "k:guideline-1", 2: "document", 7: "k:principle-2-p1", 8: ""}
    preview = preview_of(
        docx_bytes(PROBLEM_ROWS), open_round, germany, users["secretariat"], corrections=corrections
    )
    rows = preview.rows
    assert (rows[0].outcome, rows[0].status, rows[0].clause and rows[0].clause.key) == (
        "corrected",
        "new",
        "guideline-1",
    )
    assert (rows[1].outcome, rows[1].status, rows[1].clause, rows[1].choice) == (
        "corrected",
        "new",
        None,
        "document",
    )
    assert rows[6].clause is not None and rows[6].clause.key == "principle-2-p1"
    assert rows[7].outcome == "clause"  # an empty choice keeps the clause found
    result = import_all(
        docx_bytes(PROBLEM_ROWS), open_round, germany, users["secretariat"], corrections=corrections
    )
    assert [(c.body, c.clause.key if c.clause else None) for c in stored()] == [
        ("No such guideline.", "guideline-1"),
        ("Which one?", None),
        ("Nearest.", "principle-2-p1"),
        ("Fine.", "principle-2"),
    ]
    assert len(result.imported) == 4


def test_a_clause_choice_not_in_the_version_is_an_error(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    other = factories.version("# Other\n\n## Annex Z\n\nElsewhere.\n", slug="other")
    alien = other.clauses[0].key
    preview = preview_of(
        docx_bytes(PROBLEM_ROWS),
        open_round,
        germany,
        users["secretariat"],
        corrections={8: f"k:{alien}", 7: "junk"},
    )
    assert preview.rows[7].status == "error"
    assert "not part of this version" in preview.rows[7].errors[0]
    assert preview.rows[6].status == "error"


def test_notes_about_the_member_body_and_observations(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    rows = [
        ISO_HEADER,
        iso_row(
            member="FR",
            clause="Principle 2",
            type_="ed",
            comment="Theirs?",
            observations="Accepted.",
        ),
        iso_row(member="Germany", clause="Principle 2", type_="ed", comment="Ours."),
    ]
    preview = preview_of(docx_bytes(rows), open_round, germany, users["secretariat"])
    assert "says “FR”; the comment is imported for Germany" in preview.rows[0].notes[0]
    assert preview.rows[1].notes == ()
    assert any("observations of the secretariat" in note for note in preview.notes)


# Word tables as people fill them in ---------------------------------------------------------


def test_merged_cells_are_read_once_and_merged_clauses_shared(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    rows = [
        ISO_HEADER,
        iso_row(clause="Guideline 1", type_="te", comment="First on the guideline."),
        iso_row(clause="", type_="ed", comment="Second on the same guideline."),
        iso_row(clause="Principle 2", type_="ed", comment="Spans two columns", proposed=""),
    ]

    def merge(document: Document) -> None:
        table = document.tables[0]
        table.cell(1, 2).merge(table.cell(2, 2)).text = "Guideline 1"  # the clause, merged down
        table.cell(3, 5).merge(table.cell(3, 6)).text = "Spans two columns"  # comment over proposed

    preview = preview_of(docx_bytes(rows, build=merge), open_round, germany, users["secretariat"])
    assert [(r.written_clause, r.body, r.proposed) for r in preview.rows] == [
        ("Guideline 1", "First on the guideline.", None),
        ("Guideline 1", "Second on the same guideline.", None),
        ("Principle 2", "Spans two columns", None),
    ]
    assert [r.clause.key if r.clause else None for r in preview.rows] == [
        "guideline-1",
        "guideline-1",
        "principle-2",
    ]


def test_content_controls_and_tracked_changes_are_read(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    rows = [
        ISO_HEADER,
        iso_row(clause="", type_="te", comment="Typed before the control:"),
        iso_row(clause="Principle 2", type_="ed", comment="The word"),
        iso_row(clause="Principle 1", type_="ge", comment="In a cell wrapped in a control."),
    ]

    def fill(document: Document) -> None:
        table = document.tables[0]
        table.cell(1, 2).text = ""
        add_content_control(table.cell(1, 2), "Guideline 1")  # the clause, in a control
        add_content_control(table.cell(1, 5), " written in a control.")
        add_tracked_change(table.cell(2, 5), " inserted", deleted=" removed")
        wrap_cell_in_content_control(table.cell(3, 5))

    preview = preview_of(docx_bytes(rows, build=fill), open_round, germany, users["secretariat"])
    assert [(r.written_clause, r.body) for r in preview.rows] == [
        ("Guideline 1", "Typed before the control: written in a control."),
        ("Principle 2", "The word inserted"),
        ("Principle 1", "In a cell wrapped in a control."),
    ]


def test_several_tables_a_table_over_two_pages_and_a_header_in_another_order(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    def new_order(clause: str, type_: str, comment: str) -> tuple[str, ...]:
        values = {
            "Comment (justification for change)": comment,
            "Type": type_,
            "MB": "DE",
            "Clause/Subclause/Annex/Figure/Table": clause,
        }
        return tuple(values.get(name, "") for name in NEW_HEADER)

    document_facts = [["Date", "2026-03-12"], ["Document", "Sample Principles"]]
    first = [ISO_HEADER, iso_row(clause="Principle 1", type_="ed", comment="Page one.")]
    continued = [iso_row(clause="Principle 2", type_="ed", comment="Page two, same table.")]
    other = [NEW_HEADER, new_order("Guideline 1.3", "te", "Another table, other columns.")]
    content = docx_bytes(document_facts, first, continued, other)
    preview = preview_of(content, open_round, germany, users["secretariat"])
    assert [(r.location, r.clause.key if r.clause else None, r.body) for r in preview.rows] == [
        ("Table 2, row 2", "principle-dignity", "Page one."),
        ("Table 3, row 1", "principle-2", "Page two, same table."),
        ("Table 4, row 2", "guideline-1.3", "Another table, other columns."),
    ]


def test_a_row_continued_over_a_page_is_one_comment(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    rows = [
        ISO_HEADER,
        iso_row(clause="Principle 1", type_="te", comment="A comment that goes on", proposed="New"),
        ("", "", "", "", "", "onto the next page.", "wording.", ""),
        ISO_HEADER,  # the header again, copied at the top of the page
        iso_row(clause="Principle 2", type_="ed", comment="Next."),
    ]
    preview = preview_of(docx_bytes(rows), open_round, germany, users["secretariat"])
    assert [(r.body, r.proposed) for r in preview.rows] == [
        ("A comment that goes on\nonto the next page.", "New\nwording."),
        ("Next.", None),
    ]
    assert "Row 3, with text only, is read as the rest of this one." in preview.rows[0].notes


# Spreadsheets ------------------------------------------------------------------------------


def test_a_spreadsheet_with_columns_in_another_order_and_numbers(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    header = [
        "Comments",
        "Proposed change",
        "Type of comment",
        "Clause No.",
        "MB/NC",
        "Paragraph/Figure/Table",
    ]
    standard = factories.version(
        "# Std\n\n## 1 Scope\n\nS.\n\n## 3 Terms\n\n### 3.1 Border\n\nB.\n\n### 3.10 Tenth\n\nT.\n",
        slug="std",
    )
    round_ = factories.round_(standard)

    def merge(workbook: Workbook) -> None:
        sheet = workbook["Comments"]
        sheet.merge_cells("D3:D4")  # one clause for two comments

    content = xlsx_bytes(
        ("Cover", [["Template for comments"], ["Date", "2026-03-12"]]),
        (
            "Comments",
            [
                ["Comments of Germany"],
                header,
                ["Too narrow.", "", "te", 1, "DE", ""],
                ["Second on the same clause.", "", "ed", None, "DE", ""],
                ["Numbered as 3.1.", "Reword.", "ed", 3.1, "DE", 2],
            ],
        ),
        build=merge,
    )
    preview = preview_of(content, round_, germany, users["secretariat"])
    assert [
        (r.location, r.written_clause, r.clause.key if r.clause else None) for r in preview.rows
    ] == [
        ("Sheet “Comments”, row 3", "1", "1"),
        ("Sheet “Comments”, row 4", "1", "1"),
        ("Sheet “Comments”, row 5", "3.1", "3.1"),
    ]
    assert preview.rows[2].paragraph == "2"
    assert any("held the clause as the number 3.1" in note for note in preview.rows[2].notes)
    assert not any("number" in note for note in preview.rows[0].notes)


# Files that cannot be imported ------------------------------------------------------------


MEGABYTE = bytes(1024 * 1024)  # under the size at which a member's ratio counts


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"MB/NC;Clause;Type;Comments\nDE;3.1;te;Plain text\n", "is not a Word document (.docx)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "older Word or Excel file (.doc or .xls)",
        ),
        (b"PK\x03\x04 broken", "The file is damaged"),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            "OpenDocument",
        ),
        (_zip({"word/document.xml": b"0" * (2 * 1024 * 1024)}), "zip bomb"),
        (_zip({f"xl/{n}.xml": b"x" for n in range(2500)}), "zip bomb"),
        (_zip({f"word/part{n}.xml": MEGABYTE for n in range(60)}), "zip bomb"),
        (_zip({"word/document.xml": b"<not really xml"}), "could not be read"),
        (_zip({"xl/workbook.xml": b"<nope"}), "could not be read"),
        (
            docx_bytes([["Date", "Document"], ["today", "draft"]]),
            "No table in this file has the commenting template's header",
        ),
        (xlsx_bytes(("Sheet", [["Date", "Document"]])), "No table in this file has"),
        (docx_bytes([ISO_HEADER]), "has its header but no comments"),
    ],
    ids=[
        "empty",
        "renamed-text",
        "doc",
        "damaged",
        "opendocument",
        "zip-bomb-ratio",
        "zip-bomb-members",
        "zip-bomb-total",
        "broken-docx",
        "broken-xlsx",
        "no-header-docx",
        "no-header-xlsx",
        "no-rows",
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_and_nothing_is_stored(
    users: dict[str, User], germany: Organisation, open_round: Round, content: bytes, message: str
) -> None:
    with pytest.raises(
        FileRefused, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        comment_import.start_import(
            open_round.id, germany.id, date.today(), "comments.docx", content, users["secretariat"]
        )
    assert (count(Upload), len(stored())) == (0, 0)


def test_a_file_over_the_size_limit_is_refused(
    app: Flask, users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    content = docx_bytes(SAMPLE_ROWS)
    app.config["COMMENT_IMPORT_MAX_BYTES"] = len(content) - 1
    with pytest.raises(FileRefused, match="a commenting template may be at most"):
        comment_import.start_import(
            open_round.id, germany.id, date.today(), "big.docx", content, users["secretariat"]
        )
    assert count(Upload) == 0
    assert app.config["COMMENT_IMPORT_MAX_BYTES"] < 10 * 1024 * 1024


def test_the_default_size_limit_is_ten_megabytes(app: Flask) -> None:
    assert comment_import.max_bytes() == 10 * 1024 * 1024


# The 55 real comments on ISO 80000-2 --------------------------------------------------------

ISO_CLAUSES = [
    "Scope",
    "Normative references",
    "Terms and definitions",
    "Variables, functions and operators",
    "Mathematical logic",
    "Sets",
    "Standard number sets and intervals",
    "Miscellaneous signs and symbols",
    "Elementary geometry",
    "Operations",
    "Combinatorics",
    "Functions",
    "Exponential and logarithmic functions",
    "Circular and hyperbolic functions",
    "Complex numbers",
    "Matrices",
    "Coordinate systems",
    "Scalars, vectors and tensors",
    "Transforms",
    "Special functions",
]

# Where each clause cell of the comment sheet must land (a number: that clause). ISO items are
# numbered part-clause.item ("2-13.1"): the draft has no items, so they land on their clause.
ISO_EXPECTED = {
    "Bibliography": "bibliography",
    "Whole document": None,
    "Clause 4": "4",
    "Clause 4 and document": "4",
    "Clause 18": "18",
    "Item 2-13.1": "13",
    "Item 2-17.3": "17",
    "Item 2-20.7": "20",
    "Item 2-6.4": "6",
    "Item 2-20.21": "20",
    "Items2-8.42-10.172-10.182-10.12-10.202-12.17": "8",
    "Items2-20.262-20.27": "20",
    "Items2-12.262-12.272-20.52-20.6": "12",
    "Items 20-20.720-20.9": "20",
}
ISO_TYPES = {"ge": "general", "te": "substantive", "ed": "editorial"}


def iso_draft() -> Version:
    """Return a published draft shaped as ISO 80000-2: foreword, clauses 1 to 20, bibliography."""
    lines = [
        "# Quantities and units: mathematics (test draft)\n",
        "## Foreword\n",
        "Written for the tests.\n",
    ]
    for number, title in enumerate(ISO_CLAUSES, start=1):
        lines += [
            f"## {number} {title}\n",
            f"The text of clause {number}.\n",
            "Its second paragraph.\n",
        ]
    lines += ["## Bibliography\n", "The references.\n"]
    return factories.version("\n".join(lines), slug="iso-80000-2")


def iso_comments() -> list[dict[str, Any]]:
    require_corpus()
    path: Path = CORPUS / "comment-matrix-iso-80000-2" / "iso-80000-2-comments.yaml"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    comments: list[dict[str, Any]] = yaml.safe_load(path.read_text())["comments"]
    assert len(comments) == 55
    return comments


def iso_rows(comments: Sequence[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [ISO_HEADER] + [
        iso_row(
            member=c["body"],
            line=c["locality"]["line_number"] or "",
            clause=c["locality"]["clause"] or "",
            paragraph=c["locality"]["element"] or "",
            type_=c["type"],
            comment=c["comments"],
            proposed=c["proposed_change"] or "",
            observations=c["observations"] or "",
        )
        for c in comments
    ]


def _by_member(comments: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for comment in comments:
        groups.setdefault(comment["body"], []).append(comment)
    return groups


# A fixed day: `date.today()` read twice may straddle midnight.
EMAILED_ON = date(2026, 3, 9)


def _check_iso_import(fmt: str, users: dict[str, User]) -> None:
    comments = iso_comments()
    round_ = factories.round_(iso_draft())
    bodies = {
        "DE": ("Germany", "member_state"),
        "CC": ("Calconnect", "other"),
        "PL": ("Poland", "member_state"),
    }
    expected_total = 0
    for member, group in _by_member(comments).items():
        name, kind = bodies[member]
        code = member if kind == "member_state" else None
        organisation = factories.organisation(kind, name=name, code=code)
        rows = iso_rows(group)
        content = docx_bytes(rows) if fmt == "docx" else xlsx_bytes(("Comments", rows))
        result = import_all(content, round_, organisation, users["secretariat"], EMAILED_ON)
        assert result.skipped == (), [(r.location, r.errors) for r in result.skipped]
        expected_total += len(group)
        db.session.rollback()
        saved = list(
            db.session.scalars(
                select(Comment)
                .where(Comment.organisation_id == organisation.id)
                .order_by(Comment.sequence)
            )
        )
        assert len(saved) == len(group)
        for comment, original in zip(saved, group, strict=True):
            cell = original["locality"]["clause"]
            wanted = ISO_EXPECTED.get(cell, cell)
            assert (comment.clause.key if comment.clause else None) == wanted, (
                original["id"],
                cell,
            )
            assert comment.type == ISO_TYPES[original["type"].lower()], original["id"]
            assert comment.body == normalise_text(original["comments"]), original["id"]
            assert comment.proposed_text == (normalise_text(original["proposed_change"]) or None)
            assert comment.paragraph == " ".join((original["locality"]["element"] or "").split())
            assert comment.emailed_on == EMAILED_ON and comment.channel == "email"
    assert count(Comment) == expected_total == 55


def test_the_55_iso_comments_from_a_word_template(users: dict[str, User]) -> None:
    _check_iso_import("docx", users)


def test_the_55_iso_comments_from_a_spreadsheet(users: dict[str, User]) -> None:
    _check_iso_import("xlsx", users)


def test_the_iso_preview_says_where_each_item_went(users: dict[str, User]) -> None:
    comments = iso_comments()
    round_ = factories.round_(iso_draft())
    germany = factories.organisation("member_state", name="Germany", code="DE")
    preview = preview_of(docx_bytes(iso_rows(comments)), round_, germany, users["secretariat"])
    assert preview.to_import == 55
    outcomes = {row.written_clause: row.outcome for row in preview.rows}
    assert outcomes["Item 2-13.1"] == "nearest"
    assert outcomes["Whole document"] == "document"
    assert outcomes["Clause 18"] == "clause"
    # Rows of other member bodies in the same file say whose they seem to be.
    assert any("says “CC”" in note for row in preview.rows for note in row.notes)
    assert any("observations of the secretariat" in note for note in preview.notes)


def test_a_clause_typed_as_people_write_it_is_a_choice(
    users: dict[str, User], germany: Organisation, open_round: Round
) -> None:
    corrections = {
        1: "Guideline 1, paragraph 3",  # a citation, as the suggestions offer it
        2: "guideline 2 para 1",  # a reference as people write it
        3: "The document as a whole",
        4: "guideline-1.2.a",  # a key
        5: "Guideline 1, para 2",
        6: "Principle 99",  # no such clause
    }
    preview = preview_of(
        docx_bytes(PROBLEM_ROWS), open_round, germany, users["secretariat"], corrections=corrections
    )
    rows = preview.rows
    assert [row.clause.key if row.clause else row.choice for row in rows[:5]] == [
        "guideline-1.3",
        "guideline-2.1",
        "document",
        "guideline-1.2.a",
        "guideline-1.2",
    ]
    assert "“Principle 99” is not a clause of this version" in rows[5].errors[0]
    assert rows[0].clause is not None and rows[0].clause.typed == "Guideline 1, paragraph 3"


def test_long_texts_get_text_fields_instead_of_selects(
    monkeypatch: pytest.MonkeyPatch,
    users: dict[str, User],
    germany: Organisation,
    open_round: Round,
) -> None:
    from consult.services.comment_import import preview as preview_module

    small = preview_of(docx_bytes(SAMPLE_ROWS), open_round, germany, users["secretariat"])
    assert not small.typed
    monkeypatch.setattr(preview_module, "MAX_OPTIONS", 10)
    assert small.typed


def test_the_zip_checks_count_what_the_archive_declares(app: Flask) -> None:
    from consult.services.comment_import.files import MAX_UNCOMPRESSED, file_kind

    within = _zip({f"word/part{n}.xml": MEGABYTE for n in range(40)})
    with pytest.raises(FileRefused, match="is not a Word document"):
        file_kind(within)  # 40 MB declared: not a bomb, but not a document either
    assert 40 * len(MEGABYTE) < MAX_UNCOMPRESSED < 60 * len(MEGABYTE)
    document = docx_bytes(SAMPLE_ROWS)
    assert file_kind(document) == "docx"
    assert file_kind(xlsx_bytes(("Sheet", SAMPLE_ROWS))) == "xlsx"
