"""The comment matrix: the secretariat's working table, its answers, summary and files.

Each module attaches its routes to the blueprint of `blueprint`; importing
them here registers them.
"""

from __future__ import annotations

from consult.web.matrix import answer_upload, answers, comment_import, exports, page, summary
from consult.web.matrix.blueprint import bp

__all__ = [
    "answer_upload",
    "answers",
    "bp",
    "comment_import",
    "exports",
    "page",
    "summary",
]
