"""The dealer's knowledge files as the bot applies them: due items, warranty left, triage, stock."""
from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from sqlalchemy import select

from aftersales import maintenance, parts_stock, triage, warranty
from aftersales.db import transaction
from aftersales.knowledge_load import knowledge_dir, load_all
from aftersales.models import Store, Symptom, Vehicle, WarrantyPolicy
from tests.aftersales.small_dealer import make_store

TODAY = date(2026, 11, 23)


@pytest.fixture
def loaded(sessions):
    with transaction(sessions) as session:
        make_store(session, code="GZ-TH")
    load_all(sessions)
    with transaction(sessions) as session:
        yield session


def codes(items):
    return sorted(i.code for i in items)


@pytest.mark.parametrize("km, expected", [
    (5000, []),
    (10000, ["engine_oil", "tyre_rotation"]),
    (30000, ["engine_oil", "tyre_rotation"]),
    (29500, ["engine_oil", "tyre_rotation"]),
    (40000, ["air_filter", "brake_pads_check", "cabin_filter", "engine_oil", "tyre_rotation"]),
    (60000, ["air_filter", "brake_pads_check", "cabin_filter", "engine_oil", "spark_plugs",
             "transmission_fluid", "tyre_rotation"]),
    (100000, ["air_filter", "brake_pads_check", "cabin_filter", "coolant", "engine_oil", "tyre_rotation"]),
])
def test_items_due_at_a_mileage(loaded, km, expected):
    assert codes(maintenance.due_at_km(maintenance.schedule(loaded), km)) == expected


def test_time_only_items_are_told_apart(loaded):
    assert codes(maintenance.time_only(maintenance.schedule(loaded))) == ["battery_check", "brake_fluid"]


def test_a_model_familys_own_intervals_replace_the_default(loaded):
    camry = {i.code: i for i in maintenance.schedule(loaded, "Camry")}
    assert camry["engine_oil"].km_interval == 5000 and camry["air_filter"].km_interval == 20000
    ev = codes(maintenance.schedule(loaded, "Model 3"))
    assert "engine_oil" not in ev and "spark_plugs" not in ev and "transmission_fluid" in ev


def test_the_next_visit_comes_from_the_cars_history_and_its_daily_distance():
    vehicle = Vehicle(purchase_date=date(2024, 11, 23), mileage_km=20000, mileage_recorded_on=date(2026, 5, 23),
                      last_service_date=date(2026, 5, 23), last_service_km=20000)
    assert maintenance.km_per_day(vehicle) == pytest.approx(20000 / 546)
    assert maintenance.estimated_km(vehicle, TODAY) == 26739


def test_the_next_visit_lists_the_soonest_items(loaded):
    vehicle = Vehicle(purchase_date=date(2024, 11, 23), mileage_km=20000, mileage_recorded_on=date(2026, 5, 23),
                      last_service_date=date(2026, 5, 23), last_service_km=20000)
    visit = maintenance.next_visit(vehicle, maintenance.schedule(loaded), TODAY)
    assert codes(d.item for d in visit) == ["engine_oil", "tyre_rotation"]
    assert visit[0].at_km == 30000 and visit[0].on == date(2027, 2, 20)


@pytest.mark.parametrize("bought, km, basic_days, basic_km, repair_active", [
    (date(2025, 1, 10), 30000, 48, 20000, True),
    (date(2025, 1, 10), 55000, 48, 0, True),  # 三包 over by mileage, 包修 still on
    (date(2023, 6, 1), 20000, 0, 30000, False),  # both over by time
])
def test_warranty_left_for_a_car(loaded, bought, km, basic_days, basic_km, repair_active):
    policy = loaded.execute(select(WarrantyPolicy).where(WarrantyPolicy.country == "CN")).scalar_one()
    basic, repair = warranty.coverage(policy, bought, km, TODAY)
    assert (basic.days_left, basic.km_left) == (basic_days, basic_km)
    assert basic.active == (basic_days > 0 and basic_km > 0) and repair.active == repair_active


@pytest.mark.parametrize("said, code, urgency", [
    ("刹车有异响", "brake_squeal", "soon"),
    ("剎車有異響怎麼辦", "brake_squeal", "soon"),
    ("发动机故障灯一直闪", "engine_light_flashing", "stop"),
    ("发动机故障灯亮了", "engine_light_steady", "routine"),
    ("空调不制冷", "ac_not_cold", "routine"),
    ("car won't start, clicking", "no_start_clicking", "soon"),
    ("my brakes feel spongy and the pedal goes to the floor", "brake_failure", "stop"),
    ("temp gauge high and steam from the hood", "overheating", "stop"),
    ("车里有股汽油味", "fuel_smell", "stop"),
    ("方向盘突然变重打不动", "steering_failure", "stop"),
    ("仪表显示动力电池故障", "ev_battery_warning", "stop"),
    ("AC blowing warm air", "ac_not_cold", "routine"),
])
def test_a_symptom_is_matched_with_its_urgency(loaded, said, code, urgency):
    first = triage.match(loaded, said)[0].symptom
    assert (first.code, first.urgency) == (code, urgency)


def test_at_least_25_symptoms_in_both_languages(loaded):
    symptoms = loaded.execute(select(Symptom)).scalars().all()
    assert len(symptoms) >= 25
    for symptom in symptoms:
        phrases = symptom.keywords.split("|")
        assert any(re.search(r"[\u4e00-\u9fff]", p) for p in phrases), symptom.code
        assert any(re.fullmatch(r"[a-z0-9 ',./-]+", p) for p in phrases), symptom.code


def test_nothing_matches_small_talk(loaded):
    assert triage.match(loaded, "你好，请问几点开门") == []


def test_part_stock_and_expected_arrival(loaded):
    store = loaded.execute(select(Store).where(Store.code == "GZ-TH")).scalar_one()
    [rear] = parts_stock.find(loaded, store, "后刹车片有货吗")
    assert rear.quantity == 0 and rear.expected_on == date(2026, 12, 1)
    [plugs] = parts_stock.find(loaded, store, "do you have spark plugs")
    assert plugs.quantity == 32 and plugs.price_cents == 12000


def test_an_edited_file_changes_the_schedule_without_anything_else(sessions, tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    text = (folder / "maintenance.yml").read_text().replace(
        "name_en: Engine oil and filter, km: 10000", "name_en: Engine oil and filter, km: 7500")
    (folder / "maintenance.yml").write_text(text)
    load_all(sessions, folder)
    with transaction(sessions) as session:
        oil = {i.code: i for i in maintenance.schedule(session)}["engine_oil"]
        assert oil.km_interval == 7500
