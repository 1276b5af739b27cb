"""Evaluation and health-inequality analytics: who is reached relative to need, who benefits,
at what cost. Pure functions over data frames; ``evaluate`` is the one entry point that the
CLI (files) and the database mode share.
"""
