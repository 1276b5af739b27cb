import sqlalchemy as sa

from linkwell.auth.demo import create_demo_users
from linkwell.auth.models import Team, User
from linkwell.auth.passwords import verify_password
from linkwell.auth.roles import Role


def test_demo_users_cover_every_role_and_can_sign_in(session):
    with session.begin():
        logins = create_demo_users(session, provider_organization_id=None)
    assert {login.role for login in logins} == set(Role)
    for login in logins:
        user = session.scalar(sa.select(User).where(User.email == login.email))
        assert login.role in user.roles
        assert verify_password(user.password_hash, login.password)


def test_demo_users_twice_creates_nothing_new(session):
    with session.begin():
        create_demo_users(session, provider_organization_id=None)
    with session.begin():
        create_demo_users(session, provider_organization_id=None)
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == len(Role)
    assert session.scalar(sa.select(sa.func.count()).select_from(Team)) == 1
