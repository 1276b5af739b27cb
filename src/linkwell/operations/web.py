"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database reachable,
migrations current). Both unauthenticated and free of personal data, for load balancers and
supervisors."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from linkwell.operations.faults import RETRY_AFTER_SECONDS
from linkwell.operations.health import DatabaseProblem, check_ready

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    try:
        await run_in_threadpool(check_ready, state.engine, state.settings.database_url)
    except DatabaseProblem:
        return JSONResponse({"status": "unavailable"}, status_code=503,
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS),
                                     "Cache-Control": "no-store"})
    return JSONResponse({"status": "ready"}, headers={"Cache-Control": "no-store"})
