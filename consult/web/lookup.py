"""What the handlers of every blueprint share: the person signed in, and objects by address.

By the time a handler runs, the guard (consult.web.guard) has let the request
through, so the person is signed in; `user_with` asks a further rule of them.
A service lookup that finds nothing becomes a 404 page through `found`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user

from consult.models import User
from consult.services.errors import NotFound

P = ParamSpec("P")
T = TypeVar("T")


def acting_user() -> User:
    """Return the signed-in person making the request."""
    user: User = current_user._get_current_object()
    return user


def user_with(rule: Callable[[User], bool]) -> User:
    """Return the signed-in person if `rule` allows them; otherwise answer 403."""
    user = acting_user()
    if not rule(user):
        abort(403)
    return user


def found(lookup: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Return what the service `lookup` finds; answer 404 when it raises NotFound."""
    try:
        return lookup(*args, **kwargs)
    except NotFound:
        abort(404)
