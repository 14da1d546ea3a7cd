"""The working-day calendar and SLA deadline engine: one module for every clock of the platform."""
