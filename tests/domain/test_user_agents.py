"""User-Agent headers shortened to a browser and a system a person recognises."""

from __future__ import annotations

import pytest

from consult.domain.user_agents import Device, describe

CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
SAFARI_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
OPERA_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0"
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (CHROME_MAC, Device("Chrome", "macOS")),
        (EDGE_WINDOWS, Device("Edge", "Windows")),
        (SAFARI_IPAD, Device("Safari", "iPad")),
        (CHROME_ANDROID, Device("Chrome", "Android")),
        (FIREFOX_LINUX, Device("Firefox", "Linux")),
        (OPERA_WINDOWS, Device("Opera", "Windows")),
        (
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36",
            Device("Chrome", "Linux"),
        ),
        ("curl/8.5.0", Device(None, None)),
        ("", Device(None, None)),
    ],
)
def test_describe_names_the_browser_and_the_system(header: str, expected: Device) -> None:
    assert describe(header) == expected
