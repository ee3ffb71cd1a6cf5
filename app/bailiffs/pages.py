"""Imports every module of the portal that registers views (each branch adds its own)."""

from app.bailiffs import bookings, calendar, requesting  # noqa: F401  (portal-booking)
