"""Specialist social-welfare advice: spot the legal problem, judge its urgency, route to help.

Pure triage logic (categories, rules, model, deadlines, level of help) has no I/O; ``routing``
reads the directory; ``web`` and ``cli`` are the interfaces.
"""
