"""The desk's pages as plain contexts for the templates: built from the store, shared by the
live server (crawler.web.app) and the static report (crawler.web.report)."""
