"""The HTTP route toolkit (`routes.py`): a floor above `shared`. It verifies bearer tokens with the
verifier identity installs at start-up, so identity builds on it rather than under it."""
