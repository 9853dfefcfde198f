"""The plain data that flows from one stage to the next.

source.py: what the author wrote, as load/ makes it and validate/ checks it
(Markdown text, dates as written). page.py: the resolved explainer that
resolve/ makes from it as new objects (HTML text, dates formatted for the
page) and render/, features/ and build/ read. common.py: what both hold
unchanged (the site, citations, images, dates as written).
"""
