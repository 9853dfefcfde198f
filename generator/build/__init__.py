"""The build: the pipeline over the stages, making one explainer, the worker pool, the cache and the write stage."""
