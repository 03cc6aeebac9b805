"""`make run`: migrate, seed the demo dealer, train if needed, start the three processes.

It supervises the Rasa server, the action server and the front door: Ctrl-C or SIGTERM stops
all of them (each runs in its own process group, so nothing they started is left behind),
and if one of them dies the others are stopped too rather than left half-working.
"""
from __future__ import annotations

import http.client
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote
from dataclasses import dataclass, field
from pathlib import Path

from aftersales.migrate import upgrade
from aftersales.settings import PROJECT_ROOT, VAR_DIR
from bot.config import child_env, port, rasa_auth_token, rasa_exposure_problem, replicas, replicas_problem
from bot.training import ensure_model

log = logging.getLogger("launcher")
STARTUP_TIMEOUT_S = float(os.environ.get("STARTUP_TIMEOUT_S", 180))
STOP_TIMEOUT_S = 15
MAX_RESTARTS, RESTART_WINDOW_S = 3, 120  # a child that dies more often than this stops the product


@dataclass
class Child:
    name: str
    command: list[str]
    health_url: str
    process: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)  # monotonic times of recent restarts
    env: dict[str, str] = field(default_factory=dict)  # on top of the shared environment


def children(model: Path) -> list[Child]:
    """The action servers, the Rasa servers and the front door. Rasa replica i listens on
    RASA_PORT + i and calls action server i mod ACTIONS_REPLICAS (on ACTIONS_PORT + that)."""
    web_port = port("WEB_PORT")
    actions = [action_server(i) for i in range(replicas("ACTIONS_REPLICAS"))]
    servers = [rasa_server(i, model, actions[i % len(actions)])
               for i in range(replicas("RASA_REPLICAS"))]
    return actions + servers + [
        Child("front door", [sys.executable, "-m", "bot.frontdoor"], f"http://127.0.0.1:{web_port}/healthz"),
    ]


def _numbered(name: str, i: int) -> str:
    return name if i == 0 else f"{name} {i + 1}"


def action_server(i: int) -> Child:
    actions_port = port("ACTIONS_PORT") + i
    return Child(
        _numbered("action server", i),
        [str(Path(sys.executable).parent / "rasa"), "run", "actions", "--port", str(actions_port),
         "--actions", "actions"],
        f"http://127.0.0.1:{actions_port}/health",
    )


def rasa_server(i: int, model: Path, actions: Child) -> Child:
    rasa_port, token = port("RASA_PORT") + i, rasa_auth_token()
    return Child(
        _numbered("rasa server", i),
        [
            sys.executable, "-m", "bot.rasa_server", "run", "--model", str(model), "--enable-api",
            "--interface", os.environ.get("RASA_HOST", "127.0.0.1"), "--port", str(rasa_port),
            "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
        ] + (["--auth-token", token] if token else []),
        f"http://127.0.0.1:{rasa_port}/status" + (f"?token={quote(token)}" if token else ""),
        # One action server keeps ACTION_ENDPOINT_URL as configured (it may be on another host).
        env={"ACTION_ENDPOINT_URL": actions.health_url.rsplit("/", 1)[0] + "/webhook"}
        if replicas("ACTIONS_REPLICAS") > 1 else {},
    )


