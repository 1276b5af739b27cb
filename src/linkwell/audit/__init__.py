"""The append-only audit trail: who read or changed what, when, and from where.

Personal data never goes in an event: objects are named by type and id only.
"""

from linkwell.audit.commands import actor, record

__all__ = ["actor", "record"]
