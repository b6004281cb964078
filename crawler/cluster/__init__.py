"""Opt-in pieces for running mtwatch on several machines (scrapy-redis workers, Redis for work
in motion, PostgreSQL for the record). Nothing here is imported by the single-machine path."""
