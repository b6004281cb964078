"""Page objects: turn one response body into fields and links, with no crawling logic."""
