"""The command line: one parser, the build and serve commands, and the authoring commands."""
