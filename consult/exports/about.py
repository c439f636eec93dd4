"""What a matrix file says about itself: document, version, rounds, date, filters, variant.

The XLSX file writes these lines on its "About" sheet, the DOCX file under
its title.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext

from consult.moments import Moment
from consult.services.matrix.model import MatrixMeta


def about_lines(meta: MatrixMeta) -> list[tuple[str, str]]:
    """Return (label, text) pairs describing the matrix in a file."""
    rounds_label = _("Round") if len(meta.round_titles) == 1 else _("Rounds")
    lines: list[tuple[str, str]] = [
        (_("Document"), f"{meta.document_title} ({meta.document_slug})"),
        (_("Version"), meta.version_label),
        (rounds_label, "; ".join(meta.round_titles) or pgettext("no round", "None")),
        (_("Made"), Moment(meta.made_at).text),
    ]
    if meta.filters:
        lines += [(_("Filter: %(name)s", name=name), value) for name, value in meta.filters]
    else:
        lines.append((_("Filters"), _("None: every comment the reader may see")))
    if meta.public:
        variant = _(
            "Public, for circulation: each round's attribution rule applies; withdrawn "
            "comments, comments of secretariat-only rounds and unpublished answers are "
            "left out."
        )
    else:
        variant = _(
            "As the platform showed it to the person who downloaded it: not for circulation."
        )
    lines.append((_("Variant"), variant))
    lines.append(
        (
            _("Proposed change"),
            _(
                "Shown against the clause's text: inserted words are underlined, "
                "deleted words struck through."
            ),
        )
    )
    return lines
