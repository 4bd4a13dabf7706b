"""The test suite, mirroring the packages; every test runs on SQLite and on PostgreSQL."""
