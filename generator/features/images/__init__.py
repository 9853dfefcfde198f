"""Raster images: share-page images and page cards drawn from glyph masks, kept between runs."""
