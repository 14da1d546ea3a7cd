"""Qingdao unified enterprise service platform: the Python package behind app.py.

One sub-package per platform (policy, finance, appeals) and one per shared concern
(identity, calendar, refdata, shared conventions, platform operations).
"""
