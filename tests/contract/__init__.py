"""The official Intercom 2.10 description, sliced to the Help Center paths, as a contract."""
