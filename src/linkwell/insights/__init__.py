"""Insights: the operational dashboard for the people who run and fund the service."""
