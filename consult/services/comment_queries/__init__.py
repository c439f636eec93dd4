"""Read-only queries for the comment pages, and the plain data they return.

`queries` runs them (every list and count filtered with
permissions.visible_comments); `views` defines what they return (the few
types other services name are re-exported here).
"""

from consult.services.comment_queries.queries import (
    clause_comments,
    comment_detail,
    find_clause,
    form_context,
    get_comment,
    our_comments,
    round_comments,
    version_comments,
)
from consult.services.comment_queries.views import (
    CommentRow,
    RoundComments,
    citations,
)
from consult.services.rounds import get_round

__all__ = [
    "CommentRow",
    "RoundComments",
    "citations",
    "clause_comments",
    "comment_detail",
    "find_clause",
    "form_context",
    "get_comment",
    "get_round",
    "our_comments",
    "round_comments",
    "version_comments",
]
