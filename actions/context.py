"""What every action needs: the database session factory and the customer's language."""
from __future__ import annotations

import functools
import logging
import time
from abc import ABCMeta, abstractmethod
from functools import lru_cache
from typing import Any, Callable, Dict, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from aftersales import customers, outages
from aftersales.language import in_script
from aftersales.db import make_engine, make_sessionmaker, transaction

log = logging.getLogger(__name__)
DATABASE_RETRY_WAITS_S = (1.0, 2.0)


def saved_or_told(run: Callable) -> Callable:
    """For an Action.run that writes: a database that is locked or unreachable is tried again
    (twice, after 1 s and 2 s), each time from the start with a fresh dispatcher, so what the
    customer hears is only ever what was committed. If it still fails, the customer is told
    nothing was saved (never a confirmation of something lost) and the slots stay as they were,
    so the same answer can be given again."""
    return _with_database_retries(run, tell=True)


def asked_or_skipped(run: Callable) -> Callable:
    """For a form's question: the same retries; if they fail the question is skipped silently
    (the validation before it has already told the customer nothing was saved)."""
    return _with_database_retries(run, tell=False)


def _with_database_retries(run: Callable, tell: bool) -> Callable:
    @functools.wraps(run)
    def attempt(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        for waited in DATABASE_RETRY_WAITS_S + (None,):
            trial = CollectingDispatcher()
            try:
                events = run(self, trial, tracker, domain)
            except OperationalError as error:
                if waited is None:
                    log.error("%s: database unavailable, nothing saved: %s", self.name(), error.orig)
                    if tell:
                        lang = language(tracker)
                        dispatcher.utter_message(text=in_script(outages.not_saved(lang), lang))
                    return []
                log.warning("%s: database unavailable, trying again in %ss", self.name(), waited)
                time.sleep(waited)
                continue
            dispatcher.messages.extend(trial.messages)
            return events

    return attempt


@lru_cache(maxsize=1)
def sessions() -> sessionmaker:
    """One engine (and connection pool) per action-server process, from DATABASE_URL."""
    return make_sessionmaker(make_engine())


def language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "zh-Hans"


class CustomerAction(Action, metaclass=ABCMeta):
    """An action that answers one customer: it gets a session, the language and who is writing
    (None while the chat is not linked to a customer). Its transaction commits before Rasa
    sends what it said."""

    @saved_or_told
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        lang = language(tracker)
        with transaction(sessions()) as session:
            customer = customers.customer_of(session, tracker.sender_id)
            return self.answer(session, dispatcher, tracker, lang, customer) or []

    @abstractmethod
    def answer(self, session, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, customer):
        """What to say (and which events to return) for this customer."""
