"""The web widget's Socket.IO endpoint, on the front door's HTTP port at /socket.io/.

rasa-webchat talks to it exactly as it would to Rasa's own socketio channel
(rasa/core/channels/socketio.py): `session_request` {session_id} -> `session_confirm` id,
then `user_uttered` {message, session_id, customData} -> `bot_uttered` messages. Each turn goes
through `Relay.customer_turn("web", session id, text)`, so the contact log, the language and a
supervisor's takeover work as they do for Telegram; `push` is the relay's "web" channel.
"""
from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import re
import uuid
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import socketio
from aiohttp import web

from aftersales.settings import PROJECT_ROOT
from bot.relay import Relay

log = logging.getLogger(__name__)

MAX_MESSAGE = 4_000  # as /api/chat
MAX_PACKET = 64 * 1024  # as the HTTP side's client_max_size
SESSION_ID = re.compile(r"[0-9a-f]{32}")  # the ids this endpoint hands out: unguessable
SNIPPET = Path(__file__).with_name("static") / "widget.js"
# rasa-webchat's own build (React included), served from where `npm ci` put it: one copy, pinned
# with its integrity hash by package-lock.json, nothing to keep in step by hand.
BUNDLE = PROJECT_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
FONT_IMPORT = re.compile(rb"@import url\(https://fonts\.googleapis\.com/[^)]*\);")
LOCATION = "__location__"  # actions.booking.LOCATION: a button a browser cannot answer here
# Characters Markdown (react-markdown 4, GFM) gives a meaning; escaped, bot text shows as written.
MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!>~|])")


def attach(app: web.Application, relay: Relay) -> socketio.AsyncServer:
    """Mounts the endpoint on `app` and makes web sessions reachable through the relay."""
    sio = socketio.AsyncServer(
        async_mode="aiohttp", cors_allowed_origins="*",  # the widget lives on dealers' own sites
        max_http_buffer_size=MAX_PACKET, logger=False, engineio_logger=False,
    )
    endpoint = WidgetEndpoint(sio, relay)
    sio.on("connect", endpoint.connect)
    sio.on("session_request", endpoint.session_request)
    sio.on("user_uttered", endpoint.user_uttered)
    sio.attach(app, socketio_path="socket.io")
    relay.add_channel("web", endpoint.push)
    app.router.add_get("/widget.js", snippet)
    app.router.add_get("/widget/rasa-webchat.js", bundle)
    return sio


async def snippet(request: web.Request) -> web.StreamResponse:
    """The one script a dealer pastes into their site (bot/static/widget.js)."""
    return web.FileResponse(SNIPPET, headers={"Cache-Control": "max-age=300"})


async def bundle(request: web.Request) -> web.StreamResponse:
    """rasa-webchat's build, gzipped when the browser takes it (700 kB -> 200 kB)."""
    try:
        built = await asyncio.to_thread(_bundle, BUNDLE.stat().st_mtime_ns)
    except FileNotFoundError:
        log.error("%s is missing: run `make install` (npm ci)", BUNDLE)
        return web.Response(status=503, text="the chat widget is not installed (npm ci)")
    headers = {"Cache-Control": "max-age=3600", "ETag": built.etag, "Vary": "Accept-Encoding"}
    if request.headers.get("If-None-Match") == built.etag:
        return web.Response(status=304, headers=headers)
    body = built.body
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body, headers["Content-Encoding"] = built.gzipped, "gzip"
    return web.Response(body=body, content_type="application/javascript", charset="utf-8", headers=headers)


@dataclass(frozen=True)
class Built:
    body: bytes
    gzipped: bytes
    etag: str


@lru_cache(maxsize=1)
def _bundle(modified_ns: int) -> Built:
    """Read once per installed version. Its stylesheet's @import of Google Fonts is dropped: a
    dealer's page makes no request to a third party (and that host is unreachable in mainland
    China); the widget's CSS falls back to the system fonts, which also cover Chinese."""
    body = FONT_IMPORT.sub(b"", BUNDLE.read_bytes())
    return Built(body, gzip.compress(body, mtime=0), f'"{hashlib.sha256(body).hexdigest()[:20]}"')


class WidgetEndpoint:
    def __init__(self, sio: socketio.AsyncServer, relay: Relay):
        self.sio = sio
        self.relay = relay
        # session id -> one turn at a time, in order; dropped once no turn of it is running
        self.turns: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def connect(self, sid: str, environ: dict, auth: Any = None) -> bool:
        await self.sio.save_session(sid, {"base": public_base(environ.get("aiohttp.request"))})
        return True

    async def session_request(self, sid: str, data: Any = None) -> None:
        """A browser's stored session id is kept if it is one of ours; otherwise a new one."""
        asked = data.get("session_id") if isinstance(data, dict) else None
        session_id = asked if isinstance(asked, str) and SESSION_ID.fullmatch(asked) else uuid.uuid4().hex
        state = await self.sio.get_session(sid)
        if state.get("session_id") not in (None, session_id):
            await self.sio.leave_room(sid, state["session_id"])
        state["session_id"] = session_id
        await self.sio.save_session(sid, state)
        await self.sio.enter_room(sid, session_id)
        await self.sio.emit("session_confirm", session_id, to=sid)

    async def user_uttered(self, sid: str, data: Any = None) -> None:
        """One customer turn. The session is the one this connection confirmed, never one the
        message names, so a page cannot write into another customer's conversation."""
        state = await self.sio.get_session(sid)
        session_id = state.get("session_id")
        message = data.get("message") if isinstance(data, dict) else None
        if session_id is None or not isinstance(message, str) or not message.strip():
            return
        lock = self.turns.setdefault(session_id, asyncio.Lock())
        async with lock:
            replies = await self.relay.customer_turn("web", session_id, message.strip()[:MAX_MESSAGE])
            await self.emit(session_id, replies, state["base"])

    async def push(self, session_id: str, messages: list[dict[str, Any]]) -> bool:
        """The relay's web channel: messages the bot or a supervisor starts. False when no
        browser has the session open now (the contact log keeps them)."""
        if not any(True for _ in self.sio.manager.get_participants("/", session_id)):
            return False
        await self.emit(session_id, messages, "")
        return True

    async def emit(self, session_id: str, replies: list[dict[str, Any]], base: str) -> None:
        for reply in replies:
            message = to_webchat(reply, base)
            if message is not None:
                await self.sio.emit("bot_uttered", message, room=session_id)


def to_webchat(reply: dict[str, Any], base: str) -> dict[str, Any] | None:
    """A Rasa REST message as rasa-webchat shows it: text, quick replies, image, calendar link."""
    calendar = (reply.get("custom") or {}).get("calendar")
    if calendar:
        return {"text": f"📅 [{escaped(calendar['reference'])}.ics]({base}{calendar['path']})"}
    message: dict[str, Any] = {"text": escaped(reply.get("text") or "")}
    buttons = [b for b in reply.get("buttons") or [] if b.get("payload") != LOCATION]
    if buttons:
        message["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
    if reply.get("image"):
        message["attachment"] = {"type": "image", "payload": {"src": reply["image"]}}
    if not message["text"] and len(message) == 1:
        return None
    return message


def escaped(text: str) -> str:
    """Bot and supervisor text shown literally by the widget's Markdown renderer: no links,
    emphasis or HTML made out of what a customer or supervisor wrote."""
    text = MARKDOWN.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;")


def public_base(request: web.Request | None) -> str:
    """The front door's address as the browser sees it (behind a proxy, from its headers),
    so links the widget shows (a booking's .ics) point back here, not at the dealer's site."""
    if request is None:
        return ""
    proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{proto}://{host}"
