"""The comment matrix: its rows, filters and queries."""
