"""Use cases: the only code that writes. Each takes the acting user."""
