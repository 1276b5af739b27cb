"""Outcomes: validated wellbeing instruments, scored exactly, measured at the right times."""
