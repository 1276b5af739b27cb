from enum import StrEnum


class Role(StrEnum):
    """What a user does in the programme; one user may hold several roles."""

    REFERRER = "referrer"
    LINK_WORKER = "link_worker"
    PROVIDER = "provider"
    COMMISSIONER = "commissioner"
    EVALUATOR = "evaluator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


STAFF_ROLES = frozenset(Role)
