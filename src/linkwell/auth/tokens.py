"""Random tokens, their stored hashes and CSRF tokens (pure; no I/O).

Session and API tokens are stored only as SHA-256 hashes, so a copy of the database cannot be
used to sign in. CSRF tokens are an HMAC of a per-browser random cookie with the secret key
(signed double-submit), which works the same for signed-in users and public forms.
"""

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(browser_id: str, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), browser_id.encode(), hashlib.sha256).hexdigest()


def csrf_token_valid(submitted: str | None, browser_id: str | None, secret_key: str) -> bool:
    if not submitted or not browser_id:
        return False
    return hmac.compare_digest(submitted, csrf_token_for(browser_id, secret_key))
