"""Pure-Python core: no Flask, no SQLAlchemy. Parsing, rendering, later alignment and diffs."""
