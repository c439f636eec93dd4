"""The demo rounds' comments and answers, as data: our own texts, in the voice of each organisation.

`demo_rounds` stores them; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

_UNICEF = "United Nations Children's Fund"
_KENYA = "Kenya"

# The secretariat's saved answers (see demo.DEMO_STANDARD_ANSWERS), given word for word.
_ADDRESSED = "Addressed in the revised paragraph."
_OUT_OF_SCOPE = "Outside the scope of these Principles."
_NEXT_MEETING = "The drafters will consider this at the next expert meeting."


@dataclass(frozen=True)
class Answer:
    """The secretariat's response to a demo comment."""

    disposition: str
    explanation: str


@dataclass(frozen=True)
class DemoComment:
    """One demo comment.

    `sender` is the e-mail of the demo account that typed it on the platform,
    or, for a comment that arrived by e-mail (`emailed`), the organisation's
    name: the secretariat entered it, as an import of the commenting template
    does. `day` and `hour` place it after the round opened.
    """

    sender: str
    clause: str | None  # a clause key of the round's version; None: the whole document
    type: str
    body: str
    proposed: str | None = None
    day: int = 1
    hour: int = 0
    emailed: bool = False
    paragraph: str = ""
    withdrawn: bool = False
    answer: Answer | None = None


