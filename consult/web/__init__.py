"""Blueprints: HTTP, forms and templates; thin handlers that call services."""
