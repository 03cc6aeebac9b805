"""What a described symptom probably is and how urgent: the dealer's symptom table, matched
on the phrases customers use; the dangerous ones open an urgent case for staff."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.language import folded
from aftersales.models import ServiceCase, Symptom

URGENCY_ORDER = {"stop": 0, "soon": 1, "routine": 2}


@dataclass(frozen=True)
class Match:
    symptom: Symptom
    hits: int


def match(session: Session, text: str) -> list[Match]:
    """Symptoms whose phrases occur in the text: most urgent first, then most phrases matched."""
    said = folded(text)
    found = []
    for symptom in session.execute(select(Symptom)).scalars():
        hits = sum(1 for phrase in symptom.keywords.split("|") if phrase.strip() and folded(phrase) in said)
        if hits:
            found.append(Match(symptom, hits))
    return sorted(found, key=lambda m: (URGENCY_ORDER[m.symptom.urgency], -m.hits))


def open_urgent_case(
    session: Session, conversation_key: str, description: str, customer_id: int | None, store_id: int | None
) -> ServiceCase:
    case = ServiceCase(kind="urgent_symptom", conversation_key=conversation_key, description=description[:2000],
                       customer_id=customer_id, store_id=store_id, urgent=True, status="open")
    session.add(case)
    session.flush()
    return case