FIRST_ROUND_COMMENTS: tuple[DemoComment, ...] = (
    DemoComment(
        "germany@consult.example",
        None,
        "general",
        "Germany welcomes the revised draft and its closer alignment with existing "
        "international standards. We recommend that 'shall' be used consistently in the "
        "Principles and 'should' in the Guidelines, and that the Introduction state clearly "
        "that the Guidelines are recommendations addressed to States.",
        day=3,
        hour=2,
        answer=Answer(
            "noted",
            "The Principles already use 'shall' and the Guidelines 'should' throughout, and the "
            "Introduction states that the text creates no new legal obligations.",
        ),
    ),
    DemoComment(
        "ngo@consult.example",
        None,
        "general",
        "Pushbacks at land borders are now the violation most often documented in our casework, "
        "yet the draft addresses them only indirectly, through the prohibition of collective "
        "expulsion. We ask that they be named expressly, either in a guideline of their own or "
        "in Guideline 4.",
        day=5,
        hour=6,
    ),
    DemoComment(
        "university@consult.example",
        None,
        "editorial",
        "Readers would benefit from references to the treaty provisions, general comments and "
        "case law on which each principle rests. We suggest endnotes, so that the text itself "
        "stays short.",
        day=21,
        hour=3,
        answer=Answer("noted", _NEXT_MEETING),
    ),
    DemoComment(
        "iom@consult.example",
        "introduction-p3",
        "substantive",
        "The Principles and Guidelines will be used by border authorities and by the "
        "international organisations that support them, not only by States in the abstract: "
        "we suggest naming them among the addressees. 'Practices that experts have identified "
        "as effective' is difficult to substantiate; 'good practices' is the usual term.",
        proposed="The present Principles and Guidelines seek to assist States, border "
        "authorities, international organisations and other stakeholders in translating existing "
        "human rights obligations into concrete measures at international borders. They do not "
        "create new legal obligations; rather, they draw together established international "
        "standards and good practices.",
        day=4,
        hour=4,
        answer=Answer("accepted", _ADDRESSED),
    ),
    DemoComment(
        "mexico@consult.example",
        "principle-primacy-p2",
        "substantive",
        "'Undermine' is imprecise in a legal text. The paragraph should also distinguish the "
        "smuggling of migrants from trafficking in persons, which are distinct crimes under the "
        "two Protocols to the United Nations Convention against Transnational Organized Crime.",
        proposed="States shall ensure that measures to address irregular migration or to counter "
        "migrant smuggling, trafficking in persons or terrorism do not adversely affect the "
        "enjoyment of human rights by any person.",
        day=8,
        hour=1,
        answer=Answer(
            "accepted_in_part",
            "The distinction between migrant smuggling and trafficking in persons and the words "
            "'adversely affect the enjoyment of human rights' are taken up. In response to other "
            "comments, a second sentence on limitations of rights is also added.",
        ),
    ),
    DemoComment(
        "germany@consult.example",
        "principle-primacy-p2",
        "substantive",
        "Germany would welcome a clarification that States remain free to take lawful measures "
        "against transnational crime at their borders, provided that any limitation of rights is "
        "prescribed by law, necessary and proportionate.",
        day=9,
        hour=5,
        answer=Answer(
            "accepted",
            "A second sentence is added: any limitation of rights in this context shall be "
            "provided by law, necessary and proportionate.",
        ),
    ),
    DemoComment(
        _UNICEF,
        "principle-child-p2",
        "substantive",
        "The paragraph speaks only of protection needs. It should refer to the rights of the "
        "child as a whole, and make clear that it is immigration control considerations that "
        "must give way, whether they concern the child's own status or that of the parents.",
        proposed="Children at international borders shall be treated as children first and "
        "foremost. Their rights and protection needs shall take precedence over immigration "
        "control considerations relating to their own migration status or that of their parents.",
        day=11,
        hour=3,
        emailed=True,
        paragraph="para 2",
    ),
    DemoComment(
        _KENYA,
        "guideline-legal-framework.2",
        "substantive",
        "In a number of States irregular entry remains an offence under national law, and "
        "legislative change takes time. Kenya proposes wording that allows for a gradual approach "
        "while keeping the protection of refugees and victims of trafficking.",
        proposed="States should consider removing irregular entry or stay from the scope of "
        "criminal law. Any sanctions imposed for irregular entry should be proportionate, and "
        "should not be applied to persons in need of international protection or to victims of "
        "trafficking.",
        day=17,
        hour=2,
        emailed=True,
        paragraph="para 2",
        answer=Answer(
            "not_accepted",
            "The paragraph reflects the consistent position of the international human rights "
            "mechanisms that irregular entry or stay should not be treated as a criminal offence. "
            "The text is kept.",
        ),
    ),
    DemoComment(
        _KENYA,
        "guideline-returns.3",
        "general",
        "Kenya supports the preference for assisted voluntary return. Returns are sustainable "
        "only where returnees receive reintegration support in the country of return, and the "
        "paragraph could say so.",
        day=17,
        hour=2,
        emailed=True,
        paragraph="para 3",
        answer=Answer("not_accepted", _OUT_OF_SCOPE),
    ),
    DemoComment(
        "ngo@consult.example",
        "guideline-capacity.4",
        "substantive",
        "Officials who witness abuse rarely report it when the only channel runs through their "
        "own chain of command. Reporting deserves its own sentence: the mechanism must be "
        "confidential, and those who use it must be protected in law and in practice.",
        proposed="States should foster a culture of respect for human rights within border "
        "authorities through codes of conduct and clear lines of command and responsibility. They "
        "should establish confidential mechanisms through which officials can report suspected "
        "violations, and protect those who report from reprisal.",
        day=12,
        hour=7,
        answer=Answer(
            "accepted",
            "The paragraph is divided in two: paragraph 4 keeps the culture of respect, and a new "
            "paragraph 5 provides for confidential reporting and protection from reprisal.",
        ),
    ),
    DemoComment(
        "nhri@consult.example",
        "guideline-rescue.2",
        "substantive",
        "Interceptions without a clear legal basis are a recurring finding of the Commission's "
        "monitoring. The paragraph should require a basis in law and refer expressly to the "
        "prohibition of collective expulsion, as Principle 4 does.",
        day=14,
        hour=3,
    ),
    DemoComment(
        "unhcr@consult.example",
        "guideline-identification.3",
        "substantive",
        "Age assessment should take place only where there are reasonable grounds to doubt the "
        "age a person gives, should never rely on medical examinations alone, and should give the "
        "person the benefit of the doubt.",
        proposed="Where there are reasonable grounds to doubt whether a person is a child, he or "
        "she should be treated as a child pending an age assessment. Any age assessment should be "
        "multidisciplinary, carried out by independent professionals and as non-invasive as "
        "possible, should not rely solely on medical examinations, and should be accompanied by "
        "appropriate safeguards, including the benefit of the doubt.",
        day=10,
        hour=6,
        answer=Answer("accepted", _ADDRESSED),
    ),
    DemoComment(
        "dignity@consult.example",
        "guideline-identification.4",
        "substantive",
        "Migrant-led organisations are often the first point of contact for people in "
        "vulnerable situations and should take part in designing referral mechanisms.",
        proposed="States should develop referral mechanisms jointly with relevant national "
        "authorities, international organisations, civil society organisations and migrant-led "
        "organisations, and should ensure that these mechanisms are known to all border "
        "officials.",
        day=15,
        hour=4,
        answer=Answer(
            "addressed_elsewhere",
            "Referral is covered by paragraph 2 of this guideline, and cooperation with civil "
            "society by Guidelines 1 and 3. The paragraph is removed to avoid repetition.",
        ),
    ),
    DemoComment(
        "dignity@consult.example",
        "guideline-detention",
        "editorial",
        "The guideline is mostly about the alternatives States should provide; its heading "
        "should say so rather than describe what is to be avoided.",
        proposed="Alternatives to immigration detention",
        day=15,
        hour=5,
    ),
    DemoComment(
        "iom@consult.example",
        "guideline-detention.2.c",
        "substantive",
        "Our case management programmes show that alternatives work when people have access to "
        "legal advice and to basic services. 'Community-based placement' could also be read as "
        "covering closed facilities located in the community.",
        day=19,
        hour=2,
    ),
    DemoComment(
        "nhri@consult.example",
        "guideline-returns.5",
        "substantive",
        "As the national preventive mechanism, the Commission monitors return operations. This "
        "paragraph belongs with the other monitoring provisions in Guideline 10, and should cover "
        "the transport phase expressly.",
        day=20,
        hour=4,
        answer=Answer(
            "accepted_in_part",
            "The paragraph is moved to Guideline 10, with the other monitoring provisions. Its "
            "wording, 'from the pre-departure phase until arrival', already covers transport and "
            "is kept.",
        ),
    ),
    DemoComment(
        "germany@consult.example",
        "guideline-cooperation.2",
        "editorial",
        "Paragraphs 1 and 2 deal with the same subject and could be combined into one paragraph.",
        day=22,
        hour=1,
        answer=Answer("accepted", "Paragraphs 1 and 2 are merged."),
    ),
    DemoComment(
        "philippines@consult.example",
        "principle-due-process-p1",
        "substantive",
        "The Philippines welcomes the new Principle 5. Consular assistance is often the first "
        "protection available to nationals abroad and should appear among the procedural "
        "guarantees.",
        day=23,
        hour=2,
    ),
    DemoComment(
        "ngo@consult.example",
        "principle-non-discrimination-p2",
        "substantive",
        "Identity checks based on skin colour remain widespread at internal and external "
        "borders. The list of prohibited grounds for profiling should include colour and descent.",
        day=24,
        hour=6,
        answer=Answer("noted", _NEXT_MEETING),
    ),
    DemoComment(
        "university@consult.example",
        "guideline-screening.5-2",
        "substantive",
        "The paragraph covers sharing with other States but not onward transfers: data passed to "
        "a partner agency or a private contractor may reach the country of origin indirectly. We "
        "suggest covering any transfer that may lead to such disclosure.",
        day=25,
        hour=3,
    ),
    DemoComment(
        "dignity@consult.example",
        "principle-accountability-p2",
        "editorial",
        "Remedies should expressly include reparation.",
        proposed="Migrants whose rights have been violated at international borders shall have "
        "access to justice and to effective remedies, including reparation, without fear that "
        "seeking redress will result in their detention or removal.",
        day=6,
        hour=2,
        withdrawn=True,
    ),
    DemoComment(
        "dignity@consult.example",
        "principle-accountability-p2",
        "substantive",
        "Fear of being reported to immigration authorities keeps many victims from complaining. "
        "Complaints should be possible through national human rights institutions and civil "
        "society organisations, and information given in a complaint should not be shared with "
        "immigration enforcement.",
        day=26,
        hour=5,
    ),
    DemoComment(
        "unhcr@consult.example",
        "guideline-legal-framework.4",
        "substantive",
        "Where a person claims a risk of refoulement, the appeal should suspend removal "
        "automatically; an 'arguable risk' test applied at the border leaves too much room for "
        "removal before a court has looked at the claim.",
        proposed="Legislation should provide procedural safeguards for all decisions taken at "
        "borders, including the right to be informed of the reasons for a decision and the right "
        "to challenge it before an independent authority. An appeal against removal should have "
        "automatic suspensive effect where the person concerned claims a risk of serious harm.",
        day=27,
        hour=1,
        answer=Answer(
            "not_accepted",
            "The 'arguable claim' standard follows the case law of the regional human rights "
            "courts and of the treaty bodies; the text is kept.",
        ),
    ),
    DemoComment(
        "ngo@consult.example",
        "guideline-promotion.3",
        "substantive",
        "Rescue at sea and the provision of food, water and legal advice to migrants continue to "
        "be prosecuted in several States. These activities should be named, so that the paragraph "
        "cannot be read narrowly.",
        day=28,
        hour=4,
    ),
)

