"""Geography reference data (public API filled in below)."""
