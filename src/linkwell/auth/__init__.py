"""Accounts, sign-in and access control.

- ``roles``: the roles a user can hold.
- ``models``: users, teams, sign-in sessions and API tokens.
- ``passwords`` / ``tokens``: argon2 password hashing, session and CSRF tokens (pure).
- ``commands``: the writes: create and change users and teams, sign in and out, API tokens
  (each audited).
- ``queries``: the reads: who holds a session or API token, a user by email, the tokens.
- ``policy``: the one place that says who may see which record.
- ``web``: FastAPI dependencies (``require_roles``, ``csrf_protect``) and the sign-in/admin pages.
"""
