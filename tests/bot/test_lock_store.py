"""The lock store replicas share: one conversation's turns never run at once, whichever process
takes them, and nothing is left in Redis afterwards. Each thread stands for a Rasa replica with
its own Redis connection, as the processes of a scale-out have."""
from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot import config
from bot.lock_store import AtomicRedisLockStore
from tests.services import require_redis

pytestmark = pytest.mark.redis


def replica_store(redis_url: str) -> AtomicRedisLockStore:
    """The store as endpoints.yml builds it from what the launcher derives from REDIS_URL."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDIS_URL", redis_url)
        settings = config.lock_store_env()
    return AtomicRedisLockStore(EndpointConfig(
        url=settings["REDIS_HOST"], port=int(settings["REDIS_PORT"]), db=int(settings["REDIS_DB"]),
        password=settings["REDIS_PASSWORD"] or None, key_prefix="locktest"))


class Overlap:
    """Counts how many turns of one conversation are inside the lock at the same time."""

    def __init__(self) -> None:
        self.inside = self.most = self.turns = 0
        self.errors: list[str] = []
        self.guard = threading.Lock()

    def enter(self) -> None:
        with self.guard:
            self.inside += 1
            self.turns += 1
            self.most = max(self.most, self.inside)

    def leave(self) -> None:
        with self.guard:
            self.inside -= 1


def take_turns(store: AtomicRedisLockStore, conversation: str, turns: int, overlap: Overlap) -> None:
    async def turns_in_a_row() -> None:
        for _ in range(turns):
            async with store.lock(conversation, wait_time_in_seconds=0.001):
                overlap.enter()
                await asyncio.sleep(0.002)  # the turn's work; another replica must wait for it
                overlap.leave()

    try:
        asyncio.run(turns_in_a_row())
    except Exception as error:  # a LockError is a turn the customer would not get answered
        overlap.errors.append(repr(error))


def test_turns_of_one_conversation_from_four_replicas_run_one_at_a_time():
    redis_url = require_redis()
    conversation, overlap = uuid.uuid4().hex, Overlap()
    replicas = [threading.Thread(target=take_turns, args=(replica_store(redis_url), conversation, 30, overlap))
                for _ in range(4)]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(timeout=120)
    assert overlap.errors == []
    assert overlap.turns == 120
    assert overlap.most == 1
    store = replica_store(redis_url)
    assert not store.red.exists(store.key_prefix + conversation)  # the last turn removed the lock


def test_a_ticket_whose_holder_died_expires_and_the_next_turn_goes_ahead():
    store = replica_store(require_redis())
    conversation = uuid.uuid4().hex
    store.issue_ticket(conversation, lock_lifetime=0.2)  # a replica that crashed mid-turn
    overlap = Overlap()
    take_turns(store, conversation, 1, overlap)
    assert overlap.errors == [] and overlap.turns == 1
    assert not store.red.exists(store.key_prefix + conversation)


def test_the_lock_of_a_replica_that_died_leaves_redis_by_itself():
    store = replica_store(require_redis())
    conversation = uuid.uuid4().hex
    store.issue_ticket(conversation, lock_lifetime=0.2)  # and nobody writes in this chat again
    key = store.key_prefix + conversation
    assert 0 < store.red.pttl(key) <= 1300
    time.sleep(1.5)
    assert not store.red.exists(key)
