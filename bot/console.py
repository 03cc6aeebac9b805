"""The supervisor and workshop console on the front door's HTTP port: pages and a JSON API.

Pages (/console/...) are plain HTML with one script (bot/static/console/); everything they show
comes from the JSON API under /console/api/, which tests and integrations use the same way.
Security: a login sets an HttpOnly, SameSite=Strict session cookie (Secure with
CONSOLE_COOKIE_SECURE=1); every state-changing request must be JSON and carry the session's
CSRF token in the X-CSRF-Token header; sessions expire (aftersales.staff_auth); logins are
rate-limited per username and per address; pages are sent with a strict Content-Security-Policy.
The rules themselves live in aftersales (staff_auth, console_queries, workshop, handoffs); this
module turns HTTP into calls and results into JSON, and tells the customer through the relay.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Callable

from aiohttp import web

from aftersales import console_queries as cq
from aftersales import clock, settings, staff_auth, workshop
from aftersales.db import transaction
from aftersales.handoffs import HandoffError
from aftersales.models import Staff, utcnow
from bot import console_charts
from bot.handoff_delivery import tell_customer
from bot.relay import Relay

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static") / "console"
COOKIE = "console_session"
CSRF_HEADER = "X-CSRF-Token"
PAGES = ("queue", "ticket", "dashboard", "workshop")
MAX_TEXT = 4_000
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
STATUS_OF = {
    "forbidden": 403, "not_a_supervisor": 403, "no_such_ticket": 404, "no_such_photo": 404, "no_such_order": 404,
    "bad_view": 400,
    "empty": 400, "bad_item": 400, "no_conversation": 409, "closed": 409, "already_taken": 409, "not_held": 409,
    "not_allowed": 409, "pending_approval": 409,
}


def install(app: web.Application, relay: Relay) -> None:
    """Mounts the console's pages and API on the front door's app."""
    app.middlewares.append(security_headers)
    app.router.add_get("/console", home)
    app.router.add_get("/console/", home)
    app.router.add_get("/console/login", login_page)
    for page in PAGES:
        app.router.add_get(f"/console/{page}", _page(page))
    api = "/console/api"
    app.router.add_post(f"{api}/login", login)
    app.router.add_post(f"{api}/logout", logout)
    app.router.add_get(f"{api}/me", me)
    app.router.add_get(f"{api}/queue", queue)
    app.router.add_get(f"{api}/tickets/{{reference}}", ticket)
    app.router.add_get(f"{api}/tickets/{{reference}}/photos/{{photo_id:\\d+}}", photo)
    for action, handler in (("take_over", take_over), ("release", release), ("resolve", resolve),
                            ("reply", reply), ("note", note)):
        app.router.add_post(f"{api}/tickets/{{reference}}/{action}", handler)
    app.router.add_get(f"{api}/orders", orders)
    app.router.add_post(f"{api}/orders/{{reference}}/advance", advance)
    app.router.add_post(f"{api}/orders/{{reference}}/add_item", add_item)
    app.router.add_get(f"{api}/dashboard", dashboard)


@web.middleware
async def security_headers(request: web.Request, handler):
    response = await handler(request)
    if request.path.startswith("/console"):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cache-Control", "no-store")
    return response


# --------------------------------------------------------------------------- running a request


class Refused(Exception):
    def __init__(self, status: int, reason: str, **extra: Any):
        super().__init__(reason)
        self.status, self.reason, self.extra = status, reason, extra


def _sessions(request: web.Request):
    return request.app["relay"].sessions


async def _as_staff(request: web.Request, work: Callable, *, write: bool) -> tuple[Any, Staff]:
    """Runs work(session, staff, now) in one transaction for the logged-in staff member; a write
    needs the session's CSRF token. Refusals from the rules become JSON errors. Sessions expire
    by the real clock; the work sees the product's clock (aftersales.clock, movable in demos)."""
    token = request.cookies.get(COOKIE)
    presented = request.headers.get(CSRF_HEADER)

    def run():
        with transaction(_sessions(request)) as session:
            found = staff_auth.authenticate(session, token, utcnow())
            if found is None:
                return Refused(401, "login_required"), None
            if write and not staff_auth.csrf_ok(found, presented):
                return Refused(403, "csrf"), None
            try:
                return work(session, found.staff, clock.now()), found.staff
            except (cq.ConsoleError, HandoffError, workshop.WorkshopError) as error:
                raise _refusal(error) from None  # raised inside: the transaction rolls back

    result, staff = await asyncio.to_thread(run)
    if isinstance(result, Refused):
        raise result
    return result, staff


def _refusal(error) -> Refused:
    holder = getattr(error, "holder", None)
    extra = {"holder": holder.display_name} if holder is not None else {}
    return Refused(STATUS_OF.get(error.reason, 400), error.reason, **extra)


