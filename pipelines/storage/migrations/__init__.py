"""Alembic migrations of the mtwatch store; applied automatically when a store is opened."""
