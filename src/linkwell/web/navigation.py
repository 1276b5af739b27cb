"""The header menu: which links each kind of user sees.

Areas add their entries to ``MENU``; ``roles`` of ``None`` means everyone, signed in or not,
and ``ANONYMOUS`` means only people who are not signed in.
"""

from dataclasses import dataclass

from starlette.requests import Request


@dataclass(frozen=True)
class MenuEntry:
    text: str
    href: str
    roles: frozenset[str] | None = None


ANONYMOUS: frozenset[str] = frozenset({"anonymous"})

MENU: list[MenuEntry] = [
    MenuEntry("Find support", "/find"),
    MenuEntry("Get advice", "/advice"),
    MenuEntry("Advice cases", "/advice/cases", frozenset({"link_worker"})),
    MenuEntry("Accountability", "/accountability"),
    MenuEntry("Ask for support", "/refer-yourself", ANONYMOUS),
    MenuEntry("Make a referral", "/referrals", frozenset({"referrer"})),
    MenuEntry("Caseload", "/caseload", frozenset({"link_worker"})),
    MenuEntry("Diary", "/diary", frozenset({"link_worker"})),
    MenuEntry("Referrals in", "/inbox", frozenset({"provider"})),
    MenuEntry("Your listings", "/provider/services", frozenset({"provider"})),
    MenuEntry("Commissioning", "/commissioning", frozenset({"commissioner", "admin"})),
    MenuEntry("Insights", "/insights", frozenset({"evaluator", "commissioner", "admin"})),
    MenuEntry("Evaluation", "/evaluation", frozenset({"evaluator", "commissioner", "admin"})),
    MenuEntry("Minimum dataset", "/mvis", frozenset({"commissioner", "admin"})),
    MenuEntry("Users", "/admin/users", frozenset({"admin"})),
    MenuEntry("Directory", "/admin/data-quality", frozenset({"admin"})),
    MenuEntry("Audit trail", "/admin/audit", frozenset({"admin"})),
    MenuEntry("Instruments", "/admin/instruments", frozenset({"admin"})),
    MenuEntry("GP messages", "/admin/gp-messages", frozenset({"admin"})),
    MenuEntry("Your account", "/account", frozenset({"referrer", "link_worker", "provider",
                                                      "commissioner", "evaluator", "admin"})),
    MenuEntry("Sign in", "/login", ANONYMOUS),
]


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool


def navigation(request: Request) -> list[NavItem]:
    user = getattr(request.state, "user", None)
    roles = set(getattr(user, "roles", ()) or ()) if user else set(ANONYMOUS)
    path = request.url.path
    return [
        NavItem(e.text, e.href, path == e.href or path.startswith(e.href.rstrip("/") + "/"))
        for e in MENU
        if e.roles is None or roles & e.roles
    ]
