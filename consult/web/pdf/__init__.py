"""The consolidated PDF on the web: the export page, the job's progress page, the download.

Each module attaches its routes to the blueprint of `blueprint`; importing
them here registers them.
"""

from __future__ import annotations

from consult.web.pdf import routes
from consult.web.pdf.blueprint import bp

__all__ = ["bp", "routes"]
