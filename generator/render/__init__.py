"""Render: one Jinja environment, output paths, social and search tags, languages and assets."""
