"""A digest of the platform's own source files, for results stored in the database.

HTML and previews made once and stored (comparison fragments, a version's clause
HTML, a draft's preview) depend on code as well as on data: the words of
labels, how citations are written, how Markdown becomes HTML. Their storage key
includes the digest of the modules they depend on, so that a release changing
one of them stops using what the old code stored, without anybody having to
remember to raise a version string.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import import_module
from pathlib import Path


@cache
def source_digest(*modules: str) -> str:
    """Return a short digest of the named modules' source (a package: all its .py files)."""
    digest = hashlib.sha256()
    for name in modules:
        module = import_module(name)
        path = Path(module.__file__ or "")
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        for file in files:
            digest.update(str(file.relative_to(path.parent.parent)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
