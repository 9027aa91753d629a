"""Builders for the demo province (Chiang Rai): villages, a synthetic population, the network
of agencies, centres and partners with their MOUs, and one login per role.

Not a Django app: plain modules called by the `load_demo` management command and by tests.
Everything is seeded, so two loads on the same day produce the same data.
"""
