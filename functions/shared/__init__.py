"""Conventions every platform uses: errors, models base, unit of work, idempotency, pagination, clock, logging."""
