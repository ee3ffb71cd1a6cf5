"""Imports every module of the portal that registers views."""

from app.bailiffs import (  # noqa: F401  (each registers its views on bp)
    bookings,
    calendar,
    menu,
    requesting,
    sign_in,
    tokens,
    users,
    welcome,
)
