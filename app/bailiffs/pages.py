"""Imports every module of the portal that registers views (each branch adds its own)."""
