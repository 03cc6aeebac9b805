"""The front door's HTTP side: the demo dealer page with the chat widget, its Socket.IO
endpoint (bot/widget.py), the plain JSON chat endpoint, and health."""
from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from aiohttp import web

from aftersales import customer_text, reminders
from aftersales.db import transaction
from aftersales.models import Appointment, Customer, Store
from bot import console, widget
from bot.relay import Relay

STATIC = Path(__file__).with_name("static")
MAX_MESSAGE = 4_000


def make_app(relay: Relay) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app["relay"] = relay
    app.router.add_get("/", demo_page)
    app.router.add_get("/healthz", health)
    app.router.add_post("/api/chat", chat)
    app.router.add_get("/calendar/{reference}.ics", calendar)
    app.router.add_static("/static/", STATIC)
    widget.attach(app, relay)
    console.install(app, relay)
    return app


async def demo_page(request: web.Request) -> web.Response:
    return web.FileResponse(STATIC / "demo.html")


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def chat(request: web.Request) -> web.Response:
    """One web-widget turn: {"session": id, "message": text} -> {"replies": [...]}."""
    try:
        body = await request.json()
    except ValueError:  # not JSON, or not UTF-8
        return web.json_response({"error": "expected a JSON body"}, status=400)
    if not isinstance(body, dict) or isinstance(body.get("message"), (dict, list)):
        return web.json_response({"error": 'expected {"session": id, "message": text}'}, status=400)
    session_id = customer_text.clean(str(body.get("session") or ""), 64) or uuid.uuid4().hex
    message = customer_text.clean(str(body.get("message") or ""), MAX_MESSAGE)
    if not message:
        return web.json_response({"session": session_id, "replies": [{"text": customer_text.EMPTY_HINT}]})
    replies = await request.app["relay"].customer_turn("web", session_id, message)
    return web.json_response({"session": session_id, "replies": replies})


async def calendar(request: web.Request) -> web.Response:
    """A booking's .ics file, for the holder of the signed link the confirmation gave."""
    reference = request.match_info["reference"].upper()
    if not reminders.calendar_token_ok(reference, request.query.get("t", "")):
        raise web.HTTPNotFound()
    body = await asyncio.to_thread(calendar_file, request.app["relay"].sessions, reference)
    if body is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=body.encode(), content_type="text/calendar", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{reference}.ics"'},
    )


def calendar_file(sessions, reference: str) -> str | None:
    from sqlalchemy import select

    with transaction(sessions) as session:
        appointment = session.execute(select(Appointment).where(Appointment.reference == reference)).scalar()
        if appointment is None:
            return None
        store = session.get(Store, appointment.store_id)
        customer = session.get(Customer, appointment.customer_id)
        return reminders.ics(appointment, store, customer.language if customer else store.language)
