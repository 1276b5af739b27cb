"""Commissioning and public accountability: what was allocated, what was commissioned, and when
it reports, versioned so that the answer can be given as of any past date."""
