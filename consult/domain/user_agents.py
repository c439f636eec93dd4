"""A browser's User-Agent header shortened to what a person recognises: "Firefox", "Windows".

Only the common browsers and systems are named; anything else gives None, and
the page says "unknown". The order of the patterns matters: Edge and Opera
also say "Chrome", Chrome also says "Safari", Android also says "Linux".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BROWSERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("Edge", r"\bEdg(e|A|iOS)?/"),
        ("Opera", r"\bOPR/|\bOpera\b"),
        ("Samsung Internet", r"\bSamsungBrowser/"),
        ("Firefox", r"\bFirefox/|\bFxiOS/"),
        ("Chrome", r"Chrome/|\bCriOS/|\bChromium/"),  # also HeadlessChrome/
        ("Safari", r"\bVersion/[\d.]+.*\bSafari/"),
        ("Internet Explorer", r"\bMSIE |\bTrident/"),
    )
)
SYSTEMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("iPhone", r"\biPhone\b"),
        ("iPad", r"\biPad\b"),
        ("Android", r"\bAndroid\b"),
        ("ChromeOS", r"\bCrOS\b"),
        ("Windows", r"\bWindows\b"),
        ("macOS", r"\bMac OS X\b|\bMacintosh\b"),
        ("Linux", r"\bLinux\b|\bX11\b"),
    )
)


@dataclass(frozen=True)
class Device:
    """The browser and the system named by a User-Agent header; None when not recognised."""

    browser: str | None
    system: str | None


def _first(patterns: tuple[tuple[str, re.Pattern[str]], ...], header: str) -> str | None:
    return next((name for name, pattern in patterns if pattern.search(header)), None)


def describe(header: str) -> Device:
    """Return the browser and system that the User-Agent `header` names."""
    return Device(browser=_first(BROWSERS, header), system=_first(SYSTEMS, header))
