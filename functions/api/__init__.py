"""The HTTP route toolkit (`routes.py`): a floor above `shared`. Each route names its authenticator
(`bp.api(..., authenticator=...)`; default `BEARER`, which verifies bearer tokens with the verifier
identity installs at start-up, so identity builds on it rather than under it). Other authenticators
(Open311's channel keys) are declared by the packages above that use them."""
