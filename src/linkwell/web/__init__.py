"""The web layer: the FastAPI application, shared page furniture and error mapping."""
