"""Commenting in a round: the form, receipts, edits, withdrawal, an organisation's comments.

`routes` holds the handlers, `forms` the form and its checks, `preserve` the
pages that give a person back what they typed when a form token or their
session expired.
"""

from consult.web.comments.routes import bp

__all__ = ["bp"]
