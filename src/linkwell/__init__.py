"""Linkwell: social prescribing and specialist social-welfare advice, on open standards."""

__version__ = "0.1.0"
