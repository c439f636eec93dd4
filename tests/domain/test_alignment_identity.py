"""A clause's identity follows its text (issue 11, rules 1 and 2), on excerpts of the Residence Act.

The excerpts are cut from the corpus (AufenthG 2012-08-06 and 2022-01-28):
the first words of each paragraph, enough for their similarity to be what it
is in the whole law. Keys are derived from the numbers, as on a first import.
"""

from __future__ import annotations

from consult.domain.alignment import Alignment, ClauseText, align, carry_keys

BAMF_2012_1 = (
    "Das Bundesamt für Migration und Flüchtlinge erteilt der zuständigen Behörde eines anderen "
    "Mitgliedstaates der Europäischen Union auf Ersuchen die erforderlichen Auskünfte, um den "
    "zuständigen Behörden des anderen Mitgliedstaates der Europäischen Union eine Prüfung zu "
    "ermöglichen, ob die Voraussetzungen für die Erteilung einer Aufenthaltserlaubnis nach Artikel"
)
EMBASSIES_2012_2 = (
    "Die Auslandsvertretungen und die Ausländerbehörden können über das Bundesamt für Migration "
    "und Flüchtlinge Ersuchen um Auskunft an zuständige Stellen anderer Mitgliedstaaten der "
    "Europäischen Union richten, soweit dies erforderlich ist, um die Voraussetzungen der "
    "Erteilung einer Aufenthaltserlaubnis nach § 16 Abs. 6 oder eines entsprechenden Visums"
)
APPLICATIONS_2022_1 = (
    "Das Bundesamt für Migration und Flüchtlinge nimmt Anträge nach § 18f entgegen und leitet "
    "diese Anträge an die zuständige Ausländerbehörde weiter. Es teilt dem Antragsteller die "
    "zuständige Ausländerbehörde mit."
)
BAMF_2022_2 = (
    "Das Bundesamt für Migration und Flüchtlinge erteilt der zuständigen Behörde eines anderen "
    "Mitgliedstaates der Europäischen Union auf Ersuchen die erforderlichen Auskünfte, um den "
    "zuständigen Behörden des anderen Mitgliedstaates der Europäischen Union eine Prüfung zu "
    "ermöglichen, ob die Voraussetzungen für die Mobilität des Ausländers nach den"
)
EMBASSIES_2022_3 = (
    "Die Auslandsvertretungen und die Ausländerbehörden können über das Bundesamt für Migration "
    "und Flüchtlinge Ersuchen um Auskunft an zuständige Stellen anderer Mitgliedstaaten der "
    "Europäischen Union richten, soweit dies erforderlich ist, um die Voraussetzungen der "
    "Mobilität nach den §§ 16c und 18e und der Erteilung einer Aufenthaltserlaubnis"
)


def clause(key: str, number: str, text: str = "", heading: str = "") -> ClauseText:
    parent = key.rsplit(".", 1)[0] if "." in key else None
    return ClauseText(key, number, heading, text, parent, 0, "heading" if heading else "paragraph")


def numbered(*clauses: ClauseText) -> list[ClauseText]:
    return [
        ClauseText(c.key, c.number, c.heading, c.text, c.parent_key, n, c.kind)
        for n, c in enumerate(clauses)
    ]


def partner(result: Alignment, old_key: str) -> tuple[str, list[str]]:
    pair = next(p for p in result.pairs if any(c.key == old_key for c in p.old))
    return pair.status, [c.key for c in pair.new]


def test_a_shared_paragraph_number_loses_to_the_paragraph_that_continues_the_text() -> None:
    """§ 91d gained a new (1): old (1) is new (2), old (2) is new (3), not the new (2)."""
    old = numbered(
        clause("s-91d", "§ 91d", heading="Innergemeinschaftliche Auskünfte"),
        clause("s-91d.1", "(1)", BAMF_2012_1),
        clause("s-91d.2", "(2)", EMBASSIES_2012_2),
    )
    new = numbered(
        clause("s-91d", "§ 91d", heading="Auskünfte zur Durchführung der Richtlinie"),
        clause("s-91d.1", "(1)", APPLICATIONS_2022_1),
        clause("s-91d.2", "(2)", BAMF_2022_2),
        clause("s-91d.3", "(3)", EMBASSIES_2022_3),
    )
    result = align(old, new)
    assert partner(result, "s-91d.1")[1] == ["s-91d.2"]
    assert partner(result, "s-91d.2")[1] == ["s-91d.3"]
    added = [p.new[0].key for p in result.pairs if p.status == "added"]
    assert added == ["s-91d.1"]
    mapping = carry_keys(old, new, result)
    assert mapping["s-91d.3"] == "s-91d.2"
    assert mapping["s-91d.2"] == "s-91d.1"
    assert mapping["s-91d.1"] not in {c.key for c in old}  # the new (1) gets a fresh key


