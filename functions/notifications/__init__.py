"""Notifications: the outbox relay and the channels it delivers through."""
