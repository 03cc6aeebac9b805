"""An emulated Telegram for end-to-end tests: the npm package telegram-test-api (4.2.1, run
with node from node_modules/) behind a small aiohttp shim, and a client that acts as Telegram
users.

The product is pointed at the shim exactly as it would be at a local Bot API server
(`TELEGRAM_API_BASE_URL=http://127.0.0.1:<shim>/bot`, see `TelegramEmulator.env`). The shim
passes every Bot API call to the emulator and bridges where telegram-test-api 4.2.1 and the
real Bot API (as python-telegram-bot 22 reads it) disagree; it never asks the bot to bend:

- getMe lacks `is_bot` (and the can_* fields): added.
- Messages the bot sends come back with `date` in milliseconds: turned into seconds.
- Callback queries lack `chat_instance`: added (the client below puts the pressed message's
  `message_id` and `date` in, as Telegram does).
- getUpdates answers at once (no long polling) and ignores `offset`: the shim holds updates
  until their offset is confirmed and waits up to `timeout` for new ones, as Telegram does.
- Not implemented by the emulator, answered by the shim: sendChatAction and the command menu
  (recorded, so tests can see them), sendDocument/sendPhoto (multipart uploads: stored as a
  bot message with a `document` and the bytes kept), getFile and file downloads (for photos a
  user sends), setWebhook/deleteWebhook (the shim delivers updates to the webhook with the
  secret-token header, which the emulator would leave out), editMessageReplyMarkup without a
  markup (the emulator ignores it; the shim records the keyboard as closed), editMessageText's
  answer (the emulator edits but answers `null`; the shim answers the edited message).
- Contact and photo messages pass through the emulator unchanged; it has no client helper
  for them, so the client builds them.

Use (tests/e2e/test_telegram.py has a module fixture doing this):

    with TelegramEmulator() as telegram:
        stack = Stack(var_dir, extra_env=telegram.env())
        stack.start()
        alice = TelegramUser(5001, "Alice")
        since = telegram.send_message(alice, alice.id, "你好")
        reply = telegram.wait_for(alice.id, lambda m: "您好" in m.text, since=since)
        telegram.press(alice, alice.id, reply.data_of("预约"))

A supervisor group is just a chat with a negative id: `send_message(boss, -100123, "...")`; a
supervisor answers a card with `send_message(boss, -100123, "...", reply_to=card)`.
"""
from __future__ import annotations

import asyncio
import copy
import html
import itertools
import json
import re
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable

import aiohttp
from aiohttp import web

from aftersales.settings import PROJECT_ROOT