def test_a_section_number_reused_for_another_provision_does_not_carry_its_key() -> None:
    """Old § 18c (job search) became § 20; the new § 18c is the settlement permit."""
    old = numbered(
        clause("s-18c", "§ 18c", heading="Aufenthaltstitel zur Arbeitsplatzsuche für Fachkräfte"),
        clause(
            "s-18c.1",
            "(1)",
            "Einem Ausländer, der über einen deutschen Hochschulabschluss verfügt und dessen "
            "Lebensunterhalt gesichert ist, kann eine Aufenthaltserlaubnis für bis zu sechs "
            "Monate zur Suche nach einem der Qualifikation angemessenen Arbeitsplatz erteilt "
            "werden.",
        ),
    )
    new = numbered(
        clause("s-18c", "§ 18c", heading="Niederlassungserlaubnis für Fachkräfte"),
        clause(
            "s-18c.1",
            "(1)",
            "Einer Fachkraft ist ohne Zustimmung der Bundesagentur für Arbeit eine "
            "Niederlassungserlaubnis zu erteilen, wenn",
        ),
        clause("s-20", "§ 20", heading="Arbeitsplatzsuche für Fachkräfte"),
        clause(
            "s-20.1",
            "(1)",
            "Einer Fachkraft mit akademischer Ausbildung kann eine Aufenthaltserlaubnis für "
            "bis zu sechs Monate zur Suche nach einem Arbeitsplatz, zu dessen Ausübung ihre "
            "Qualifikation befähigt, erteilt werden.",
        ),
    )
    result = align(old, new)
    assert partner(result, "s-18c.1")[1] == ["s-20.1"]
    assert partner(result, "s-18c")[1] == ["s-20"]
    mapping = carry_keys(old, new, result)
    assert mapping["s-20"] == "s-18c"
    assert mapping["s-20.1"] == "s-18c.1"
    assert mapping["s-18c"] not in {c.key for c in old}


def test_a_provision_rewritten_in_place_keeps_its_identity() -> None:
    """No better counterpart elsewhere: the shared number helps a low similarity through."""
    old = numbered(
        clause("s-18c", "§ 18c", heading="Arbeitsplatzsuche"),
        clause(
            "s-18c.2",
            "(2)",
            "Eine Verlängerung des Aufenthaltstitels über den in Absatz 1 genannten "
            "Höchstzeitraum hinaus ist ausgeschlossen.",
        ),
    )
    new = numbered(
        clause("s-18c", "§ 18c", heading="Arbeitsplatzsuche"),
        clause(
            "s-18c.2",
            "(2)",
            "Die Verlängerung der Aufenthaltserlaubnis über die in den Absätzen 1 bis 3 "
            "genannten Höchstzeiträume hinaus ist für Studierende nicht möglich.",
        ),
    )
    result = align(old, new)
    assert partner(result, "s-18c.2") == ("changed", ["s-18c.2"])
    assert carry_keys(old, new, result) == {}


