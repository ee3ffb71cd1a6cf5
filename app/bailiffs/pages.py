"""Imports every module of the portal that registers views (each branch adds its own line)."""

import app.bailiffs.home
import app.bailiffs.menu
import app.bailiffs.sign_in
import app.bailiffs.tokens
import app.bailiffs.users
import app.bailiffs.welcome  # noqa: F401
