"""One customer's data on request: export everything held about them, or erase the personal parts.

China's PIPL (arts. 45, 47) and the GDPR (arts. 15, 17, 20) give a customer the right to a copy
of their data and to its deletion. A dealer must still keep its business records (repair orders,
their line items and prices, appointments, complaint statistics), so erasure anonymises: the
records stay, everything that says who the customer is or what they wrote goes. What is kept and
why is in docs/privacy.md.

Also the contact log's retention (CONTACT_LOG_RETENTION_DAYS): older turns are deleted.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, inspect, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from aftersales.contact_log import PREFIX_OF_CHANNEL
from aftersales.models import (
    Appointment,
    Attachment,
    ChannelAccount,
    Complaint,
    ComplaintEvent,
    ContactLog,
    Customer,
    Escalation,
    Handoff,
    RepairOrder,
    ServiceCase,
    Survey,
    Vehicle,
    utcnow,
)
from aftersales.privacy import mask_phone
from aftersales.settings import VAR_DIR

log = logging.getLogger(__name__)

ERASED = "[erased]"


class NoSuchCustomer(LookupError):
    pass


# ---------------------------------------------------------------- finding the customer

def find_customer(session: Session, phone: str) -> Customer:
    """The customer with this phone (digits only; separators and a leading + are ignored)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    found = session.execute(select(Customer).where(Customer.phone == digits)).scalar() if digits else None
    if found is None:
        raise NoSuchCustomer(f"no customer with phone {mask_phone(digits)}")
    return found


def conversation_keys(session: Session, customer: Customer) -> list[str]:
    """The Rasa sender ids of every chat linked to the customer ('tg:123', 'web:abc')."""
    accounts = session.execute(select(ChannelAccount).where(ChannelAccount.customer_id == customer.id)).scalars()
    keys = {f"{PREFIX_OF_CHANNEL.get(a.channel, a.channel)}:{a.external_id}" for a in accounts}
    keys.update(session.execute(
        select(Complaint.conversation_key).where(Complaint.customer_id == customer.id,
                                                 Complaint.conversation_key.is_not(None))
    ).scalars())
    return sorted(keys - {erased_key(customer)})


def erased_key(customer: Customer) -> str:
    return f"erased:{customer.id}"


# ---------------------------------------------------------------- export

def export(session: Session, customer: Customer) -> dict:
    """Everything the service database holds about one customer, as plain JSON-able data."""
    keys = conversation_keys(session, customer)
    cid = customer.id
    return {
        "exported_at": _plain(utcnow()),
        "customer": _row(customer),
        "vehicles": [_row(v) for v in _all(session, select(Vehicle).where(Vehicle.customer_id == cid))],
        "channel_accounts": [_row(a) for a in _all(session, select(ChannelAccount).where(ChannelAccount.customer_id == cid))],
        "appointments": [_with(a, services=[s.service.code for s in a.services])
                         for a in _all(session, select(Appointment).where(Appointment.customer_id == cid))],
        "repair_orders": [_with(o, items=[_row(i) for i in o.items], events=[_row(e) for e in o.events])
                          for o in _all(session, select(RepairOrder).where(RepairOrder.customer_id == cid))],
        "complaints": [_with(c, events=[_row(e) for e in c.events])
                       for c in _all(session, select(Complaint).where(Complaint.customer_id == cid))],
        "surveys": [_row(s) for s in _all(session, select(Survey).where(Survey.customer_id == cid))],
        "service_cases": [_row(s) for s in _all(session, select(ServiceCase).where(_mine(ServiceCase, cid, keys)))],
        "attachments": [_row(a) for a in _all(session, select(Attachment).where(_mine(Attachment, cid, keys)))],
        "contact_log": [_row(e) for e in _all(session, select(ContactLog).where(_mine(ContactLog, cid, keys))
                                                        .order_by(ContactLog.at, ContactLog.id))],
    }


def _mine(model, customer_id: int, keys: list[str]):
    return or_(model.customer_id == customer_id, model.conversation_key.in_(keys))


def _all(session: Session, query) -> list:
    return list(session.execute(query).scalars())


def _row(obj) -> dict:
    return {column.key: _plain(getattr(obj, column.key)) for column in inspect(obj).mapper.column_attrs}


def _with(obj, **children) -> dict:
    return {**_row(obj), **children}


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


# ---------------------------------------------------------------- erasure

def erase(session: Session, customer: Customer, var_dir: Path | None = None) -> dict[str, int]:
    """Anonymises one customer: business records stay, who they are and what they wrote goes.

    Returns how many rows of each kind were touched (for the operator's record).
    """
    keys = conversation_keys(session, customer)
    cid, gone = customer.id, erased_key(customer)
    counts = {
        "contact_log": _delete(session, ContactLog, _mine(ContactLog, cid, keys)),
        "attachments": _delete_attachments(session, cid, keys, var_dir or VAR_DIR),
        "channel_accounts": _delete(session, ChannelAccount, ChannelAccount.customer_id == cid),
        "complaints": _update(session, Complaint, Complaint.customer_id == cid,
                              description=ERASED, desired_outcome=None, resolution=None, conversation_key=gone),
        "complaint_events": _update(session, ComplaintEvent, ComplaintEvent.complaint_id.in_(
            select(Complaint.id).where(Complaint.customer_id == cid)), detail=None),
        "surveys": _update(session, Survey, Survey.customer_id == cid, comment=None),
        "appointments": _update(session, Appointment, Appointment.customer_id == cid, note=None),
        "service_cases": _update(session, ServiceCase, _mine(ServiceCase, cid, keys),
                                 description=ERASED, conversation_key=gone),
        "escalations": _update(session, Escalation, or_(Escalation.customer_id == cid,
                                                        Escalation.conversation_key.in_(keys)), conversation_key=gone),
        "handoffs": _update(session, Handoff, Handoff.conversation_key.in_(keys), conversation_key=gone),
        "vehicles": _erase_plates(session, cid),
    }
    customer.name = ERASED
    customer.phone = None
    customer.reminders_opt_in = False
    customer.status_updates_opt_in = False
    customer.opted_out_at = customer.opted_out_at or utcnow()
    session.flush()
    return counts


