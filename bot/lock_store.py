"""Rasa's Redis lock store, made safe for several Rasa replicas.

Rasa 3.6's RedisLockStore changes a conversation's ticket lock by reading it, changing it in
Python and writing it back. Two replicas issuing a ticket at the same moment read the same lock,
both take the same ticket number and both go ahead: their turns run at once and the tracker
store keeps only one of them. Here every change of a lock is one Redis transaction (WATCH the
key, read, change, MULTI/EXEC, retried when another replica changed the key meanwhile), a
lock left without tickets is deleted in that same transaction, and a lock whose tickets have all
expired leaves Redis by itself.

endpoints.yml selects it with `type: bot.lock_store.AtomicRedisLockStore`.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class AtomicRedisLockStore(RedisLockStore):
    """A RedisLockStore whose ticket issue, expiry and release are atomic across processes."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], Any]) -> Any:
        """Apply `change` to the conversation's lock in one transaction; return what it returns."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> Any:
            lock = self._read(pipe.get(key), conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.tickets:
                # The key lives as long as its last ticket (and a second more): a replica that
                # died holding one leaves nothing in Redis for good.
                expires = max(ticket.expires for ticket in lock.tickets) + 1
                pipe.set(key, lock.dumps(), pxat=int(expires * 1000))
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def _read(self, serialised: Optional[bytes], conversation_id: str) -> TicketLock:
        if serialised:
            return TicketLock.from_dict(json.loads(serialised))
        return self.create_lock(conversation_id)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Releasing the ticket deletes the lock when it was the last one, in the same transaction:
        # the base class checked for waiters and deleted in two more steps, and could delete a
        # ticket another replica had just issued.
        self.finish_serving(conversation_id, ticket_number)
