"""Bounded body-text extraction: a killable trafilatura worker and a linear raw-text pass."""
