"""The staff e-mail outbox: a message is queued in the transaction of the change that caused it
(a referral's status, an invitation, a listing nudge, a GP summary sent) and sent later by
``linkwell notifications send``.

- ``models``: the ``notification`` table; ``outbox``: queue, fold into digests, send over SMTP;
- ``cli``: ``linkwell notifications``.

It imports no area, so every area that tells staff something may use it.
"""
