from linkwell.labelled import Labelled


class Role(Labelled):
    """What a user does in the programme; one user may hold several roles."""

    REFERRER = "referrer"
    LINK_WORKER = "link_worker"
    PROVIDER = "provider"
    COMMISSIONER = "commissioner"
    EVALUATOR = "evaluator"
    ADMIN = "admin"


STAFF_ROLES = frozenset(Role)
