"""Casework: the link worker's tasks, appointments, diary and calendar feed, and messages to
the person through GOV.UK Notify (see docs/casework.md)."""
