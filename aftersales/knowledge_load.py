"""Loads the dealer-edited knowledge files (data/knowledge/*.yml) into the service database.

The files are the source: each load makes the tables say exactly what the files say
(items removed from a file are removed from the table). `make seed` and `make run` load them;
the bot reads the tables on every question, so an edit needs no retraining.
"""
from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from aftersales.db import transaction
from aftersales.models import MaintenanceItem, Part, Store, Symptom, WarrantyPolicy
from aftersales.settings import PROJECT_ROOT

log = logging.getLogger(__name__)


def knowledge_dir() -> Path:
    return Path(os.environ.get("KNOWLEDGE_DIR", PROJECT_ROOT / "data" / "knowledge"))


def read(name: str, folder: Path | None = None) -> dict:
    return yaml.safe_load(((folder or knowledge_dir()) / f"{name}.yml").read_text(encoding="utf-8")) or {}


def load_all(sessions: sessionmaker, folder: Path | None = None) -> dict[str, int]:
    """Replaces the knowledge tables with the files' contents; returns what each now holds."""
    with transaction(sessions) as session:
        counts = {
            "maintenance items": load_maintenance(session, read("maintenance", folder)),
            "warranty policies": load_warranty(session, read("warranty", folder)),
            "symptoms": load_symptoms(session, read("symptoms", folder)),
            "parts": load_parts(session, read("parts", folder)),
        }
    log.info("knowledge loaded: %s", ", ".join(f"{n} {name}" for name, n in counts.items()))
    return counts


def load_maintenance(session: Session, data: dict) -> int:
    session.execute(delete(MaintenanceItem))
    items = data.get("items") or []
    for item in items:
        session.add(MaintenanceItem(
            code=item["code"], model_family=item.get("model_family"), name=item["name"],
            name_en=item["name_en"], km_interval=item.get("km"), month_interval=item.get("months"),
            service_code=item.get("service"), note=item.get("note"), note_en=item.get("note_en"),
        ))
    return len(items)


def load_warranty(session: Session, data: dict) -> int:
    session.execute(delete(WarrantyPolicy))
    policies = data.get("policies") or []
    for policy in policies:
        session.add(WarrantyPolicy(
            country=policy["country"], name=policy["name"], name_en=policy["name_en"],
            basic_months=policy["basic"]["months"], basic_km=policy["basic"]["km"],
            repair_months=policy["repair"]["months"], repair_km=policy["repair"]["km"],
            facts="\n".join(policy["facts"]), facts_en="\n".join(policy["facts_en"]),
        ))
    return len(policies)


def load_symptoms(session: Session, data: dict) -> int:
    session.execute(delete(Symptom))
    symptoms = data.get("symptoms") or []
    for symptom in symptoms:
        session.add(Symptom(
            code=symptom["code"], keywords=symptom["keywords"], name=symptom["name"],
            name_en=symptom["name_en"], causes=symptom["causes"], causes_en=symptom["causes_en"],
            urgency=symptom["urgency"], service_code=symptom.get("service", "diagnosis"),
        ))
    return len(symptoms)


def load_parts(session: Session, data: dict) -> int:
    stores = {s.code: s for s in session.execute(select(Store)).scalars()}
    session.execute(delete(Part))
    count = 0
    for code, parts in (data.get("parts") or {}).items():
        if code not in stores:
            log.warning("parts for unknown store %s skipped", code)
            continue
        for part in parts:
            session.add(Part(
                store_id=stores[code].id, part_number=part["number"], name=part["name"],
                name_en=part["name_en"], keywords=part["keywords"], price_cents=round(part["price"] * 100),
                quantity=part.get("quantity", 0), expected_on=_date(part.get("expected_on")),
            ))
            count += 1
    return count


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def main() -> None:
    from aftersales.db import make_engine, make_sessionmaker

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    engine = make_engine()
    try:
        load_all(make_sessionmaker(engine))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
