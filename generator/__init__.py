"""Explainer site generator: a news article plus YAML annotations into a static site."""
