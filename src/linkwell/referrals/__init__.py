"""Referrals and the link worker's caseload: the closed loop of social prescribing.

- ``domain``: statuses and their transitions, coded lists, working days (pure).
- ``models``: person, referral, episode, contacts, needs, goals, onward referrals, status log.
- ``commands``: every change, audited; ``queries``: every read, scoped by ``auth.policy``.
- ``suggestions``: ranked directory services for a person's needs.
- ``fhir``: HL7 FHIR R4 export and import (its e-mail goes through ``linkwell.notifications``).
- ``web``: what the routers share; ``api``, ``fhir_api``, ``pages``, ``provider_pages``: the
  JSON API, the ``/fhir`` endpoints, the referral pages and the provider's pages.
"""