class Supervisor:
    def __init__(self, kids: list[Child], env: dict[str, str]):
        self.kids = kids
        self.env = env
        self.stopping = False

    def start(self) -> None:
        for kid in self.kids:
            self._spawn(kid)

    def _spawn(self, kid: Child) -> None:
        kid.process = subprocess.Popen(kid.command, cwd=PROJECT_ROOT, env={**self.env, **kid.env},
                                       start_new_session=True)
        log.info("started %s (pid %d)", kid.name, kid.process.pid)

    def restart(self, kid: Child) -> bool:
        """Starts a child that died again; False when it keeps dying (then everything stops).
        Nothing is lost meanwhile: conversations, forms and handoffs live in the databases."""
        now = time.monotonic()
        kid.restarts = [t for t in kid.restarts if now - t < RESTART_WINDOW_S] + [now]
        if len(kid.restarts) > MAX_RESTARTS:
            return False
        _signal_group(kid, signal.SIGKILL)  # what is left of its process group
        self._spawn(kid)
        return True

    def wait_until_ready(self) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        pending = list(self.kids)
        while pending and time.monotonic() < deadline and not self.stopping:
            if self.dead_child():
                return False
            pending = [kid for kid in pending if not answers(kid.health_url)]
            time.sleep(0.5)
        return not pending

    def dead_child(self) -> Child | None:
        return next((kid for kid in self.kids if kid.process and kid.process.poll() is not None), None)

    def stop(self) -> None:
        for kid in self.kids:
            _signal_group(kid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for kid in self.kids:
            try:
                kid.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in %d s: killing it", kid.name, STOP_TIMEOUT_S)
            _signal_group(kid, signal.SIGKILL)  # whatever is left of its group
            kid.process.wait()
        log.info("all processes stopped")


def _signal_group(kid: Child, sig: int) -> None:
    if kid.process is None:
        return
    try:
        os.killpg(kid.process.pid, sig)
    except ProcessLookupError:
        pass


def answers(url: str) -> bool:
    """Whether a health URL says 200. Anything else is "not yet": polling a port nobody listens
    on yet can even connect the probe to itself (Linux self-connect on an ephemeral port), and
    then it reads its own request back as the reply."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):
        return False


def prepare(env: dict[str, str]) -> Path:
    """Database at the newest schema, the demo dealer present, the model current."""
    from aftersales.db import make_engine, make_sessionmaker
    from aftersales.knowledge_load import load_all
    from aftersales.seed import seed_demo

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    upgrade()
    log.info("database ready")
    engine = make_engine()
    if seed_demo(make_sessionmaker(engine)):
        log.info("seeded the demo dealer")
    load_all(make_sessionmaker(engine))  # the dealer's edited data/knowledge files
    engine.dispose()
    return ensure_model(env)


def print_urls() -> None:
    rasa, web = port("RASA_PORT"), port("WEB_PORT")
    print(
        "\nDealer care bot is up:\n"
        f"  demo dealer page and chat     http://localhost:{web}/\n"
        f"  supervisor/workshop console   http://localhost:{web}/console\n"
        f"  Rasa REST webhook             http://localhost:{rasa}/webhooks/rest/webhook\n"
        f"  Rasa HTTP API (parse)         http://localhost:{rasa}/model/parse\n"
        f"  action server health          http://localhost:{port('ACTIONS_PORT')}/health\n"
        "  Telegram                      "
        + ("long polling" if os.environ.get("TELEGRAM_BOT_TOKEN") else "off (set TELEGRAM_BOT_TOKEN)")
        + "\n"
        f"Try: curl -s localhost:{rasa}/webhooks/rest/webhook -d '{{\"sender\":\"t1\",\"message\":\"你好\"}}'\n"
        "Stop with Ctrl-C.\n",
        flush=True,
    )


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", datefmt="%H:%M:%S")
    problem = rasa_exposure_problem() or replicas_problem()
    if problem:
        log.error(problem)
        return 2
    env = child_env()
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]  # migrate and seed the same database
    model = prepare(env)
    supervisor = Supervisor(children(model), env)

    def request_stop(signum, _frame):
        log.info("received %s: stopping", signal.Signals(signum).name)
        supervisor.stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    supervisor.start()
    status = 0
    if supervisor.wait_until_ready():
        print_urls()
        while not supervisor.stopping:
            dead = supervisor.dead_child()
            if dead:
                log.error("%s exited (code %s): restarting it", dead.name, dead.process.returncode)
                if not supervisor.restart(dead):
                    log.error("%s died %d times in %d s: stopping the others", dead.name, MAX_RESTARTS + 1,
                              RESTART_WINDOW_S)
                    status = 1
                    break
            time.sleep(0.5)
    elif not supervisor.stopping:
        log.error("not every process became ready within %.0f s", STARTUP_TIMEOUT_S)
        status = 1
    supervisor.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
