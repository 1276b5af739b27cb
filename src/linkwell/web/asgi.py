"""ASGI entry point for uvicorn: ``uvicorn linkwell.web.asgi:app``."""

from linkwell.web.app import create_app

app = create_app()
