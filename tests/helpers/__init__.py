"""Helpers the tests import: servers on loopback, store backends, launching mtwatch and the
replica as child processes. Fixtures live in ``tests/conftest.py``; nothing here is a fixture."""
