"""``linkwell users``: the first administrator and API tokens for integrations, from the
command line of the server, so a production install needs no demo data and no web session.
Passwords are asked for (twice, hidden), never taken as an argument that ``ps`` and shell
history would keep."""

import typer

from linkwell.auth.roles import Role

app = typer.Typer(help="Accounts and API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for other systems (Authorization: Bearer).",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


def _transaction():
    from linkwell.db import make_engine, make_sessionmaker, transaction
    from linkwell.settings import get_settings

    return transaction(make_sessionmaker(make_engine(get_settings().database_url)))


@app.command("create")
def create(
    email: str = typer.Option(..., help="Their email address, used to sign in."),
    role: list[Role] = typer.Option(..., help="A role; repeat for several."),
    name: str = typer.Option("", help="Their name as shown to others (default: the email)."),
) -> None:
    """Create a user, asking for their password."""
    from linkwell.auth import commands as auth_commands
    from linkwell.auth.passwords import check_strength

    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_strength(password)
    with _transaction() as session:
        user = auth_commands.create_user(session, by=None, email=email,
                                         display_name=name or email, roles=role, password=password)
    typer.echo(f"Created user {user.id} ({user.email}) with roles "
               f"{', '.join(sorted(r.value for r in user.roles))}.")


@token_app.command("create")
def token_create(
    email: str = typer.Option(..., help="The user the token acts as."),
    name: str = typer.Option(..., help="What uses it, e.g. 'GP system at Lewisham PCN'."),
) -> None:
    """Issue a token; it is shown once (only its hash is stored)."""
    from linkwell.auth import commands as auth_commands
    from linkwell.auth import queries as auth_queries

    with _transaction() as session:
        user = auth_queries.user_by_email(session, email)
        token = auth_commands.issue_api_token(session, by=None, user_id=user.id, name=name)
    typer.echo(token)


@token_app.command("list")
def token_list(
    email: str = typer.Option(None, help="Only this user's tokens."),
) -> None:
    """Every token: id, user, name, created, and whether it is revoked (never the token)."""
    from linkwell.auth import queries as auth_queries

    with _transaction() as session:
        user_id = auth_queries.user_by_email(session, email).id if email else None
        rows = auth_queries.api_tokens(session, user_id=user_id)
        for token, owner in rows:
            typer.echo(f"{token.id}\t{owner}\t{token.name}\t"
                       f"{token.created_at:%Y-%m-%d %H:%M}\t"
                       f"{'revoked' if token.revoked else 'active'}")


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="The id shown by `token list`.")
                 ) -> None:
    """Stop a token working at once."""
    from linkwell.auth import commands as auth_commands

    with _transaction() as session:
        auth_commands.revoke_api_token(session, by=None, token_id=token_id)
    typer.echo(f"Revoked API token {token_id}.")
