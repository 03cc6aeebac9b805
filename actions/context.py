"""What every action needs: the database session factory and the customer's language."""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from functools import lru_cache
from typing import Any, Dict, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import sessionmaker

from aftersales import customers
from aftersales.db import make_engine, make_sessionmaker, transaction


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

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        lang = language(tracker)
        with transaction(sessions()) as session:
            customer = customers.customer_of(session, tracker.sender_id)
            return self.answer(session, dispatcher, tracker, lang, customer) or []

    @abstractmethod
    def answer(self, session, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, customer):
        """What to say (and which events to return) for this customer."""