async def _body(request: web.Request) -> dict:
    """A JSON object; anything else is refused (an HTML form from another site cannot send JSON
    without a CORS preflight, which this server never grants)."""
    if request.content_type != "application/json":
        raise Refused(415, "json_required")
    try:
        body = await request.json()
    except ValueError:
        raise Refused(400, "bad_json") from None
    if not isinstance(body, dict):
        raise Refused(400, "bad_json")
    return body


def _text(body: dict, key: str) -> str:
    return str(body.get(key) or "").strip()[:MAX_TEXT]


def _endpoint(handler):
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Refused as refused:
            return web.json_response({"error": refused.reason, **refused.extra}, status=refused.status)

    wrapped.__name__ = handler.__name__
    return wrapped


def client_ip(request: web.Request) -> str:
    if settings.console_trust_proxy():
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded[:45]
    return (request.remote or "unknown")[:45]


def _who(staff: Staff) -> dict:
    return {"username": staff.username, "display_name": staff.display_name,
            "display_name_en": staff.display_name_en, "role": staff.role,
            "complaints": staff_auth.may_handle_complaints(staff), "workshop": staff_auth.may_use_workshop(staff)}


# --------------------------------------------------------------------------- pages


async def home(request: web.Request) -> web.StreamResponse:
    staff = await _current_staff(request)
    if staff is None:
        raise web.HTTPFound("/console/login")
    raise web.HTTPFound("/console/queue" if staff_auth.may_handle_complaints(staff) else "/console/workshop")


async def login_page(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "login.html")


def _page(name: str):
    async def page(request: web.Request) -> web.StreamResponse:
        if await _current_staff(request) is None:
            raise web.HTTPFound("/console/login")
        return web.FileResponse(STATIC / f"{name}.html")

    return page


async def _current_staff(request: web.Request) -> Staff | None:
    token = request.cookies.get(COOKIE)

    def run():
        with transaction(_sessions(request)) as session:
            found = staff_auth.authenticate(session, token, utcnow())
            return found.staff if found else None

    return await asyncio.to_thread(run) if token else None


# --------------------------------------------------------------------------- login, logout, me


@_endpoint
async def login(request: web.Request) -> web.StreamResponse:
    body = await _body(request)
    username, password, ip = str(body.get("username") or ""), str(body.get("password") or ""), client_ip(request)

    def run():
        with transaction(_sessions(request)) as session:
            result = staff_auth.login(session, username, password, ip, utcnow())
            return result, (_who(result.staff_session.staff) if result.ok else None)

    result, who = await asyncio.to_thread(run)
    if result.reason == "locked":
        retry = max(1, int((result.locked_until - utcnow()).total_seconds()))
        return web.json_response({"error": "locked", "retry_after": retry}, status=429,
                                 headers={"Retry-After": str(retry)})
    if not result.ok:
        return web.json_response({"error": "invalid"}, status=401)
    response = web.json_response({"staff": who, "csrf": result.staff_session.csrf_token})
    response.set_cookie(COOKIE, result.token, httponly=True, samesite="Strict", path="/console",
                        secure=settings.console_cookie_secure() or request.secure)
    return response


@_endpoint
async def logout(request: web.Request) -> web.StreamResponse:
    await _body(request)
    token = request.cookies.get(COOKIE)
    await _as_staff(request, lambda session, staff, now: staff_auth.logout(session, token, now), write=True)
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/console")
    return response


