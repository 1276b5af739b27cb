"""`linkwell users create` and `linkwell users token create/list/revoke`."""

import pytest
from sqlalchemy import select

from conftest import invoke_cli
from linkwell.audit.models import AuditEvent
from linkwell.auth import commands as auth_commands
from linkwell.auth import queries as auth_queries
from linkwell.auth.models import User
from linkwell.settings import get_settings

PASSWORD = "a long enough pass phrase"


@pytest.fixture
def linkwell(monkeypatch, database_url):
    """``linkwell(*args, input=...)`` on the test database: invoke_cli's result."""
    def _run(*args, input=None):
        return invoke_cli(monkeypatch, *args, input=input, database_url=database_url)
    return _run


def test_users_create_asks_for_the_password_twice(linkwell, session):
    result = linkwell("users", "create", "--email", "IT@Borough.gov.uk", "--role", "admin",
                      "--role", "evaluator", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    user = session.scalar(select(User).where(User.email == "it@borough.gov.uk"))
    assert {r.value for r in user.roles} == {"admin", "evaluator"}
    assert auth_commands.sign_in(session, email="it@borough.gov.uk", password=PASSWORD,
                                 totp_code=None, settings=get_settings(), source_ip=None).user


def test_users_create_has_no_password_option(linkwell):
    result = linkwell("users", "create", "--email", "a@b.org", "--role", "admin",
                      "--password", PASSWORD)
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_users_create_refuses_a_weak_password_and_writes_nothing(linkwell, session):
    result = linkwell("users", "create", "--email", "a@b.org", "--role", "admin",
                      input="short\nshort\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in str(result.exception.detail)
    assert session.scalar(select(User)) is None


def test_token_create_list_revoke(linkwell, session):
    linkwell("users", "create", "--email", "gp@example.org", "--role", "referrer",
             input=f"{PASSWORD}\n{PASSWORD}\n")
    token = linkwell("users", "token", "create", "--email", "gp@example.org",
                     "--name", "GP system").output.strip()
    assert auth_queries.user_for_api_token(session, token).email == "gp@example.org"

    listed = linkwell("users", "token", "list").output
    token_id, email, name, _, state = listed.strip().split("\t")
    assert (email, name, state) == ("gp@example.org", "GP system", "active")
    assert token not in listed

    assert linkwell("users", "token", "revoke", token_id).exit_code == 0
    session.expire_all()
    assert auth_queries.user_for_api_token(session, token) is None
    assert linkwell("users", "token", "list").output.strip().endswith("revoked")
    revoked = session.scalar(select(AuditEvent).where(AuditEvent.object_type == "api_token",
                                                      AuditEvent.action == "update"))
    assert revoked.object_id == token_id
