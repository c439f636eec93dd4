"""Guessing which of the six languages a draft is written in, for the drafter to confirm.

The script settles Arabic, Chinese and Russian (consult.domain.scripts). A
text in Latin script is English, French or Spanish by its commonest short
words: each language has words the other two seldom use ("the", "shall";
"les", "des"; "los", "del"). The guess is only offered where one language
clearly leads; otherwise there is none, and the drafter says.

Pure Python: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import re
from collections import Counter

from consult.domain.scripts import script_language


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Words frequent in one language and rare in the others. A word two of them share
#: ("la", "en", "que" in French and Spanish) counts for both: the others decide.
_MARKERS: dict[str, frozenset[str]] = {
    "en": _words("the and of to shall should be is are that which with for by this these their"),
    "fr": _words("le la les des et du aux une est sont dans pour qui doivent leur ces"),
    "es": _words("el los las del y una es son en para que por deben su sus estos"),
    # Not one of ours, but common in the texts people bring (German laws, Portuguese
    # and Italian texts): when one of these leads, there is no guess.
    "de": _words("der die das und nicht ist zu von mit sich auf werden dem den"),
    "pt": _words("os as do da dos das não em uma são pelo pela"),
    "it": _words("il gli della delle dei che non sono per una nel nella"),
}
#: The languages a guess may name.
_OURS = frozenset({"en", "fr", "es"})
#: A word: letters of any script, no digits.
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: How many marker words the leading language needs, and by what factor it must lead.
_ENOUGH = 8
_LEAD = 2.0
#: The guess reads the start of a long text only.
_SAMPLE = 20_000


def guess_language(text: str) -> str | None:
    """Return "ar", "zh", "ru", "en", "fr" or "es" when the text clearly is in it, else None."""
    sample = text[:_SAMPLE]
    by_script = script_language(sample)
    if by_script is not None:
        return by_script
    words = Counter(word.casefold() for word in _WORD.findall(sample))
    scores = {code: sum(words[w] for w in markers) for code, markers in _MARKERS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_second, runner_up) = ranked[0], ranked[1]
    if best in _OURS and top >= _ENOUGH and top >= _LEAD * runner_up:
        return best
    return None
