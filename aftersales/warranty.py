"""Is the car still covered: the store's country's warranty terms applied to a vehicle."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.maintenance import add_months
from aftersales.models import Store, WarrantyPolicy


@dataclass(frozen=True)
class Period:
    ends_on: date
    km_limit: int
    days_left: int  # 0 when over
    km_left: int  # 0 when over

    @property
    def active(self) -> bool:
        return self.days_left > 0 and self.km_left > 0


def policy_for(session: Session, store: Store) -> WarrantyPolicy | None:
    return session.execute(select(WarrantyPolicy).where(WarrantyPolicy.country == store.country)).scalar()


def period(start: date, months: int, km_limit: int, mileage_km: int, today: date) -> Period:
    """Whichever comes first: the end date or the km limit."""
    ends = add_months(start, months)
    return Period(ends, km_limit, max(0, (ends - today).days), max(0, km_limit - mileage_km))


def coverage(policy: WarrantyPolicy, purchase_date: date, mileage_km: int, today: date) -> tuple[Period, Period]:
    """(三包 / basic period, 包修期 / repair or powertrain period) for one car."""
    return (
        period(purchase_date, policy.basic_months, policy.basic_km, mileage_km, today),
        period(purchase_date, policy.repair_months, policy.repair_km, mileage_km, today),
    )
