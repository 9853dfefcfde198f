"""Validate: declarative schemas, parser limits, the URL policy and the copy desk's checks."""
