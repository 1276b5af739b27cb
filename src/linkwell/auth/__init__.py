"""Accounts, sign-in and access control.

- ``roles``: the roles a user can hold.
- ``models``: users, teams, sign-in sessions and API tokens.
- ``passwords`` / ``tokens``: argon2 password hashing, session and CSRF tokens (pure).
- ``service``: commands that create users, sign people in and out (each audited).
- ``policy``: the one place that says who may see which record.
- ``web``: FastAPI dependencies (``require_roles``, ``csrf_protect``) and the sign-in/admin pages.
"""
