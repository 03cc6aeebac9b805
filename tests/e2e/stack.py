"""Starting the whole product (`python -m bot.launcher`) for a test, and looking at its processes."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from aftersales.settings import PROJECT_ROOT

STARTED = re.compile(r"started (.+) \(pid (\d+)\)")


def free_port(span: int = 1) -> int:
    """A port nobody listens on; with `span`, the ports after it are free too (for replicas)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            first = sock.getsockname()[1]
        if span == 1 or all(_bindable(first + k) for k in range(1, span)):
            return first


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Stack:
    """The launcher with its three processes, on free ports and a private var/ directory."""

    def __init__(self, var_dir: Path, extra_env: dict[str, str] | None = None, replicas: int = 1):
        self.ports = {name: free_port(replicas) for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT")}
        self.env = dict(os.environ, VAR_DIR=str(var_dir), **{k: str(v) for k, v in self.ports.items()})
        self.env.pop("DATABASE_URL", None)
        self.env.update(extra_env or {})
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 300) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.launcher"], cwd=PROJECT_ROOT, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if any("Dealer care bot is up" in line for line in self.lines):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        raise AssertionError("the stack did not come up:\n" + "".join(self.lines[-80:]))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def child_pids(self) -> list[int]:
        """Every process the launcher started, restarted ones included, oldest first."""
        return [int(match.group(2)) for match in map(STARTED.search, self.lines) if match]

    def children(self) -> dict[str, int]:
        """The launcher's processes by name ("rasa server 2" ...), as it last started them."""
        found = {}
        for line in self.lines:
            match = STARTED.search(line)
            if match:
                found[match.group(1)] = int(match.group(2))
        return found

    def stop(self, sig: int = signal.SIGINT, timeout_s: float = 60) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=timeout_s)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        for pgid in self.child_pids():
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log = Path(self.env["VAR_DIR"]) / "stack.log"  # what the processes said, to read after a failure
        log.write_text("".join(self.lines))

    def url(self, port_name: str, path: str, replica: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[port_name] + replica}{path}"


def post_json(url: str, body: dict, timeout_s: float = 60) -> object:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return json.loads(response.read())


def processes_in_groups(groups: list[int]) -> list[int]:
    """Live (not zombie) processes whose process group is one of `groups`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp in groups and state != "Z":
            found.append(int(entry.name))
    return found