DEFAULT_TOKEN = "123456789:TEST-telegram-test-api"
BOT_USER = {"id": 666, "is_bot": True, "first_name": "Test First name", "username": "TestNameBot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
EMULATOR_JS = """
const TelegramServer = require(process.argv[1]);
const server = new TelegramServer({port: Number(process.argv[2]), host: '127.0.0.1', storeTimeout: 3600});
server.start().then(() => console.log('telegram-test-api listening'));
process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
"""


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None

    def as_json(self) -> dict[str, Any]:
        user = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class BotMessage:
    """One message the bot sent to a chat, as a Telegram client would show it."""

    message_id: int
    chat_id: int
    text: str  # as the customer reads it (HTML parsed)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (title, callback data); [] once closed
    keyboard_closed: bool = False
    reply_keyboard: list[dict[str, Any]] = field(default_factory=list)  # e.g. {"text", "request_contact"}
    document: dict[str, Any] | None = None  # {"file_name", "content" (bytes)}
    parse_mode: str | None = None
    raw_text: str = ""  # as the bot sent it

    def data_of(self, title_part: str) -> str:
        """The callback data of the button whose title contains `title_part`."""
        found = [data for title, data in self.buttons if title_part in title]
        if not found:
            raise AssertionError(f"no button {title_part!r} in {self.buttons} of {self.text!r}")
        return found[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TelegramEmulator:
    def __init__(self, token: str = DEFAULT_TOKEN):
        self.token = token
        self.emulator_port = free_port()
        self.port = free_port()
        self._node: subprocess.Popen | None = None
        self._shim = _Shim(self)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._lock = threading.Lock()
        self._date_of: dict[int, int] = {}  # bot message id -> when the client saw it (seconds)
        self._files: dict[str, bytes] = {}
        self._file_ids = itertools.count(1)

    # Lifecycle -----------------------------------------------------------------------------

    def start(self, timeout_s: float = 30) -> "TelegramEmulator":
        package = PROJECT_ROOT / "node_modules" / "telegram-test-api"
        if not package.exists():
            raise RuntimeError("node_modules/telegram-test-api is missing: run `make install-test` (npm ci)")
        self._node = subprocess.Popen(
            ["node", "-e", EMULATOR_JS, str(package), str(self.emulator_port)], cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        _wait_for_port(self.emulator_port, timeout_s, self._node)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._shim.start(), self._loop).result(timeout_s)
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._shim.stop(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        if self._node is not None and self._node.poll() is None:
            self._node.terminate()
            try:
                self._node.wait(10)
            except subprocess.TimeoutExpired:
                self._node.kill()

    def __enter__(self) -> "TelegramEmulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def env(self) -> dict[str, str]:
        """What the product needs to talk to this Telegram (Stack(extra_env=...))."""
        return {"TELEGRAM_BOT_TOKEN": self.token, "TELEGRAM_API_BASE_URL": self.api_base_url}

    # Acting as users -------------------------------------------------------------------------

    def send_message(self, user: TelegramUser, chat_id: int, text: str | None = None,
                     reply_to: BotMessage | None = None, **fields: Any) -> int:
        """A message from `user` in `chat_id` (their private chat is their own id; a group's id
        is negative), optionally as a reply to one of the bot's messages. Returns the number of
        bot messages in the chat so far: pass it as `since` to wait for the answer."""
        since = len(self.bot_messages(chat_id))
        message = {"botToken": self.token, "from": user.as_json(), "chat": _chat(user, chat_id),
                   "date": int(time.time()), **fields}
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to.message_id, "date": self._date_of.get(reply_to.message_id, int(time.time())),
                "chat": _chat(user, chat_id), "from": BOT_USER, "text": reply_to.raw_text,
            }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        self._client_post("/sendMessage", message)
        return since

    def press(self, user: TelegramUser, chat_id: int, callback_data: str) -> int:
        """A press on the inline button carrying `callback_data` (in the newest bot message that
        has it). Returns the number of bot messages so far, like send_message."""
        messages = self.bot_messages(chat_id)
        carrier = next((m for m in reversed(messages) if any(d == callback_data for _, d in m.buttons)), None)
        if carrier is None:
            raise AssertionError(f"no open button {callback_data!r} in chat {chat_id}")
        message = {"message_id": carrier.message_id, "date": self._date_of.get(carrier.message_id, int(time.time())),
                   "chat": _chat(user, chat_id), "from": BOT_USER, "text": carrier.text}
        self._client_post("/sendCallback", {"botToken": self.token, "from": user.as_json(),
                                            "message": message, "data": callback_data})
        return len(messages)

    def share_contact(self, user: TelegramUser, chat_id: int, phone: str, contact_user_id: int | None = -1,
                      first_name: str | None = None) -> int:
        """A contact card. By default the user's own (Telegram fills in their user id); pass
        another contact_user_id (or None) for someone else's card."""
        contact = {"phone_number": phone, "first_name": first_name or user.first_name}
        owner = user.id if contact_user_id == -1 else contact_user_id
        if owner is not None:
            contact["user_id"] = owner
        return self.send_message(user, chat_id, contact=contact)

    def send_photo(self, user: TelegramUser, chat_id: int, data: bytes, caption: str | None = None,
                   thumbnail: bytes = b"\xff\xd8thumbnail\xff\xd9") -> int:
        """A photo as Telegram delivers it: several sizes, the largest last."""
        sizes = [self._photo_size(thumbnail, 90, 60), self._photo_size(data, 1280, 853)]
        fields: dict[str, Any] = {"photo": sizes}
        if caption:
            fields["caption"] = caption
        return self.send_message(user, chat_id, **fields)

    def _photo_size(self, data: bytes, width: int, height: int) -> dict[str, Any]:
        file_id = f"photo-{next(self._file_ids)}"
        with self._lock:
            self._files[file_id] = data
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": width, "height": height,
                "file_size": len(data)}

    def redeliver(self, update_id: int | None = None) -> int:
        """Delivers an update again with its update_id, as Telegram does when it could not
        confirm the first delivery. Default: the last update delivered. Returns its id."""
        return self._shim.redeliver(update_id)

    # What the bot did ----------------------------------------------------------------------

    def bot_messages(self, chat_id: int) -> list[BotMessage]:
        history = self._client_post("/getUpdatesHistory", {"token": self.token})["result"]
        messages = []
        for item in history:
            body = item.get("message") or {}
            if "chat_id" not in body or str(body["chat_id"]) != str(chat_id):
                continue
            self._date_of.setdefault(item["messageId"], int(item["time"] / 1000))
            messages.append(self._bot_message(item["messageId"], chat_id, body))
        return messages

    def _bot_message(self, message_id: int, chat_id: int, body: dict[str, Any]) -> BotMessage:
        markup = body.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        closed = self._shim.is_closed(chat_id, message_id)
        inline = [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]
        document = self._shim.documents.get(message_id)
        raw = body.get("text") or body.get("caption") or ""
        shown = html.unescape(re.sub(r"<[^>]+>", "", raw)) if body.get("parse_mode") == "HTML" else raw
        return BotMessage(
            message_id=message_id, chat_id=chat_id, text=shown, raw_text=raw,
            buttons=[] if closed else inline, keyboard_closed=closed and bool(inline),
            reply_keyboard=[b for row in markup.get("keyboard", []) for b in row],
            document=document, parse_mode=body.get("parse_mode"),
        )

    def wait_for(self, chat_id: int, predicate: Callable[[BotMessage], bool], timeout: float = 60,
                 since: int = 0) -> BotMessage:
        """The first bot message in the chat, from index `since`, for which predicate is true."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.bot_messages(chat_id)[since:]
            found = next((m for m in messages if predicate(m)), None)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no such message in chat {chat_id} within {timeout}s; got: "
                                     + json.dumps([m.text[:200] for m in messages], ensure_ascii=False))
            time.sleep(0.2)

    def wait_quiet(self, chat_id: int, quiet_s: float = 3.0, timeout: float = 60) -> list[BotMessage]:
        """All bot messages once the bot has sent nothing to the chat for `quiet_s` seconds."""
        deadline = time.monotonic() + timeout
        count, changed = -1, time.monotonic()
        while time.monotonic() < deadline:
            messages = self.bot_messages(chat_id)
            if len(messages) != count:
                count, changed = len(messages), time.monotonic()
            elif time.monotonic() - changed >= quiet_s:
                return messages
            time.sleep(0.2)
        raise AssertionError(f"chat {chat_id} did not go quiet within {timeout}s")

    def chat_actions(self, chat_id: int) -> list[str]:
        """The chat actions ("typing") the bot sent to the chat, in order."""
        with self._lock:
            return [action for chat, action in self._shim.chat_actions if chat == str(chat_id)]

    @property
    def commands(self) -> dict[str, list[dict[str, str]]]:
        """The command menus the bot set, by language code ("" for the default)."""
        with self._lock:
            return dict(self._shim.commands)

    def _client_post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.emulator_port}{path}", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def _chat(user: TelegramUser, chat_id: int) -> dict[str, Any]:
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": f"group {chat_id}"}
    return {"id": chat_id, "type": "private", "first_name": user.first_name}


def _wait_for_port(port: int, timeout_s: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("telegram-test-api exited:\n" + (process.stdout.read() if process.stdout else ""))
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"telegram-test-api did not listen on {port} within {timeout_s}s")


def _seconds(date: Any) -> int:
    date = int(date or time.time())
    return date // 1000 if date > 10**11 else date  # milliseconds from the emulator


class _Shim:
    """The aiohttp server python-telegram-bot talks to (see the module docstring)."""

    def __init__(self, owner: TelegramEmulator):
        self.owner = owner
        self.emulator = f"http://127.0.0.1:{owner.emulator_port}"
        self.pending: list[dict[str, Any]] = []  # updates handed out, not yet confirmed by offset
        self.replays: list[dict[str, Any]] = []
        self.delivered: dict[int, dict[str, Any]] = {}
        self.last_delivered: int | None = None
        self.chat_actions: list[tuple[str, str]] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.documents: dict[int, dict[str, Any]] = {}
        self.closed: set[tuple[str, int]] = set()
        self.webhook: dict[str, str] | None = None
        self._pusher: asyncio.Task | None = None
        self._http: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False

    async def start(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self.bot_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self.file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.owner.port).start()

    async def stop(self) -> None:
        self._closing = True  # long polls still open answer now
        await asyncio.sleep(0.3)
        if self._pusher is not None:
            self._pusher.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    def is_closed(self, chat_id: int, message_id: int) -> bool:
        with self.owner._lock:
            return (str(chat_id), message_id) in self.closed

    def redeliver(self, update_id: int | None) -> int:
        with self.owner._lock:
            update_id = update_id if update_id is not None else self.last_delivered
            if update_id not in self.delivered:
                raise AssertionError(f"update {update_id} was never delivered")
            self.replays.append(copy.deepcopy(self.delivered[update_id]))
        return update_id

    # Bot API ---------------------------------------------------------------------------------

    async def bot_method(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        params = await _params(request)
        special = getattr(self, f"_{method}", None)
        if special is not None:
            return web.json_response(await special(token, params))
        answer = await self._forward(token, method, params)
        return web.json_response(_patched(answer))

    async def _forward(self, token: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
        async with self._http.post(f"{self.emulator}/bot{token}/{method}", data=params) as response:
            return await response.json(content_type=None)

    async def _getMe(self, token, params):
        answer = await self._forward(token, "getMe", params)
        return {"ok": True, "result": {**answer["result"], **BOT_USER, "id": answer["result"]["id"]}}

    async def _sendChatAction(self, token, params):
        with self.owner._lock:
            self.chat_actions.append((str(params.get("chat_id")), str(params.get("action"))))
        return {"ok": True, "result": True}

    async def _setMyCommands(self, token, params):
        with self.owner._lock:
            self.commands[params.get("language_code") or ""] = json.loads(params.get("commands") or "[]")
        return {"ok": True, "result": True}

    async def _deleteMyCommands(self, token, params):
        with self.owner._lock:
            self.commands.pop(params.get("language_code") or "", None)
        return {"ok": True, "result": True}

    async def _answerCallbackQuery(self, token, params):
        await self._forward(token, "answerCallbackQuery", params)
        return {"ok": True, "result": True}

    async def _editMessageReplyMarkup(self, token, params):
        if not params.get("reply_markup"):
            with self.owner._lock:
                self.closed.add((str(params.get("chat_id")), int(params.get("message_id") or 0)))
        else:
            await self._forward(token, "editMessageReplyMarkup", params)
        return {"ok": True, "result": True}

    async def _editMessageText(self, token, params):
        """The emulator edits the text but answers `result: null`; Telegram answers the edited message."""
        await self._forward(token, "editMessageText", params)
        chat_id = int(params.get("chat_id") or 0)
        chat = {"id": chat_id, "type": "supergroup" if chat_id < 0 else "private"}
        return {"ok": True, "result": {"message_id": int(params.get("message_id") or 0), "date": int(time.time()),
                                       "chat": chat, "from": BOT_USER, "text": params.get("text") or ""}}

    async def _sendDocument(self, token, params):
        return await self._upload(token, params, "document")

    async def _sendPhoto(self, token, params):
        return await self._upload(token, params, "photo")

    async def _upload(self, token: str, params: dict[str, Any], kind: str) -> dict[str, Any]:
        upload = params.get(kind)
        content = upload.file.read() if isinstance(upload, web.FileField) else str(upload).encode()
        name = upload.filename if isinstance(upload, web.FileField) else "file"
        body = {"chat_id": params.get("chat_id"), "text": params.get("caption") or "",
                kind: {"file_name": name, "file_size": len(content)}}
        async with self._http.post(f"{self.emulator}/bot{token}/sendMessage", json=body) as response:
            answer = await response.json(content_type=None)
        message = _patched(answer)["result"]
        with self.owner._lock:
            self.documents[message["message_id"]] = {"file_name": name, "content": content}
        message[kind] = {"file_id": f"sent-{message['message_id']}", "file_unique_id": f"s{message['message_id']}",
                         "file_name": name, "file_size": len(content)}
        if kind == "photo":
            message["photo"] = [{**message["photo"], "width": 1, "height": 1}]
        return {"ok": True, "result": message}

    async def _getFile(self, token, params):
        file_id = str(params.get("file_id"))
        with self.owner._lock:
            data = self.owner._files.get(file_id)
        if data is None:
            return {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
        return {"ok": True, "result": {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                                       "file_size": len(data), "file_path": f"photos/{file_id}.jpg"}}

    async def file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1].removesuffix(".jpg")
        with self.owner._lock:
            data = self.owner._files.get(file_id)
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type="image/jpeg")

    async def _setWebhook(self, token, params):
        self.webhook = {"url": str(params["url"]), "secret": str(params.get("secret_token") or "")}
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push_to_webhook(token))
        return {"ok": True, "result": True, "description": "Webhook was set"}

    async def _deleteWebhook(self, token, params):
        self.webhook = None
        if self._pusher is not None:
            self._pusher.cancel()
        return {"ok": True, "result": True, "description": "Webhook was deleted"}

    async def _getWebhookInfo(self, token, params):
        return {"ok": True, "result": {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                                       "pending_update_count": len(self.pending)}}

    async def _getUpdates(self, token, params):
        """Long polling as Telegram does it: unconfirmed updates again, else wait for new ones."""
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 20)
        while True:
            await self._pull(token)
            with self.owner._lock:
                self.pending = [u for u in self.pending if u["update_id"] >= offset]
                batch, self.replays = self.pending + self.replays, []
            if batch or time.monotonic() >= deadline or self._closing:
                self._note_delivered(batch)
                return {"ok": True, "result": batch}
            await asyncio.sleep(0.1)

    async def _push_to_webhook(self, token: str) -> None:
        """Telegram's side of a webhook: POST each update with the secret token; retry on failure."""
        while self.webhook is not None:
            await self._pull(token)
            with self.owner._lock:
                batch, self.replays = self.pending + self.replays, []
            for update in batch:
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook["secret"]} if self.webhook["secret"] else {}
                try:
                    async with self._http.post(self.webhook["url"], json=update, headers=headers) as response:
                        delivered = response.status == 200
                except aiohttp.ClientError:
                    delivered = False
                if delivered:
                    self._note_delivered([update])
                    with self.owner._lock:
                        self.pending = [u for u in self.pending if u is not update]
            await asyncio.sleep(0.1)

    async def _pull(self, token: str) -> None:
        async with self._http.post(f"{self.emulator}/bot{token}/getUpdates", data={}) as response:
            fresh = (await response.json(content_type=None)).get("result") or []
        with self.owner._lock:
            self.pending.extend(_patched_update(u) for u in fresh)

    def _note_delivered(self, updates: list[dict[str, Any]]) -> None:
        with self.owner._lock:
            for update in updates:
                self.delivered[update["update_id"]] = copy.deepcopy(update)
                self.last_delivered = update["update_id"]


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    if request.method == "POST":
        return dict(await request.post())
    return dict(request.query)


def _patched(answer: dict[str, Any]) -> dict[str, Any]:
    """A message the emulator returns for the bot: date in seconds, sent by the bot."""
    result = answer.get("result")
    if isinstance(result, dict) and "message_id" in result:
        result["date"] = _seconds(result.get("date"))
        result.setdefault("from", BOT_USER)
    return answer


def _patched_update(update: dict[str, Any]) -> dict[str, Any]:
    """An update as Telegram would send it (see the module docstring)."""
    update = copy.deepcopy(update)
    message = update.get("message")
    if message is not None:
        message.pop("botToken", None)
        message["date"] = _seconds(message.get("date"))
    query = update.get("callback_query")
    if query is not None:
        pressed = query.get("message") or {}
        pressed.pop("botToken", None)
        pressed["date"] = _seconds(pressed.get("date"))
        query.setdefault("chat_instance", str((pressed.get("chat") or {}).get("id", "0")))
    return update
