"""Is a part in stock at a store: the parts table matched on the words customers use."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.models import Part, Store
from aftersales.language import folded


def find(session: Session, store: Store, text: str) -> list[Part]:
    """Parts of the store whose keywords occur in the text, longest keyword match first."""
    said = folded(text)
    scored = []
    for part in session.execute(select(Part).where(Part.store_id == store.id)).scalars():
        best = max((len(k) for k in part.keywords.lower().split() if k in said), default=0)
        if best:
            scored.append((best, part))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [part for score, part in sorted(scored, key=lambda s: -s[0]) if score == top]