SECOND_ROUND_COMMENTS: tuple[DemoComment, ...] = (
    DemoComment(
        "philippines@consult.example",
        "guideline-legal-framework.2-2",
        "substantive",
        "The Philippines supports impact assessments. Smaller administrations will need time and "
        "support to carry them out, and the paragraph could invite international cooperation to "
        "that end.",
        proposed="Before adopting or amending border laws, policies or operational measures, "
        "States should assess their likely impact on human rights, with the participation of "
        "national human rights institutions, civil society and affected communities, and with "
        "international support where needed.",
    ),
    DemoComment(
        "nhri@consult.example",
        "guideline-promotion.4",
        "substantive",
        "Data on border governance should also be made available to national human rights "
        "institutions and other independent monitoring bodies, which cannot do their work "
        "without it.",
    ),
    DemoComment(
        "iom@consult.example",
        "guideline-detention.2.c",
        "general",
        "IOM welcomes the revised wording, which reflects what makes alternatives to detention "
        "work in practice.",
    ),
    DemoComment(
        "germany@consult.example",
        "guideline-capacity.5",
        "editorial",
        "Many States protect whistle-blowers through general legislation; the paragraph could "
        "refer to it.",
        proposed="States should establish confidential mechanisms through which border officials "
        "can report suspected human rights violations, and should protect officials who do so "
        "from reprisal, including through whistle-blower legislation.",
    ),
    DemoComment(
        "university@consult.example",
        None,
        "general",
        "The final text reads well. A short commentary on the sources of each principle, "
        "published separately, would help those who apply it.",
    ),
)
