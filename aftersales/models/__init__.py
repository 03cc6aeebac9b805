"""All tables of the service database; importing this package registers them on Base.metadata."""
from aftersales.models.base import Base, UTCDateTime, utcnow
from aftersales.models.dealer import (
    DealerGroup,
    Holiday,
    OpeningHours,
    ServiceBay,
    ServiceType,
    Staff,
    Store,
)
from aftersales.models.customer import ChannelAccount, Customer, Vehicle
from aftersales.models.appointment import Appointment, AppointmentService, BayReservation, TransportDay
from aftersales.models.repair import RepairOrder, RepairOrderEvent, RepairOrderItem
from aftersales.models.complaint import Complaint, ComplaintEvent, Escalation, Handoff, Survey
from aftersales.models.contact import ContactLog, ReferenceCounter
from aftersales.models.console import LoginAttempt, StaffSession
from aftersales.models.knowledge import MaintenanceItem, Part, ServiceCase, Symptom, WarrantyPolicy
from aftersales.models.attachment import Attachment

__all__ = [
    "Base", "UTCDateTime", "utcnow",
    "DealerGroup", "Store", "OpeningHours", "Holiday", "ServiceBay", "ServiceType", "Staff",
    "Customer", "ChannelAccount", "Vehicle",
    "Appointment", "AppointmentService", "BayReservation", "TransportDay",
    "RepairOrder", "RepairOrderEvent", "RepairOrderItem",
    "Complaint", "ComplaintEvent", "Escalation", "Handoff", "Survey",
    "ContactLog", "ReferenceCounter",
    "StaffSession", "LoginAttempt",
    "MaintenanceItem", "WarrantyPolicy", "Part", "Symptom", "ServiceCase",
    "Attachment",
]
