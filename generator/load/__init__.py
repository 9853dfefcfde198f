"""Load: site.yaml, articles and annotation files read into the source model, with source positions."""
