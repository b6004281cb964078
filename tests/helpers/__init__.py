"""Helpers the tests import: servers on loopback, store backends, launching mtwatch and the
replica as child processes, and whatever else more than one test module needs (sample rows,
notifiers, pages, fakes). A test module imports helpers from here, never from another test
module. Fixtures live in ``tests/conftest.py``; nothing here is a fixture."""
