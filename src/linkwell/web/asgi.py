"""ASGI entry point for uvicorn: ``uvicorn linkwell.web.asgi:app``."""

import gc

from linkwell.web.app import create_app

app = create_app()
# Long-lived start-up objects (models, templates, routes) need no collecting; freezing them
# keeps the garbage collector's pauses out of request latency (see docs/referrals.md).
gc.freeze()
