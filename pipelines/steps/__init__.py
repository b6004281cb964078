"""The Scrapy item pipelines, in the order a crawl runs them (``ITEM_PIPELINES`` in
crawler/settings.py): clean (the body as plain text) → detect (every topic's verdict) →
store (group-committed articles, matches and their alert rows) → alert (delivery when the
crawl closes). Each is a thin step over its pure core: ``pipelines.extraction``,
``pipelines.matcher``, ``pipelines.storage``, ``pipelines.alerts``."""