@_endpoint
async def me(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(COOKIE)

    def work(session, staff, now):
        return {"staff": _who(staff), "csrf": staff_auth.authenticate(session, token, utcnow()).csrf_token}

    found, _ = await _as_staff(request, work, write=False)
    return web.json_response(found)


# --------------------------------------------------------------------------- complaints


@_endpoint
async def queue(request: web.Request) -> web.StreamResponse:
    view = request.query.get("view", "open")
    rows, _ = await _as_staff(request, lambda s, staff, now: cq.queue(s, staff, view, now), write=False)
    return web.json_response({"view": view, "tickets": rows, "now": clock.now().isoformat()})


@_endpoint
async def ticket(request: web.Request) -> web.StreamResponse:
    reference = request.match_info["reference"]
    found, _ = await _as_staff(request, lambda s, staff, now: cq.ticket(s, staff, reference, now), write=False)
    return web.json_response({"ticket": found, "now": clock.now().isoformat()})


@_endpoint
async def photo(request: web.Request) -> web.StreamResponse:
    """A photo the customer sent with the ticket, for its supervisors' eyes only."""
    reference, photo_id = request.match_info["reference"], int(request.match_info["photo_id"])
    found, _ = await _as_staff(request, lambda s, staff, now: cq.photo(s, staff, reference, photo_id), write=False)
    return web.FileResponse(settings.VAR_DIR / found.path, headers={"Content-Type": found.content_type,
                                                           "Cache-Control": "private, no-store"})


@_endpoint
async def take_over(request: web.Request) -> web.StreamResponse:
    await _body(request)
    reference = request.match_info["reference"]
    delivery, staff = await _as_staff(request, lambda s, st, now: cq.take_over(s, st, reference, now), write=True)
    if delivery.joined:
        await tell_customer(request.app["relay"], delivery, staff, "joined")
    return web.json_response({"ok": True, "joined": delivery.joined})


@_endpoint
async def reply(request: web.Request) -> web.StreamResponse:
    """A reply takes over a conversation nobody holds (the customer is told who joined first)."""
    text = _text(await _body(request), "text")
    reference = request.match_info["reference"]
    delivery, staff = await _as_staff(request, lambda s, st, now: cq.reply(s, st, reference, text, now), write=True)
    if delivery.joined:
        await tell_customer(request.app["relay"], delivery, staff, "joined")
    delivered = await request.app["relay"].to_customer(delivery.conversation_key, [{"text": text}],
                                                       author=staff.display_name)
    return web.json_response({"ok": True, "joined": delivery.joined, "delivered": delivered})


@_endpoint
async def release(request: web.Request) -> web.StreamResponse:
    await _body(request)
    reference = request.match_info["reference"]
    delivery, staff = await _as_staff(request, lambda s, st, now: cq.release(s, st, reference, now), write=True)
    await tell_customer(request.app["relay"], delivery, staff, "left")
    return web.json_response({"ok": True})


@_endpoint
async def resolve(request: web.Request) -> web.StreamResponse:
    """Recorded as resolved and handed back to the bot, which asks whether it is settled."""
    resolution = _text(await _body(request), "resolution")
    reference = request.match_info["reference"]
    delivery, staff = await _as_staff(request, lambda s, st, now: cq.resolve(s, st, reference, resolution, now),
                                      write=True)
    asked = await tell_customer(request.app["relay"], delivery, staff, "resolved")
    return web.json_response({"ok": True, "bot_followed_up": asked})


@_endpoint
async def note(request: web.Request) -> web.StreamResponse:
    text = _text(await _body(request), "text")
    reference = request.match_info["reference"]
    await _as_staff(request, lambda s, st, now: cq.add_note(s, st, reference, text, now), write=True)
    return web.json_response({"ok": True})


# --------------------------------------------------------------------------- dashboard


@_endpoint
async def dashboard(request: web.Request) -> web.StreamResponse:
    try:
        weeks = int(request.query.get("weeks", 8))
    except ValueError:
        raise Refused(400, "bad_weeks") from None
    lang = "en" if request.query.get("lang") == "en" else "zh"
    figures, _ = await _as_staff(request, lambda s, staff, now: cq.dashboard(s, staff, weeks, now), write=False)
    return web.json_response({"figures": figures, "charts": console_charts.charts(figures, lang)})


# --------------------------------------------------------------------------- workshop


@_endpoint
async def orders(request: web.Request) -> web.StreamResponse:
    rows, _ = await _as_staff(request, lambda s, staff, now: cq.orders(s, staff), write=False)
    return web.json_response({"orders": rows})


@_endpoint
async def advance(request: web.Request) -> web.StreamResponse:
    body = await _body(request)
    reference, stage, note_text = request.match_info["reference"], _text(body, "stage"), _text(body, "note")

    def work(session, staff, now):
        order = cq.visible_order(session, staff, reference)
        workshop.advance(session, order, stage, staff.display_name, now, note_text or None)
        return cq.order_row(session, order)

    row, _ = await _as_staff(request, work, write=True)
    return web.json_response({"order": row})


@_endpoint
async def add_item(request: web.Request) -> web.StreamResponse:
    """{kind, description, description_en?, quantity, unit_price (major units), needs_approval}."""
    body = await _body(request)
    reference = request.match_info["reference"]

    def work(session, staff, now):
        order = cq.visible_order(session, staff, reference)
        try:
            quantity = int(body.get("quantity") or 1)
        except (TypeError, ValueError):
            raise workshop.WorkshopError("bad_item") from None
        workshop.add_item(session, order, _text(body, "kind"), _text(body, "description"), quantity,
                          workshop.to_cents(body.get("unit_price", "")), bool(body.get("needs_approval")),
                          staff.display_name, now, description_en=_text(body, "description_en") or None)
        return cq.order_row(session, order)

    row, _ = await _as_staff(request, work, write=True)
    return web.json_response({"order": row})
