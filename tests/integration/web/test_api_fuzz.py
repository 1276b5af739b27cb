"""Schemathesis over the app's whole OpenAPI document: no input, from anyone, is a 5xx.

Every generated request is sent anonymously and with an API token for each role, on one
SQLite database (the engine is not what is under test here). The number of examples per
operation is bounded so the whole run takes a minute or two.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from conftest import make_settings, make_user
from linkwell.auth import commands as auth_commands
from linkwell.auth.roles import Role

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory, sqlite_template):
    import shutil

    from linkwell.web.app import create_app

    path = tmp_path_factory.mktemp("fuzz") / "linkwell.db"
    shutil.copy(sqlite_template, path)
    app = create_app(make_settings(f"sqlite:///{path}"))
    identities = {"anonymous": {}}
    with app.state.sessionmaker() as session:
        for role in Role:
            user = make_user(session, role.value)
            with session.begin():
                token = auth_commands.issue_api_token(session, by=user, user_id=user.id,
                                                      name="fuzz")
            identities[role.value] = {"Authorization": f"Bearer {token}"}
    app.state.fuzz_identities = identities
    yield app
    app.state.engine.dispose()


def test_no_server_error_for_any_role(fuzzed_app):
    """Each operation gets its own bounded Hypothesis run over schemathesis's generated cases;
    every failure is collected so one run reports them all. (Schemathesis's pytest plugin,
    ``schema.parametrize``, reads a pytest attribute that pytest 9 no longer has.)"""
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    identities = fuzzed_app.state.fuzz_identities
    failures: dict[str, str] = {}

    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                              operation.as_strategy(GenerationMode.NEGATIVE)))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            for identity, headers in identities.items():
                try:
                    response = case.call(headers=headers)
                except Exception as exc:  # the test client re-raises what a 500 hides
                    failures.setdefault(f"{case.method} {operation.path} as {identity}",
                                        f"{exc!r}: {case.as_curl_command()}")
                    continue
                if response.status_code >= 500:
                    failures.setdefault(
                        f"{case.method} {operation.path} as {identity}",
                        f"{response.status_code}: {case.as_curl_command()}\n"
                        f"{response.text[:300]}")

        run()

    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
