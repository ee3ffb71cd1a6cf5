"""Benchmarks: a zone ten times the demo, seeded in bulk, measured in-process and over HTTP."""
