"""The service database unavailable (SQLite locked by another writer; PostgreSQL unreachable, its
connections cut) while a customer confirms a booking or files a complaint: a short outage is waited out and the booking is confirmed as saved;
a long one gets "nothing was saved" - never a confirmation of something lost - and the same
answer works once the database is back."""
from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

import actions.appointment_changes as changes
import actions.booking as booking
import actions.complaints as complaints_actions
import actions.context as context
import actions.prices as prices
from aftersales import customers
from aftersales.db import make_engine, make_sessionmaker, transaction
from aftersales.models import Appointment, Complaint
from tests.actions.conversation import Conversation, ent, time_entity
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store
from tests.e2e.stack import free_port
from tests.reliability import tally

pytestmark = pytest.mark.reliability


@pytest.fixture
def locked_db(engine, db_url, monkeypatch):
    """The actions on the test's database through something that can take it away: SQLite's
    write lock held by another connection (0.2 s busy timeout), or PostgreSQL behind a TCP proxy
    that can be closed (connections refused and cut, as when the server is stopped)."""
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_S", "0.2")
    url = make_url(db_url)
    proxy = None
    if url.get_backend_name() == "sqlite":
        outage = lambda seconds: Lock(url.database, seconds)  # noqa: E731
        quick = make_engine(db_url)
    else:
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        outage = proxy.down_for
        quick = make_engine(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    sessions = make_sessionmaker(quick)
    for module in (context, booking, changes, prices, complaints_actions):
        monkeypatch.setattr(module, "sessions", lambda: sessions)
    for module in (booking, changes, complaints_actions):
        monkeypatch.setattr(module, "now", lambda: NOW)
    with transaction(sessions) as session:
        make_store(session)
        make_customer(session, "粤B12345", "13812345678")
        customers.link(session, "web:known", "粤B12345", "13812345678", NOW)
    yield sessions, outage
    quick.dispose()
    if proxy is not None:
        proxy.close()


class Lock:
    """Another process's write transaction on the SQLite file, held for `seconds`."""

    def __init__(self, path: str, seconds: float):
        self.path, self.seconds = path, seconds
        self.taken, self.done = threading.Event(), threading.Event()

    def __enter__(self):
        threading.Thread(target=self._hold, daemon=True).start()
        assert self.taken.wait(5)
        return self

    def _hold(self):
        connection = sqlite3.connect(self.path, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        self.taken.set()
        time.sleep(self.seconds)
        connection.execute("ROLLBACK")
        connection.close()
        self.done.set()

    def released(self) -> None:
        assert self.done.wait(self.seconds + 5)

    def __exit__(self, *exc):
        return False


class TcpProxy:
    """PostgreSQL's port, forwarded; `down_for(s)` refuses and cuts connections for s seconds."""

    def __init__(self, host: str, port: int):
        self.target, self.port = (host, port), free_port()
        self.listener: socket.socket | None = None
        self.open_sockets: list[socket.socket] = []
        self.up()

    def up(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.open_sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def down(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        for sock in self.open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.open_sockets = []

    def close(self) -> None:
        self.down()

    def down_for(self, seconds: float) -> "Outage":
        return Outage(self, seconds)


class Outage:
    def __init__(self, proxy: TcpProxy, seconds: float):
        self.proxy, self.seconds, self.done = proxy, seconds, threading.Event()

    def __enter__(self):
        self.proxy.down()
        threading.Timer(self.seconds, self._back).start()
        return self

    def _back(self) -> None:
        self.proxy.up()
        self.done.set()

    def released(self) -> None:
        assert self.done.wait(self.seconds + 5)

    def __exit__(self, *exc):
        return False


def _up_to_confirmation() -> Conversation:
    chat = Conversation("web:known")
    chat.say("book_appointment", "我想明天上午10点给粤B12345做个小保养", [
        ent("service_type", "minor_service"), ent("plate_number", "粤B12345"), time_entity(local(24, 10).isoformat()),
    ], form="booking_form")
    return chat


def _booked(sessions) -> list[str]:
    with transaction(sessions) as session:
        return list(session.execute(select(Appointment.reference)).scalars())


def test_a_short_outage_is_waited_out_and_the_booking_is_saved_and_confirmed(locked_db):
    sessions, outage = locked_db
    chat = _up_to_confirmation()
    with outage(1.5):
        said = chat.texts(chat.say("affirm", "确认"))
    tally("database unavailable 1.5 s at a booking", faults=1, lost=int("预约成功" in said and not _booked(sessions)))
    assert "预约成功！预约号 AP-20261124-0001" in said
    assert _booked(sessions) == ["AP-20261124-0001"]


def test_a_long_outage_is_told_as_not_saved_and_the_same_answer_books_once_it_is_back(locked_db):
    sessions, outage = locked_db
    chat = _up_to_confirmation()
    with outage(6) as lock:
        said = chat.texts(chat.say("affirm", "确认"))
    lock.released()
    lost = int("预约成功" in said and not _booked(sessions))
    assert "系统刚才未能保存" in said and "预约成功" not in said
    assert _booked(sessions) == []
    again = chat.texts(chat.say("affirm", "确认"))
    tally("database unavailable 6 s at a booking", faults=1, lost=lost)
    assert "预约成功！预约号 AP-20261124-0001" in again and _booked(sessions) == ["AP-20261124-0001"]


def test_a_complaint_during_a_long_outage_is_not_confirmed_and_is_filed_when_told_again(locked_db):
    sessions, outage = locked_db
    chat = Conversation("web:known")
    chat.say("file_complaint", "上周在你们这做的保养，收费比报价多了300块", form="complaint_form")
    chat.say("affirm", "对")
    with outage(6) as lock:
        said = chat.texts(chat.say("inform", "把多收的钱退给我"))
    lock.released()
    with transaction(sessions) as session:
        filed = list(session.execute(select(Complaint.reference)).scalars())
    tally("database unavailable 6 s at a complaint", faults=1, lost=int("已记录您的投诉" in said and not filed))
    assert "已记录您的投诉" not in said and "系统刚才未能保存" in said and filed == []
    again = chat.texts(chat.say("inform", "把多收的钱退给我"))
    assert "已记录您的投诉，编号 CP-2026-00001" in again
