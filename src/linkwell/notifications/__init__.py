"""The staff e-mail outbox: a message is queued in the transaction of the change that caused it
(a referral's status, an invitation, a listing nudge, a GP summary sent) and sent later by
``linkwell notifications send``.

- ``models``: the ``notification`` table; ``outbox``: queue, fold into digests, send through
  GOV.UK Notify when it is configured for staff e-mail, over SMTP otherwise;
- ``notify``: the one GOV.UK Notify adapter, used here and by casework's messages to people;
- ``cli``: ``linkwell notifications``.

It imports no area, so every area that tells staff something may use it.
"""
