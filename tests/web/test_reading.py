"""The reading pages: documents, versions and clauses, for every role."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Clause, User, Version
from consult.services.demo import DemoReport, load_drafts
from tests import factories
from tests.corpus import CORPUS, require_corpus
from tests.web.support import counted_statements, get_page, login

PROJECT = Path(__file__).resolve().parents[2]
READERS = ("stakeholder", "drafter", "secretariat", "admin")
DRAFT_READERS = ("drafter", "secretariat", "admin")
PUBLISHED_PAGES = (
    "/",
    "/documents/sample",
    "/documents/sample/v1",
    "/documents/sample/v1/clauses/guideline-1.2",
    "/documents/sample/v1/clauses/part-i",
)
DRAFT_PAGES = ("/documents/sample/v2", "/documents/sample/v2/clauses/principle-dignity")
REVISED_DRAFT = factories.SAMPLE_DRAFT.replace("label: First draft", "label: Revision").replace(
    "### Principle 2: Remedies", "### Principle 2: Effective remedies"
)
SAMPLE_KEYS = [
    "part-i",
    "principle-dignity",
    "principle-dignity-p1",
    "principle-2",
    "principle-2-p1",
    "part-ii",
    "guideline-1",
    "guideline-1.1",
    "guideline-1.2",
    "guideline-1.2.a",
    "guideline-1.2.b",
    "guideline-1.3",
]


@pytest.fixture
def sample(app: object) -> tuple[Version, Version]:
    """Sample v1, published, and v2, a draft."""
    return factories.version(), factories.version(REVISED_DRAFT, publish=False)


def sign_in(client: FlaskClient, user: User) -> None:
    response = login(client, user.email)
    assert response.status_code == 302, "login failed"


def heading_levels(soup: BeautifulSoup) -> list[int]:
    return [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def assert_headings_in_order(soup: BeautifulSoup) -> None:
    levels = heading_levels(soup)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert not skips, skips


def clause_ids(soup: BeautifulSoup) -> list[str]:
    return [str(el["id"]) for el in soup.select(".reading .clause")]


def toc_tree(entries: Tag) -> list[tuple[str, str, list[Any]]]:
    """The table of contents as (text, href, children) triples."""
    found = []
    for item in entries.find_all("li", recursive=False):
        link = item.find("a", recursive=False)
        fold = item.find("details", recursive=False)  # a long text's folded lines
        below = (fold or item).find("ol", recursive=False)
        text = " ".join(link.get_text(" ", strip=True).split())
        found.append((text, link["href"], toc_tree(below) if below else []))
    return found


# Who may see what


@pytest.mark.parametrize("url", PUBLISHED_PAGES + DRAFT_PAGES)
def test_anonymous_visitors_are_sent_to_login(
    client: FlaskClient, sample: object, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert quote(url, safe="") in response.location or url in response.location


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("url", PUBLISHED_PAGES)
def test_every_role_reads_published_pages(
    client: FlaskClient, users: dict[str, User], sample: object, role: str, url: str
) -> None:
    sign_in(client, users[role])
    soup = get_page(client, url)
    assert_headings_in_order(soup)


@pytest.mark.parametrize("url", DRAFT_PAGES)
def test_a_draft_version_does_not_exist_for_stakeholders(
    client: FlaskClient, users: dict[str, User], sample: object, url: str
) -> None:
    sign_in(client, users["stakeholder"])
    soup = get_page(client, url, 404)
    assert "Revision" not in soup.get_text()


def test_stakeholders_see_no_trace_of_drafts_in_lists(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    factories.version("# Secret plans\n\nNot yet.\n", slug="secret", publish=False)
    sign_in(client, users["stakeholder"])
    for url in ("/", "/documents/sample"):
        soup = get_page(client, url)
        assert soup.find("a", href="/documents/sample/v1") is not None
        assert soup.find("a", href="/documents/sample/v2") is None
        text = soup.get_text(" ")
        assert "Version 2" not in text and "Revision" not in text and "Draft" not in text
        assert "Secret plans" not in text
        assert len(soup.select("table.versions tbody tr")) == 1
    get_page(client, "/documents/secret", 404)
    assert soup.find("a", href="/documents/sample/upload") is None


@pytest.mark.parametrize("role", DRAFT_READERS)
def test_those_who_prepare_drafts_see_them(
    client: FlaskClient, users: dict[str, User], sample: object, role: str
) -> None:
    factories.version("# Secret plans\n\nNot yet.\n", slug="secret", publish=False)
    sign_in(client, users[role])
    index = get_page(client, "/")
    assert index.find("a", href="/documents/sample/v2") is not None
    assert "Secret plans" in index.get_text()
    rows = get_page(client, "/documents/sample").select("table.versions tbody tr")
    assert [row.th.get_text(strip=True) for row in rows] == ["Version 2", "Version 1"]
    assert rows[0].select_one(".status.draft").get_text(strip=True) == "Draft"
    assert "Not published" in rows[0].get_text()
    version = get_page(client, "/documents/sample/v2")
    assert version.select_one(".version-meta .status.draft") is not None
    assert "Revision" in version.select_one(".version-meta").get_text()
    clause = get_page(client, "/documents/sample/v2/clauses/principle-2")
    assert "Effective remedies" in clause.h1.get_text()


def test_only_drafters_get_a_link_to_upload_a_new_version(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    sign_in(client, users["drafter"])
    soup = get_page(client, "/documents/sample")
    assert soup.find("a", href="/documents/sample/upload") is not None
    assert soup.find("a", href="/documents/sample/v2/preview") is not None
    other = client.application.test_client()
    sign_in(other, users["secretariat"])
    assert get_page(other, "/documents/sample").find("a", href="/documents/sample/upload") is None


# The index and document pages


def test_index_says_so_when_there_are_no_documents(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/")
    assert "No documents yet." in soup.get_text()
    assert soup.html["lang"] == "en" and soup.html["dir"] == "ltr"


def test_index_lists_each_document_with_its_versions(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/")
    heading = soup.select_one(".document-summary h3")
    assert heading.get_text(strip=True) == "Sample Principles"
    assert heading.find("a")["href"] == "/documents/sample"
    (row,) = soup.select("table.versions tbody tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
    assert cells[0] == "Version 1" and cells[1] == "First draft" and cells[2] == "Published"
    assert row.find("time") is not None
    assert cells[4] == str(len(SAMPLE_KEYS))
    assert soup.select_one("table.versions caption").get_text(strip=True)


def test_index_shows_the_kind_of_each_demo_document(
    client: FlaskClient, users: dict[str, User]
) -> None:
    load_drafts(PROJECT / "drafts", DemoReport())
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/")
    assert "Principles and guidelines" in soup.get_text()
    links = {a["href"] for a in soup.select("table.versions a")}
    assert "/documents/human-rights-borders/v3" in links
    assert "/documents/gmg-issues-brief/v2" in links


# The version page


def test_version_page_shows_the_clause_tree_with_anchors(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/documents/sample/v1")
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == ["Sample Principles"]
    assert clause_ids(soup) == SAMPLE_KEYS
    meta = soup.select_one(".version-meta").get_text(" ", strip=True)
    assert "Version 1" in meta and "First draft" in meta and "Published" in meta
    assert soup.select_one(".version-meta time") is not None
    # The tree: items inside their paragraph, paragraphs inside their guideline.
    item = soup.find(id="guideline-1.2.a")
    assert [p["id"] for p in item.find_parents(class_="clause")] == [
        "guideline-1.2",
        "guideline-1",
        "part-ii",
    ]
    assert item.select_one(".clause-number").get_text(strip=True) == "(a)"
    dignity = soup.find(id="principle-dignity")
    assert dignity.h3.get_text(" ", strip=True) == "Principle 1 Dignity"
    assert soup.find(id="part-i").h2 is not None


def test_version_page_has_a_table_of_contents(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/documents/sample/v1")
    toc = soup.find("nav", attrs={"aria-label": "Table of contents"})
    assert toc_tree(toc.ol) == [
        (
            "Part I Principles",
            "#part-i",
            [
                ("Principle 1 Dignity", "#principle-dignity", []),
                ("Principle 2 Remedies", "#principle-2", []),
            ],
        ),
        ("Part II Guidelines", "#part-ii", [("Guideline 1 Training", "#guideline-1", [])]),
    ]


def test_a_long_texts_contents_show_their_parts_with_the_rest_folded(
    client: FlaskClient, users: dict[str, User]
) -> None:
    parts = []
    for part in range(1, 13):
        sections = "".join(
            f"### Section {part}.{n}: Topic {n}\n\nText of section {part}.{n}.\n\n"
            for n in range(1, 5)
        )
        parts.append(f"## Part {part}: Chapter {part}\n\n{sections}")
    text = "---\ndocument: long\ntitle: Long Text\n---\n\n# Long Text\n\n" + "".join(parts)
    factories.version(text, slug="long")
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/documents/long/v1")
    toc = soup.select_one("nav.toc")
    folds = toc.select("details.toc-fold")
    assert len(folds) == 12 and not any(d.has_attr("open") for d in folds)
    summary = " ".join(folds[2].summary.get_text(" ", strip=True).split())
    assert summary == "4 headings in Part 3 Chapter 3"
    assert folds[2].summary.select_one(".visually-hidden") is not None
    # Every heading is still in the contents, in order, under its part.
    tree = toc_tree(toc.ol)
    assert [entry[0] for entry in tree][:2] == ["Part 1 Chapter 1", "Part 2 Chapter 2"]
    assert [entry[0] for entry in tree[2][2]] == [f"Section 3.{n}: Topic {n}" for n in range(1, 5)]
    # A short text's contents are not folded.
    factories.version(slug="sample")
    assert get_page(client, "/documents/sample/v1").select("details.toc-fold") == []


def test_every_clause_links_to_its_permanent_page(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/documents/sample/v1")
    for key in SAMPLE_KEYS:
        link = soup.find(id=key).find("a", class_="permalink")
        assert link["href"] == f"/documents/sample/v1/clauses/{key}"
        assert link.get_text(strip=True).startswith("¶")
        page = get_page(client, link["href"])
        assert page.find(id=key) is not None
    name = soup.find(id="guideline-1.2").find("a", class_="permalink")
    assert name.select_one(".visually-hidden").get_text(strip=True) == (
        "Permanent link to Guideline 1, paragraph 2"
    )
    name = soup.find(id="principle-dignity-p1").find("a", class_="permalink")
    assert "Permanent link to Principle 1, paragraph 1" in name.get_text()


def test_clause_text_and_headings_are_escaped(client: FlaskClient, users: dict[str, User]) -> None:
    text = "# T\n\n## Part I: <script>alert(2)</script>\n\nA <script>alert(1)</script> paragraph.\n"
    version = factories.version(text, slug="xss")
    sign_in(client, users["stakeholder"])
    keys = [c.key for c in version.clauses]
    for url in ["/documents/xss/v1"] + [f"/documents/xss/v1/clauses/{k}" for k in keys]:
        soup = get_page(client, url)
        assert soup.find("script") is None
        assert "<script>alert(1)</script>" in soup.get_text()


# The clause page


def test_clause_page_has_breadcrumbs_children_and_neighbours(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    sign_in(client, users["stakeholder"])
    soup = get_page(client, "/documents/sample/v1/clauses/guideline-1.2")
    assert soup.h1.get_text(strip=True) == "Guideline 1, paragraph 2"
    crumbs = soup.find("nav", attrs={"aria-label": "Breadcrumb"}).find_all("a")
    assert [a.get_text(" ", strip=True) for a in crumbs] == [
        "Sample Principles",
        "Version 1",
        "Part II Guidelines",
        "Guideline 1 Training",
        "Guideline 1, paragraph 2",
    ]
    assert crumbs[1]["href"] == "/documents/sample/v1"
    assert crumbs[2]["href"] == "/documents/sample/v1/clauses/part-ii"
    assert crumbs[-1]["aria-current"] == "page"
    assert "Training should cover:" in soup.find(id="guideline-1.2").get_text()
    assert soup.find(id="guideline-1.2.a") is not None and soup.find(id="guideline-1.2.b")
    assert soup.find(id="guideline-1.1") is None
    assert soup.find("a", rel="prev")["href"] == "/documents/sample/v1/clauses/guideline-1.1"
    assert soup.find("a", rel="next")["href"] == "/documents/sample/v1/clauses/guideline-1.2.a"
    back = soup.find("a", href="/documents/sample/v1#guideline-1.2")
    assert back is not None and "full text" in back.get_text()


def test_first_and_last_clauses_have_one_neighbour(
    client: FlaskClient, users: dict[str, User], sample: object
) -> None:
    sign_in(client, users["stakeholder"])
    first = get_page(client, "/documents/sample/v1/clauses/part-i")
    assert first.find("a", rel="prev") is None
    assert first.find("a", rel="next")["href"].endswith("/principle-dignity")
    assert first.h1.get_text(" ", strip=True) == "Part I Principles"
    assert [h.name for h in first.select(".reading h2, .reading h3")] == ["h2", "h2"]
    last = get_page(client, "/documents/sample/v1/clauses/guideline-1.3")
    assert last.find("a", rel="next") is None
    assert last.find("a", rel="prev")["href"].endswith("/guideline-1.2.b")


@pytest.mark.parametrize(
    "url",
    [
        "/documents/nope",
        "/documents/nope/v1",
        "/documents/sample/v3",
        "/documents/sample/v1/clauses/no-such-clause",
        "/documents/nope/v1/clauses/part-i",
        "/documents/sample/v1/clauses/guideline-1.2.z",
    ],
)
def test_unknown_documents_versions_and_clauses_are_404(
    client: FlaskClient, users: dict[str, User], sample: object, url: str
) -> None:
    sign_in(client, users["admin"])
    get_page(client, url, 404)


# Real texts


def test_demo_drafts_read_as_trees(client: FlaskClient, users: dict[str, User]) -> None:
    load_drafts(PROJECT / "drafts", DemoReport())
    sign_in(client, users["stakeholder"])
    versions = db.session.scalars(select(Version)).all()
    assert len(versions) >= 5
    for version in versions:
        url = f"/documents/{version.document.slug}/v{version.number}"
        soup = get_page(client, url)
        assert clause_ids(soup) == [c.key for c in version.clauses], url
        assert_headings_in_order(soup)
        toc_targets = [a["href"][1:] for a in soup.select("nav.toc ol a")]
        headed = [c.key for c in version.clauses if c.heading]
        assert toc_targets == headed, url
        permalinks = soup.select("a.permalink")
        assert len(permalinks) == len(version.clauses)
    borders = get_page(client, "/documents/human-rights-borders/v3")
    assert borders.find(id="principle-primacy").h3 is not None


def test_a_large_law_renders_with_one_query_for_its_clauses_at_most(
    client: FlaskClient, users: dict[str, User]
) -> None:
    require_corpus()
    path = CORPUS / "de-aufenthg-residence-act" / "AufenthG_2022-01-28_stand.md"
    version = factories.version(path.read_text(encoding="utf-8"), slug="aufenthg")
    keys = list(db.session.scalars(select(Clause.key).where(Clause.version_id == version.id)))
    assert len(keys) > 2000
    sign_in(client, users["stakeholder"])
    # The first reading stores the clauses' HTML; every later one reads it in one SELECT.
    with counted_statements(client) as first:
        get_page(client, "/documents/aufenthg/v1")
    assert len([s for s in first if re.search(r"FROM clause\b", s)]) == 1, first
    assert any(s.startswith("INSERT INTO version_rendering") for s in first), first
    # The version page's text is then kept (made once per published version and
    # language): no clause is read again; a clause's page reads them in one SELECT.
    for url, selects in (
        ("/documents/aufenthg/v1", 0),
        ("/documents/aufenthg/v1/clauses/s-2.3", 1),
    ):
        with counted_statements(client) as statements:
            soup = get_page(client, url)
        clause_selects = [s for s in statements if re.search(r"FROM clause\b", s)]
        assert len(clause_selects) == selects, (url, statements)
        assert len(statements) <= 10, statements
        assert_headings_in_order(soup)
    full = get_page(client, "/documents/aufenthg/v1")
    assert len(clause_ids(full)) == len(keys)
    assert full.find(id="s-2.3.1") is not None
    assert "Permanent link to § 2, paragraph 3, number 1" in full.find(id="s-2.3.1").get_text()
