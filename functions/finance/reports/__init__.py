"""Verifiable credit reports (青融通): functions/finance/reports/README.md."""
