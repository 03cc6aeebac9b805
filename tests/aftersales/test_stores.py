"""What a customer reads about a store comes from the store's own data, in their language."""
from __future__ import annotations

from datetime import date, time

from aftersales.models import Holiday, OpeningHours, Store
from aftersales import stores
from aftersales.stores import describe


def _store() -> Store:
    store = Store(
        name="珠江汽车天河店", name_en="Pearl River Tianhe", address="广州市天河区", address_en="Tianhe, Guangzhou",
        phone="020-8888 6666", timezone="Asia/Shanghai",
    )
    store.opening_hours = [OpeningHours(weekday=d, opens=time(8, 30), closes=time(18)) for d in range(5)]
    store.opening_hours.append(OpeningHours(weekday=5, opens=time(9), closes=time(16)))
    store.holidays = [Holiday(day=date(2027, 1, 1), name="元旦", name_en="New Year's Day"),
                      Holiday(day=date(2027, 6, 1), name="端午节")]
    return store


def test_english_description_groups_days_with_the_same_hours():
    text = describe(_store(), "en", today=date(2026, 11, 23))
    assert "Pearl River Tianhe" in text and "020-8888 6666" in text
    assert "Mon-Fri 08:30-18:00, Sat 09:00-16:00, Sun closed" in text
    assert "Jan 01 (New Year's Day)" in text
    assert "端午" not in text  # more than 60 days away


def test_chinese_description():
    text = describe(_store(), "zh-Hans", today=date(2026, 11, 23))
    assert "周一至周五 08:30-18:00，周六 09:00-16:00，周日 休息" in text
    assert "1月1日（元旦）" in text


def test_the_store_for_a_customer_follows_plate_home_store_and_language(sessions):
    from tests.aftersales.small_dealer import make_store

    with sessions() as session, session.begin():
        china = make_store(session, code="CN1")
        usa = make_store(session, code="US1")
        usa.country = "US"
        both = [china, usa]
        assert stores.serving(both, "粤B12345", None) is china
        assert stores.serving(both, "7ABC123", None) is usa
        assert stores.serving(both, None, None) is None  # no hint: the customer chooses
        assert stores.serving(both, None, usa.id) is usa
        assert stores.likely(both, None, None, english=False) is china
        assert stores.likely(both, None, None, english=True) is usa
