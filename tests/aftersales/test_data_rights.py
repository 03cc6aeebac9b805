"""A customer's data on request: a full export, an erasure that keeps the dealer's business
records, and the contact log's retention."""
from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales import appointments, attachments, complaints, contact_log, customers, data_rights
from aftersales.db import transaction
from aftersales.models import (
    Appointment,
    ChannelAccount,
    Complaint,
    ContactLog,
    Customer,
    RepairOrder,
    RepairOrderEvent,
    RepairOrderItem,
    Store,
    Survey,
    Vehicle,
)
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store

PHONE = "13812345678"
OTHER_PHONE = "13900001111"
VIN = "LSVAU2180N2123456"


def _customer_with_history(session, tmp_path, plate="粤B12345", phone=PHONE, key="tg:42", vin=VIN):
    """A customer who booked, had a repair, complained, answered a survey, sent a photo and chatted."""
    store = session.execute(select(Store)).scalar()
    vehicle = make_customer(session, plate, phone)
    vehicle.vin = vin
    customers.link(session, key, plate, phone, NOW)
    appointments.book(session, store=store, vehicle=vehicle, services=appointments.menu(session, store, ["minor_service"]),
                      start=local(24, 10), now=NOW, channel="telegram", note="请帮我看看右前轮")
    order = RepairOrder(reference=f"RO-20261123-{vehicle.id:04d}", store_id=store.id, customer_id=vehicle.customer_id,
                        vehicle_id=vehicle.id, status="delivered", opened_at=NOW - timedelta(days=2))
    order.items = [RepairOrderItem(kind="labour", description="更换刹车片", quantity=1, unit_cents=20000)]
    order.events = [RepairOrderEvent(status="received", at=NOW - timedelta(days=2), actor="李敏")]
    session.add(order)
    session.flush()
    complaint = complaints.file(session, store=store, customer=vehicle.owner, description=f"刹车还是响，我的电话{phone}",
                                category="repair_quality", now=NOW, channel="telegram", conversation_key=key,
                                desired_outcome="免费重修", repair_order_id=order.id)
    session.add(Survey(customer_id=vehicle.customer_id, repair_order_id=order.id, advisor_score=4,
                       comment="李师傅很好", sent_at=NOW, answered_at=NOW))
    path, digest = attachments.save_file(tmp_path, f"photo of {plate}".encode())
    attachments.attach_photo(session, key, path, digest, 12, "刹车盘", NOW)
    contact_log.record(session, key, "telegram", "in", "customer", f"我的车牌是{plate}", at=NOW)
    contact_log.record(session, key, "telegram", "out", "bot", "好的", at=NOW)
    session.flush()
    return vehicle.owner, complaint, order, tmp_path / path


def test_the_export_holds_everything_about_the_customer_and_nothing_of_others(sessions, tmp_path):
    with transaction(sessions) as session:
        make_store(session)
        customer, complaint, order, _ = _customer_with_history(session, tmp_path)
        _customer_with_history(session, tmp_path / "other", "粤A99999", OTHER_PHONE, "web:zzz", "LSVAU2180N2999999")
    with transaction(sessions) as session:
        data = data_rights.export(session, data_rights.find_customer(session, "138-1234-5678"))
    text = json.dumps(data, ensure_ascii=False)
    assert data["customer"]["phone"] == PHONE
    assert [v["plate"] for v in data["vehicles"]] == ["粤B12345"]
    assert [a["external_id"] for a in data["channel_accounts"]] == ["42"]
    assert data["appointments"][0]["note"] == "请帮我看看右前轮" and data["appointments"][0]["services"] == ["minor_service"]
    assert data["repair_orders"][0]["items"][0]["description"] == "更换刹车片"
    assert data["complaints"][0]["reference"] == complaint.reference
    assert [e["kind"] for e in data["complaints"][0]["events"]][:2] == ["created", "acknowledged"]
    assert data["surveys"][0]["comment"] == "李师傅很好"
    assert len(data["attachments"]) == 1
    assert [e["text"] for e in data["contact_log"]][-2:] == ["我的车牌是粤B12345", "好的"]
    assert OTHER_PHONE not in text and "粤A99999" not in text and "web:zzz" not in text


