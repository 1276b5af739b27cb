"""ASGI entry point for uvicorn: ``uvicorn linkwell.web.asgi:app``."""

from linkwell.operations import logs
from linkwell.web.app import create_app
from linkwell.web.gc_tuning import settle_after_start_up

logs.configure()
app = create_app()
settle_after_start_up()
