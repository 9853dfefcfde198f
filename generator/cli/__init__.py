"""The command line: one parser (main.py), one module per command, what they share (common.py)."""