def _delete(session: Session, model, where) -> int:
    return session.execute(delete(model).where(where).execution_options(synchronize_session=False)).rowcount


def _update(session: Session, model, where, **values) -> int:
    query = update(model).where(where).values(**values).execution_options(synchronize_session=False)
    return session.execute(query).rowcount


def _erase_plates(session: Session, customer_id: int) -> int:
    """The plate names the owner in the vehicle registry; the VIN stays with the car's service
    history (recalls and warranty follow the car, and without the customer it names nobody)."""
    vehicles = _all(session, select(Vehicle).where(Vehicle.customer_id == customer_id))
    for vehicle in vehicles:
        vehicle.plate = f"ERASED-{vehicle.id}"
    return len(vehicles)


def _delete_attachments(session: Session, customer_id: int, keys: list[str], var_dir: Path) -> int:
    rows = _all(session, select(Attachment).where(_mine(Attachment, customer_id, keys)))
    for row in rows:
        (var_dir / row.path).unlink(missing_ok=True)
        session.delete(row)
    return len(rows)


def erase_conversations(tracker_url: str, keys: list[str]) -> int:
    """Deletes the customer's conversations from Rasa's SQL tracker store (table `events`).

    Plain SQL on the table Rasa's SQLTrackerStore writes; no Rasa import (this is the core).
    """
    from sqlalchemy import MetaData, Table

    from aftersales.db import make_engine

    if not keys:
        return 0
    url = make_url(tracker_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return 0
    engine = make_engine(tracker_url)
    try:
        if not inspect(engine).has_table("events"):
            return 0
        events = Table("events", MetaData(), autoload_with=engine)
        with engine.begin() as connection:
            return connection.execute(delete(events).where(events.c.sender_id.in_(keys))).rowcount
    finally:
        engine.dispose()


# ---------------------------------------------------------------- contact-log retention

def contact_log_retention_days() -> int | None:
    """CONTACT_LOG_RETENTION_DAYS: turns older than this are deleted; unset or 0 keeps them."""
    value = os.environ.get("CONTACT_LOG_RETENTION_DAYS", "").strip()
    days = int(value) if value else 0
    return days if days > 0 else None


def purge_contact_log(session: Session, days: int, now: datetime | None = None) -> int:
    """Deletes contact-log turns older than `days`; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    return _delete(session, ContactLog, ContactLog.at < cutoff)


# ---------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    from aftersales.db import make_engine, make_sessionmaker, transaction

    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    engine = make_engine()
    try:
        with transaction(make_sessionmaker(engine)) as session:
            return _run(session, args)
    except NoSuchCustomer as missing:
        print(missing, file=sys.stderr)
        return 1
    finally:
        engine.dispose()


def _run(session: Session, args) -> int:
    if args.command == "purge-contact-log":
        days = args.days or contact_log_retention_days()
        if not days:
            print("CONTACT_LOG_RETENTION_DAYS is not set: nothing deleted", file=sys.stderr)
            return 1
        print(f"deleted {purge_contact_log(session, days)} contact-log turns older than {days} days")
        return 0
    customer = find_customer(session, args.phone)
    if args.command == "export":
        text = json.dumps(export(session, customer), ensure_ascii=False, indent=2)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            print(text)
        return 0
    keys = conversation_keys(session, customer)
    counts = erase(session, customer)
    counts["tracker_events"] = erase_conversations(args.tracker_url or _tracker_url(), keys)
    print(f"customer {customer.id} erased: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _tracker_url() -> str:
    """Where Rasa keeps conversations, by the same rule as bot/config.py."""
    from aftersales.settings import database_url

    explicit = os.environ.get("TRACKER_STORE_URL")
    if explicit:
        return explicit
    url = database_url()
    return url if url.startswith("postgresql") else f"sqlite:///{VAR_DIR / 'tracker.db'}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aftersales.data_rights", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("export", help="print (or --out FILE) one customer's data as JSON")
    out.add_argument("--phone", required=True)
    out.add_argument("--out")
    gone = commands.add_parser("erase", help="anonymise one customer (business records are kept)")
    gone.add_argument("--phone", required=True)
    gone.add_argument("--tracker-url", help="Rasa's tracker store (default: as the launcher sets it)")
    purge = commands.add_parser("purge-contact-log", help="delete contact-log turns past retention")
    purge.add_argument("--days", type=int, help="default: CONTACT_LOG_RETENTION_DAYS")
    return parser


if __name__ == "__main__":
    sys.exit(main())
