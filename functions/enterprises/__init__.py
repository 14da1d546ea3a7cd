"""The enterprise profile: what an enterprise is, field by field, with where each figure came from.

Shared by policy matching (functions/policy/eligibility.py reads `facts.ProfileFacts`) and, later,
financing's credit report. See models.py for the table and service.py for who may read and change it.
"""
