"""Rasa's HTTP API is private: bound to this machine, or behind RASA_AUTH_TOKEN, which the
launcher hands to Rasa and the front door sends on the conversation endpoints."""
from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web

from bot import config, launcher
from bot.relay import Relay
from tests.bot.test_relay_faults import serving
from tests.e2e.stack import free_port


def test_rasa_on_another_interface_without_a_token_refuses_to_start(monkeypatch, caplog):
    monkeypatch.setenv("RASA_HOST", "0.0.0.0")
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    assert "RASA_AUTH_TOKEN" in config.rasa_exposure_problem()
    assert launcher.main() == 2  # before migrating, training or starting anything
    monkeypatch.setenv("RASA_AUTH_TOKEN", "s3cret")
    assert config.rasa_exposure_problem() is None
    monkeypatch.setenv("RASA_HOST", "127.0.0.1")
    monkeypatch.delenv("RASA_AUTH_TOKEN")
    assert config.rasa_exposure_problem() is None


def test_the_launcher_gives_rasa_the_token_and_checks_readiness_with_it(monkeypatch):
    monkeypatch.setenv("RASA_AUTH_TOKEN", "s3cret")
    rasa = next(kid for kid in launcher.children(Path("models/m.tar.gz")) if kid.name == "rasa server")
    assert rasa.command[-2:] == ["--auth-token", "s3cret"] and rasa.health_url.endswith("/status?token=s3cret")
    monkeypatch.delenv("RASA_AUTH_TOKEN")
    rasa = next(kid for kid in launcher.children(Path("models/m.tar.gz")) if kid.name == "rasa server")
    assert "--auth-token" not in rasa.command


def test_the_relay_sends_the_token_on_rasas_conversation_endpoints(sessions):
    port = free_port()

    async def tracker(request: web.Request) -> web.Response:
        if request.query.get("token") != "s3cret":
            return web.json_response({"reason": "NotAuthenticated"}, status=401)
        assert request.query.get("include_events") == "NONE"
        return web.json_response({"slots": {"language": "en"}})

    async def scenario(token):
        relay = Relay(f"http://127.0.0.1:{port}", sessions, timeout_s=5, auth_token=token)
        try:
            async with serving({"/conversations/{key}/tracker": tracker}, port):
                return await relay.conversation_language("web:a")
        finally:
            await relay.close()

    assert asyncio.run(scenario("s3cret")) == "en"
    assert asyncio.run(scenario(None)) is None  # refused without it
