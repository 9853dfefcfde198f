"""Reader features beside the article page: share pages, embeds, export, country pages, maps, search, images."""
