"""Security headers on every response, and no copy of a signed-in person's pages kept.

Flask-Talisman writes the headers: a Content-Security-Policy that lets pages
load scripts, styles, images and fonts from the platform's own origin only
(no inline script or style, no plugins, no framing, forms posted back to the
platform only), X-Content-Type-Options, X-Frame-Options for browsers that
predate `frame-ancestors`, a Referrer-Policy, a Permissions-Policy that turns
off the browser's devices and sensors, and, when the operator declares that
the platform is served over HTTPS (CONSULT_HTTPS, or CONSULT_SECURE_COOKIES
which means the same), Strict-Transport-Security on responses that came over
HTTPS.

Every response except a static file fetched without signing in is marked
`Cache-Control: no-store`, so that neither the browser nor a proxy keeps a
copy of a page or a file (a matrix, a receipt) for the next person at the
same computer.
"""

from __future__ import annotations

from typing import Final

from flask import Flask, Response, request
from flask_login import current_user
from flask_talisman import Talisman

# Each source list names the platform's own origin only; anything not named
# falls back to default-src.
CONTENT_SECURITY_POLICY: Final = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

# The browser features no page of the platform uses, turned off for every page
# (features Chromium does not know would be reported in its console).
PERMISSIONS_POLICY: Final = {
    feature: "()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

HSTS_MAX_AGE: Final = 365 * 24 * 3600


def _no_store(response: Response) -> Response:
    """Forbid keeping a copy of anything but a static file fetched without signing in."""
    if request.endpoint != "static" or current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Attach the security headers and the no-store rule to every response of `app`."""
    # One Talisman per app: it keeps its settings (and the app) on itself.
    app.extensions["talisman"] = Talisman(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        strict_transport_security=bool(app.config["HTTPS"]),
        strict_transport_security_max_age=HSTS_MAX_AGE,
        strict_transport_security_include_subdomains=False,
        # The proxy in front redirects plain HTTP; consult.config sets the cookies' flags.
        force_https=False,
        session_cookie_secure=False,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.after_request(_no_store)
