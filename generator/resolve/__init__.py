"""Resolve: Markdown to HTML, anchors and mentions, dates and ids."""