def test_erasure_removes_who_they_are_and_what_they_wrote_but_keeps_the_business_records(sessions, tmp_path):
    with transaction(sessions) as session:
        make_store(session)
        customer, complaint, order, photo = _customer_with_history(session, tmp_path)
        _customer_with_history(session, tmp_path, "粤A99999", OTHER_PHONE, "web:zzz", "LSVAU2180N2999999")
        customer_id = customer.id
    assert photo.exists()
    with transaction(sessions) as session:
        counts = data_rights.erase(session, data_rights.find_customer(session, PHONE), var_dir=tmp_path)
    assert counts["contact_log"] >= 2 and counts["channel_accounts"] == 1 and counts["complaints"] == 1
    with transaction(sessions) as session:
        with pytest.raises(data_rights.NoSuchCustomer):
            data_rights.find_customer(session, PHONE)
        erased = session.get(Customer, customer_id)
        dump = json.dumps(data_rights.export(session, erased), ensure_ascii=False)
        for personal in (PHONE, "张先生", "粤B12345", "tg:42", "请帮我看看右前轮", "刹车还是响", "免费重修", "李师傅很好"):
            assert personal not in dump, personal
        # The dealer's records stay: the repair order with its bill, the appointment, the complaint's figures.
        kept = session.execute(select(RepairOrder).where(RepairOrder.customer_id == customer_id)).scalar_one()
        assert [i.unit_cents for i in kept.items] == [20000]
        assert session.execute(select(Appointment.status).where(Appointment.customer_id == customer_id)).scalar() == "booked"
        assert session.execute(select(Complaint.category).where(Complaint.customer_id == customer_id)).scalar() == "repair_quality"
        assert session.execute(select(Survey.advisor_score).where(Survey.customer_id == customer_id)).scalar() == 4
        assert session.execute(select(Vehicle.vin).where(Vehicle.customer_id == customer_id)).scalar() == VIN
        assert erased.reminders_opt_in is False and erased.status_updates_opt_in is False
        # A new message from the old chat is a stranger's: nothing links it back.
        assert customers.customer_of(session, "tg:42") is None
        # The other customer is untouched.
        other = data_rights.find_customer(session, OTHER_PHONE)
        assert other.name == "张先生" and "我的车牌是粤A99999" in [e["text"] for e in data_rights.export(session, other)["contact_log"]]
    assert not photo.exists()


def test_the_erase_command_also_deletes_the_conversations_in_rasas_tracker_store(sessions, tmp_path, monkeypatch, db_url, capsys):
    with transaction(sessions) as session:
        make_store(session)
        _customer_with_history(session, tmp_path)
    tracker = tmp_path / "tracker.db"
    with sqlite3.connect(tracker) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
        db.executemany("INSERT INTO events (sender_id, data) VALUES (?, ?)",
                       [("tg:42", "我的车牌是粤B12345"), ("tg:42", "hi"), ("web:other", "hello")])
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setattr(data_rights, "VAR_DIR", tmp_path)
    assert data_rights.main(["erase", "--phone", PHONE, "--tracker-url", f"sqlite:///{tracker}"]) == 0
    assert "tracker_events 2" in capsys.readouterr().out
    with sqlite3.connect(tracker) as db:
        assert db.execute("SELECT sender_id FROM events").fetchall() == [("web:other",)]
    assert data_rights.main(["export", "--phone", PHONE]) == 1  # nobody has that phone any more


def test_the_export_command_writes_json_to_a_file(sessions, tmp_path, monkeypatch, db_url):
    with transaction(sessions) as session:
        make_store(session)
        _customer_with_history(session, tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "export.json"
    assert data_rights.main(["export", "--phone", PHONE, "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["customer"]["phone"] == PHONE


def test_contact_log_turns_past_retention_are_deleted_and_newer_ones_kept(sessions, monkeypatch):
    with transaction(sessions) as session:
        for days_ago in (400, 91, 89, 0):
            contact_log.record(session, "web:a", "web", "in", "customer", f"{days_ago} days ago",
                               at=NOW - timedelta(days=days_ago))
    monkeypatch.setenv("CONTACT_LOG_RETENTION_DAYS", "90")
    days = data_rights.contact_log_retention_days()
    with transaction(sessions) as session:
        assert data_rights.purge_contact_log(session, days, now=NOW) == 2
    with transaction(sessions) as session:
        assert [e.text for e in session.execute(select(ContactLog).order_by(ContactLog.at)).scalars()] == [
            "89 days ago", "0 days ago"]


@pytest.mark.parametrize("value, days", [("", None), ("0", None), ("30", 30)])
def test_retention_is_off_unless_set(monkeypatch, value, days):
    monkeypatch.setenv("CONTACT_LOG_RETENTION_DAYS", value)
    assert data_rights.contact_log_retention_days() == days


def test_channel_accounts_of_an_erased_customer_are_gone(sessions, tmp_path):
    with transaction(sessions) as session:
        make_store(session)
        customer, *_ = _customer_with_history(session, tmp_path)
        data_rights.erase(session, customer, var_dir=tmp_path)
        assert session.execute(select(ChannelAccount).where(ChannelAccount.external_id == "42")).scalar() is None


def test_the_front_doors_daily_job_applies_the_retention(sessions, monkeypatch):
    from bot import retention

    with transaction(sessions) as session:
        contact_log.record(session, "web:a", "web", "in", "customer", "old", at=NOW - timedelta(days=3650))
        contact_log.record(session, "web:a", "web", "in", "customer", "new")
    monkeypatch.delenv("CONTACT_LOG_RETENTION_DAYS", raising=False)
    assert retention.purge_once(sessions) == 0
    monkeypatch.setenv("CONTACT_LOG_RETENTION_DAYS", "365")
    assert retention.purge_once(sessions) == 1
    with transaction(sessions) as session:
        assert [e.text for e in session.execute(select(ContactLog)).scalars()] == ["new"]
