"""References customers see are well-formed and never handed out twice."""
from __future__ import annotations

import threading
from datetime import date

from aftersales.db import transaction
from aftersales.references import (
    appointment_reference,
    complaint_reference,
    kind_of,
    repair_order_reference,
)


def test_references_count_up_per_day_and_year(sessions):
    with transaction(sessions) as session:
        first = appointment_reference(session, date(2026, 11, 24))
        second = appointment_reference(session, date(2026, 11, 24))
        other_day = appointment_reference(session, date(2026, 11, 25))
        order = repair_order_reference(session, date(2026, 11, 24))
        complaint = complaint_reference(session, 2026)
    assert (first, second, other_day) == ("AP-20261124-0001", "AP-20261124-0002", "AP-20261125-0001")
    assert order == "RO-20261124-0001"
    assert complaint == "CP-2026-00001"


def test_concurrent_transactions_never_share_a_number(sessions):
    numbers: list[str] = []
    errors: list[Exception] = []

    def take() -> None:
        try:
            for _ in range(5):
                with transaction(sessions) as session:
                    numbers.append(complaint_reference(session, 2026))
        except Exception as error:  # collected so the test reports it
            errors.append(error)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"CP-2026-{n:05d}" for n in range(1, 21)]


def test_kind_of_accepts_what_customers_type_back():
    assert kind_of(" ap-20261124-0001 ") == "AP"
    assert kind_of("RO-20261124-0001") == "RO"
    assert kind_of("CP-2026-00001") == "CP"
    assert kind_of("CP-2026-1") is None
    assert kind_of("XX-20261124-0001") is None
