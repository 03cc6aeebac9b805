"""A customer's photo is kept once on disk and joins the complaint, else the repair order, open for them."""
from __future__ import annotations

from datetime import timedelta

from aftersales import attachments, complaints, contact_log, handoffs
from aftersales.db import transaction
from aftersales.models import RepairOrder
from tests.aftersales.small_dealer import NOW, make_customer, make_store

PHOTO = b"\xff\xd8\xff\xe0 a warning light \xff\xd9"


def test_the_same_photo_is_stored_once_under_uploads_named_by_its_hash(tmp_path):
    first = attachments.save_file(tmp_path, PHOTO)
    again = attachments.save_file(tmp_path, PHOTO)
    assert first == again
    path, digest = first
    assert path == f"uploads/{digest[:2]}/{digest}.jpg"
    assert (tmp_path / path).read_bytes() == PHOTO
    assert [p.name for p in (tmp_path / "uploads").rglob("*") if p.is_file()] == [f"{digest}.jpg"]


def test_a_photo_joins_the_open_complaint_and_its_timeline(sessions, tmp_path):
    path, digest = attachments.save_file(tmp_path, PHOTO)
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        order = _order(session, store, vehicle)
        complaint = complaints.file(session, store=store, customer=vehicle.owner, description="车门刮花了",
                                    category="repair_quality", now=NOW, channel="telegram",
                                    conversation_key="tg:7")
        stored = attachments.attach_photo(session, "tg:7", path, digest, len(PHOTO), "刮痕", NOW)
        assert stored.case_reference == complaint.reference
        assert stored.attachment.complaint_id == complaint.id and stored.attachment.repair_order_id is None
        reference = complaint.reference
    with transaction(sessions) as session:
        complaint = handoffs.complaint_by_reference(session, reference)
        assert complaint.events[-1].kind == "message_in" and path in complaint.events[-1].detail
        assert [a.path for a in attachments.of_complaint(session, complaint.id)] == [path]
        logged = contact_log.history(session, "tg:7")[-1]
        assert (logged.direction, logged.author) == ("in", "customer") and path in logged.text


def test_without_a_complaint_a_linked_customers_photo_joins_their_open_repair_order(sessions, tmp_path):
    from aftersales import customers

    path, digest = attachments.save_file(tmp_path, PHOTO)
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        _order(session, store, vehicle, status="delivered", reference="RO-20261120-0001", days_ago=3)
        order = _order(session, store, vehicle)
        customers.link_by_phone(session, "tg:7", "8613812345678", NOW)
        stored = attachments.attach_photo(session, "tg:7", path, digest, len(PHOTO), None, NOW)
        assert stored.case_reference == order.reference
        assert stored.attachment.customer_id == vehicle.owner.id


def test_a_stranger_photo_is_kept_and_logged_without_a_case(sessions, tmp_path):
    path, digest = attachments.save_file(tmp_path, PHOTO)
    with transaction(sessions) as session:
        stored = attachments.attach_photo(session, "web:abc", path, digest, len(PHOTO), None, NOW)
        assert stored.case_reference is None and stored.attachment.channel == "web"
        assert contact_log.history(session, "web:abc")[-1].text == f"[photo] {path}"


def _order(session, store, vehicle, status="in_repair", reference="RO-20261123-0001", days_ago=0):
    order = RepairOrder(reference=reference, store_id=store.id, customer_id=vehicle.owner.id,
                        vehicle_id=vehicle.id, status=status, opened_at=NOW - timedelta(days=days_ago))
    session.add(order)
    session.flush()
    return order
