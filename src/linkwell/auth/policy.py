"""Who may see which referral, person and casework: the one place that decides.

- A referrer sees the referrals it sent, with their status and outcome (the PRSB "message
  back to the referrer"), and none of the casework (ADR 0012).
- A link worker sees its team's caseload (and referrals not yet routed to any team).
- Casework (an episode and everything recorded in it: contacts, needs, goals, onward
  referrals, measures, advice triages) is seen by the link workers of the team holding the
  episode (any link worker while it has none) and by administrators. It belongs to the
  episode's team, not to the person record: after two records are merged, each team still
  sees only its own episodes. Every child of a person record is read through this rule.
- A provider sees only onward referrals to its own organisation's services.
- A commissioner or evaluator sees no personal data at all.
- An administrator may open personal records; every such read is audited like any other.

Each rule exists twice, as a predicate on a loaded row (for one record) and as a SQL
condition (for lists), and the tests hold the two to the same answers. A refusal is shown as
404, so that a record's existence is not revealed (not even that an id was merged into
another), and is audited by the application's error handler (``Refused``).
"""

from sqlalchemy import ColumnElement, false, or_, true

from linkwell.auth.roles import Role
from linkwell.errors import NotFound

PERSONAL_DATA_ROLES = frozenset({Role.REFERRER, Role.LINK_WORKER, Role.PROVIDER, Role.ADMIN})


class Refused(NotFound):
    """Access refused, answered as 404; the ``LinkwellError`` handler in ``linkwell.web.app``
    writes the audit event, whichever area raised it."""

    def __init__(self, object_type: str, object_id: object):
        super().__init__(f"{object_type.replace('_', ' ')} {object_id} was not found")
        self.object_type = object_type
        self.object_id = object_id


def _roles(user) -> frozenset[Role]:
    return frozenset(user.roles) if user is not None else frozenset()


def sees_personal_data(user) -> bool:
    return bool(_roles(user) & PERSONAL_DATA_ROLES)


# --- Referrals (and the person and episode behind them) -------------------------------------

def can_view_referral(user, referral) -> bool:
    roles = _roles(user)
    if Role.ADMIN in roles:
        return True
    if Role.REFERRER in roles and referral.referrer_id == user.id:
        return True
    return Role.LINK_WORKER in roles and (
        referral.team_id is None or referral.team_id == user.team_id
    )


def referral_condition(user, referral_table) -> ColumnElement[bool]:
    """The SQL form of ``can_view_referral`` for lists and searches."""
    roles = _roles(user)
    if Role.ADMIN in roles:
        return true()
    conditions = []
    if Role.REFERRER in roles:
        conditions.append(referral_table.referrer_id == user.id)
    if Role.LINK_WORKER in roles:
        conditions.append(referral_table.team_id.is_(None))
        if user.team_id is not None:
            conditions.append(referral_table.team_id == user.team_id)
    return or_(*conditions) if conditions else false()


def can_manage_caseload(user, team_id: int | None) -> bool:
    """Act on an episode: the link workers of its team (or any, while it has no team)."""
    roles = _roles(user)
    return Role.LINK_WORKER in roles and (team_id is None or team_id == user.team_id)


def caseload_condition(user, episode_table) -> ColumnElement[bool]:
    """The SQL form of ``can_manage_caseload`` over episodes' ``team_id``."""
    if Role.LINK_WORKER not in _roles(user):
        return false()
    if user.team_id is None:
        return episode_table.team_id.is_(None)
    return or_(episode_table.team_id.is_(None), episode_table.team_id == user.team_id)


# --- Casework: an episode and everything recorded in it -------------------------------------

def can_view_casework(user, episode) -> bool:
    """Read an episode and what is recorded in it: contacts, "what matters to me" and needs
    scores, goals, onward referrals, outcome measures and advice triages.

    Casework belongs to the team that holds the episode, not to the person's record: after two
    records are merged, each team still sees only its own episodes. A referrer sees none of
    it, only the referral it sent and that referral's status and outcome (ADR 0012).
    """
    return Role.ADMIN in _roles(user) or can_manage_caseload(user, episode.team_id)


def casework_condition(user, episode_table) -> ColumnElement[bool]:
    """The SQL form of ``can_view_casework``: join a child to its episode and add this."""
    if Role.ADMIN in _roles(user):
        return true()
    return caseload_condition(user, episode_table)


# --- Onward referrals -----------------------------------------------------------------------

def can_view_onward_referral(user, onward, episode_team_id: int | None) -> bool:
    roles = _roles(user)
    if Role.ADMIN in roles:
        return True
    if Role.PROVIDER in roles and user.organization_id is not None \
            and onward.organization_id == user.organization_id:
        return True
    return can_manage_caseload(user, episode_team_id)


def can_respond_to_onward_referral(user, onward) -> bool:
    """Only the receiving organisation's staff accept, decline or report an outcome."""
    return (Role.PROVIDER in _roles(user) and user.organization_id is not None
            and onward.organization_id == user.organization_id)


def onward_referral_condition(user, onward_table, episode_table) -> ColumnElement[bool]:
    roles = _roles(user)
    if Role.ADMIN in roles:
        return true()
    conditions = []
    if Role.PROVIDER in roles and user.organization_id is not None:
        conditions.append(onward_table.organization_id == user.organization_id)
    if Role.LINK_WORKER in roles:
        conditions.append(caseload_condition(user, episode_table))
    return or_(*conditions) if conditions else false()


def can_manage_organisation(user, organization_id: str | None) -> bool:
    """Keep an organisation's listings and invite its people: an administrator, or a provider
    who belongs to it."""
    roles = _roles(user)
    if Role.ADMIN in roles:
        return True
    return (Role.PROVIDER in roles and user.organization_id is not None
            and organization_id == user.organization_id)


def can_edit_service_capacity(user, service_organization_id: str | None) -> bool:
    return can_manage_organisation(user, service_organization_id)


# --- Messages back to GP practices -------------------------------------------------------------

def can_manage_gp_messages(user) -> bool:
    """See the outbox of messages to GP practices, their alerts, and the practices' MESH
    mailboxes: administrators only (the outbox names people)."""
    return Role.ADMIN in _roles(user)


# --- Insights: the outcomes framework and the monthly e-mail ---------------------------------

def can_record_community_outcome(user, team_id: int | None) -> bool:
    """Record new groups or volunteers for a team: its link workers, or an administrator."""
    roles = _roles(user)
    return Role.ADMIN in roles or (Role.LINK_WORKER in roles and team_id is not None
                                   and team_id == user.team_id)


def can_import_system_outcomes(user) -> bool:
    """Import practices' counts of GP appointments and A&E attendances (they are matched to
    people by NHS number): administrators only."""
    return Role.ADMIN in _roles(user)


def can_subscribe_to_insights(user) -> bool:
    """Ask for the dashboard by e-mail each month: those who read the suppressed dashboard."""
    return bool(_roles(user) & {Role.COMMISSIONER, Role.ADMIN})


# --- Directory feeds ---------------------------------------------------------------------------

def can_review_feed_changes(user) -> bool:
    """Accept or refuse a synced feed's change to a field a provider edited: administrators."""
    return Role.ADMIN in _roles(user)
