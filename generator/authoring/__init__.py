"""Authoring commands' work: a new site, an imported article, a new explainer, editor schemas, build diffs."""