def test_a_repealed_section_is_not_paired_with_a_repealed_section_elsewhere() -> None:
    """ "(weggefallen)" says nothing about which section it was: only its place does."""
    old = numbered(
        clause("s-3", "§ 3", "Ausländer müssen einen anerkannten und gültigen Pass besitzen."),
        clause("s-4", "§ 4", "(weggefallen)"),
        clause("s-5", "§ 5", "Die Erteilung eines Aufenthaltstitels setzt in der Regel voraus."),
    )
    new = numbered(
        clause("s-3", "§ 3", "Ausländer müssen einen anerkannten und gültigen Pass besitzen."),
        clause("s-4", "§ 4", "Ausländer bedürfen für die Einreise eines Aufenthaltstitels."),
        clause("s-5", "§ 5", "Die Erteilung eines Aufenthaltstitels setzt in der Regel voraus."),
        clause("s-9", "§ 9", "(weggefallen)"),
    )
    result = align(old, new)
    # Its place was given to a new provision (the number reused): a new wording of
    # § 4, not the repealed § 9.
    assert partner(result, "s-4") == ("changed", ["s-4"])
    added = [p.new[0].key for p in result.pairs if p.status == "added"]
    assert added == ["s-9"]
    # Elsewhere, the same words are not the same clause.
    moved_on = numbered(old[0], old[2], clause("s-9", "§ 9", "(weggefallen)"))
    assert partner(align(old, moved_on), "s-4") == ("removed", [])
    # In its own place, the same words are the same clause.
    same_place = numbered(old[0], clause("s-4", "§ 4", "(weggefallen)"), old[2])
    assert partner(align(old, same_place), "s-4") == ("unchanged", ["s-4"])


def test_a_short_item_is_matched_beside_its_matched_parent_only() -> None:
    """A two-word item is found under its parent's continuation, not under a stranger."""
    parent_text = (
        "Einem Ausländer wird eine Aufenthaltserlaubnis zum Zweck der Forschung erteilt, wenn"
    )
    old = numbered(
        clause("s-1", "§ 1", "Ein Ausländer, der eine Tätigkeit ausübt, benötigt einen Titel."),
        clause("s-1.1", "1.", "oder eine Beschäftigung"),
        clause("s-20", "§ 20", parent_text),
        clause("s-20.1", "1.", "1) und"),
    )
    new = numbered(
        clause("s-1", "§ 1", "Ein Ausländer, der eine Tätigkeit ausübt, benötigt einen Titel."),
        clause("s-1.1", "1.", "1) und"),
        clause("s-18d", "§ 18d", parent_text),
        clause("s-18d.1", "1.", "1) und"),
    )
    result = align(old, new)
    assert partner(result, "s-20.1")[1] == ["s-18d.1"]
    # The old item 1 of § 1 is continued by the item that took its place, reworded.
    assert partner(result, "s-1.1") == ("changed", ["s-1.1"])


def test_a_rewritten_definition_of_the_same_term_stays_the_same_clause() -> None:
    """hrpc-research 06 -> 08: "Confidentiality" defined anew, in other words (RFC 4949's)."""
    old = [
        ClauseText("terms", "", "Vocabulary used", "", None, 0, "section"),
        ClauseText(
            "terms.confidentiality",
            "",
            "",
            "Confidentiality\n: The non-disclosure of information to any unintended person "
            "or host or party.",
            "terms",
            1,
            "definition",
        ),
    ]
    new = [
        old[0],
        ClauseText(
            "terms.confidentiality",
            "",
            "",
            "Confidentiality\n: The property that data is not disclosed to system entities "
            "unless they have been authorized to know the data.",
            "terms",
            1,
            "definition",
        ),
    ]
    result = align(old, new)
    assert partner(result, "terms.confidentiality") == ("changed", ["terms.confidentiality"])


def test_a_sentence_of_a_few_words_is_not_matched_to_a_half_alike_stranger_elsewhere() -> None:
    """§ 20 (7) (research: exclusions) shares half its words with the new § 81a (5)."""
    old = numbered(
        clause("s-20", "§ 20", heading="Forschung"),
        clause("s-20.7", "(7)", "Die Absätze 1 und 5 gelten nicht für Ausländer,"),
    )
    new = numbered(
        clause("s-81a", "§ 81a", heading="Beschleunigtes Fachkräfteverfahren"),
        clause(
            "s-81a.5",
            "(5)",
            "Die Absätze 1 bis 4 gelten auch für sonstige qualifizierte Beschäftigte.",
        ),
    )
    result = align(old, new)
    assert partner(result, "s-20.7") == ("removed", [])
    # Beside its matched parent, the same words do make it the same paragraph.
    beside = numbered(
        clause("s-20", "§ 20", heading="Forschung"), clause("s-20.7", "(7)", new[1].text)
    )
    assert partner(align(old, beside), "s-20.7") == ("changed", ["s-20.7"])
