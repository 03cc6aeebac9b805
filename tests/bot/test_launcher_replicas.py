"""RASA_REPLICAS / ACTIONS_REPLICAS: the launcher starts several servers only where they can
share conversations safely (Redis lock store, PostgreSQL tracker store)."""
from __future__ import annotations

from pathlib import Path

from bot import config, launcher


def test_replicas_need_redis_and_a_shared_tracker_store(monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("RASA_REPLICAS", "2")
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert "REDIS_URL" in config.replicas_problem()
    assert launcher.main() == 2  # refused before migrating, training or starting anything
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert "PostgreSQL" in config.replicas_problem()  # the embedded SQLite tracker store
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/x")
    assert config.replicas_problem() is None
    monkeypatch.setenv("RASA_REPLICAS", "1")
    monkeypatch.delenv("REDIS_URL")
    assert config.replicas_problem() is None


def test_each_rasa_replica_has_its_port_and_its_action_server(monkeypatch):
    for name, value in {"RASA_PORT": "6000", "ACTIONS_PORT": "6100", "RASA_REPLICAS": "2",
                        "ACTIONS_REPLICAS": "2"}.items():
        monkeypatch.setenv(name, value)
    kids = {kid.name: kid for kid in launcher.children(Path("models/m.tar.gz"))}
    assert set(kids) == {"action server", "action server 2", "rasa server", "rasa server 2", "front door"}
    assert kids["rasa server 2"].command[kids["rasa server 2"].command.index("--port") + 1] == "6001"
    assert kids["action server 2"].health_url == "http://127.0.0.1:6101/health"
    assert kids["rasa server"].env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:6100/webhook"
    assert kids["rasa server 2"].env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:6101/webhook"


def test_one_action_server_keeps_the_configured_endpoint(monkeypatch):
    monkeypatch.setenv("ACTIONS_REPLICAS", "1")
    monkeypatch.setenv("RASA_REPLICAS", "2")
    kids = [kid for kid in launcher.children(Path("models/m.tar.gz")) if kid.name.startswith("rasa server")]
    assert len(kids) == 2 and all(kid.env == {} for kid in kids)


def test_a_health_probe_that_reads_its_own_request_back_is_not_ready_and_does_not_crash_the_launcher():
    """Polling a port nobody listens on yet can connect the probe to itself (Linux self-connect
    on an ephemeral port): the "reply" is its own request line. CI once lost a launcher to it."""
    import socket
    import threading

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def echo_request_line() -> None:
            connection, _ = server.accept()
            with connection:
                connection.sendall(connection.recv(65536).split(b"\r\n")[0] + b"\r\n")

        threading.Thread(target=echo_request_line, daemon=True).start()
        assert launcher.answers(f"http://127.0.0.1:{server.getsockname()[1]}/status") is False
