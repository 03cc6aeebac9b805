"""The workshop from a terminal: list open orders, move one to its next stage, add a bill line.

    python -m aftersales.workshop_cli list [--store GZ-TH]
    python -m aftersales.workshop_cli advance RO-20261123-0001 in_repair [--note "..."] [--by liu]
    python -m aftersales.workshop_cli add-item RO-20261123-0001 --kind part --description "前刹车片" \\
        [--description-en "Front brake pads"] [--quantity 1] --price 680 [--needs-approval] [--by liu]

Prices are in the store's currency, major units (680 means ¥680.00), as in demo_data. `--by`
names the staff member (workshop, supervisor or admin) shown on the customer's timeline.
Same rules as the web console: they live in aftersales.workshop.
"""
from __future__ import annotations

import argparse
import sys

from sqlalchemy import select

from aftersales import clock, workshop
from aftersales.booking_text import money
from aftersales.db import make_engine, make_sessionmaker, transaction
from aftersales.models import Staff, Store, Vehicle
from aftersales.progress import stage_name
from aftersales.staff_auth import WORKSHOP_ROLES
from aftersales.vocab import ITEM_KINDS, REPAIR_STATUSES

DEFAULT_ACTOR = "workshop"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m aftersales.workshop_cli", description=__doc__.split("\n\n")[0])
    commands = top.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="open repair orders with stage and items")
    listing.add_argument("--store", help="store code, e.g. GZ-TH (default: every store)")
    move = commands.add_parser("advance", help="move an order to a stage")
    move.add_argument("order")
    move.add_argument("stage", choices=REPAIR_STATUSES)
    move.add_argument("--note")
    move.add_argument("--by", help="staff username")
    item = commands.add_parser("add-item", help="add a labour or parts line")
    item.add_argument("order")
    item.add_argument("--kind", choices=ITEM_KINDS, required=True)
    item.add_argument("--description", required=True)
    item.add_argument("--description-en")
    item.add_argument("--quantity", type=int, default=1)
    item.add_argument("--price", required=True, help="unit price in major units, e.g. 680 or 12.50")
    item.add_argument("--needs-approval", action="store_true", help="extra work the customer must approve")
    item.add_argument("--by", help="staff username")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    engine = make_engine()
    try:
        with transaction(make_sessionmaker(engine)) as session:
            if args.command == "list":
                print(listing(session, args.store))
            elif args.command == "advance":
                order = workshop.order_by_reference(session, args.order)
                workshop.advance(session, order, args.stage, actor(session, args.by), clock.now(), args.note)
                print(f"{order.reference}: {stage_name(order.status, 'en')} / {stage_name(order.status, 'zh-Hans')}")
            else:
                order = workshop.order_by_reference(session, args.order)
                item = workshop.add_item(session, order, args.kind, args.description, args.quantity,
                                         workshop.to_cents(args.price), args.needs_approval,
                                         actor(session, args.by), clock.now(), description_en=args.description_en)
                print(f"{order.reference}: added {item.kind} '{item.description}' x{item.quantity} "
                      f"({item.approval}); stage {order.status}")
    except workshop.WorkshopError as error:
        print(f"refused: {error.reason}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def actor(session, username: str | None) -> str:
    """The display name the customer's timeline shows for `--by`."""
    if not username:
        return DEFAULT_ACTOR
    staff = session.execute(
        select(Staff).where(Staff.username == username, Staff.active, Staff.role.in_(WORKSHOP_ROLES))
    ).scalar()
    if staff is None:
        raise ValueError(f"no active workshop staff member {username!r}")
    return staff.display_name


def listing(session, store_code: str | None) -> str:
    store_id = None
    if store_code:
        store = session.execute(select(Store).where(Store.code == store_code)).scalar()
        if store is None:
            raise ValueError(f"no store {store_code!r}")
        store_id = store.id
    lines = []
    for order in workshop.open_orders(session, store_id):
        store = session.get(Store, order.store_id)
        plate = session.get(Vehicle, order.vehicle_id).plate
        lines.append(f"{order.reference}  {plate}  {order.status}  -> {', '.join(workshop.next_stages(order))}")
        for item in order.items:
            lines.append(f"    {item.kind:<6} {item.description} x{item.quantity} "
                         f"{money(item.total_cents, store.currency)}  [{item.approval}]")
    return "\n".join(lines) or "no open repair orders"


if __name__ == "__main__":
    sys.exit(main())
