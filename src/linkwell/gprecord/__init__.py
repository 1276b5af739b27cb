"""GP record: the PRSB Social Prescribing Standard's message back to the GP, sent over NHS
MESH from an outbox, the standard's referral in, and the minimum viable dataset extract."""
