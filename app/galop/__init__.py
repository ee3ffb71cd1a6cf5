"""The link with GALOP, the police's personnel system: roster and absences in (docs/galop.md)."""
