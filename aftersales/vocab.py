"""Closed vocabularies of the service domain: statuses, categories and kinds.

The database enforces them with CHECK constraints and the code imports them from here, so a
value has one spelling everywhere.
"""

CHANNELS = ("telegram", "web", "phone", "console", "rest")
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
STAFF_ROLES = ("advisor", "supervisor", "workshop", "admin")

APPOINTMENT_STATUSES = ("booked", "checked_in", "completed", "cancelled", "no_show")
TRANSPORT_OPTIONS = ("wait", "drop_off", "pickup_delivery")

# The repair-order flow a customer sees, in order; "cancelled" stands outside it.
REPAIR_STAGES = (
    "received",
    "diagnosing",
    "awaiting_approval",
    "waiting_parts",
    "in_repair",
    "quality_check",
    "washing",
    "ready",
    "delivered",
)
REPAIR_STATUSES = REPAIR_STAGES + ("cancelled",)
ITEM_KINDS = ("labour", "part")
APPROVAL_STATES = ("not_needed", "pending", "approved", "declined")

COMPLAINT_CATEGORIES = (
    "advisor",
    "waiting_time",
    "repair_quality",
    "price",
    "facilities",
    "product_quality",
    "other",
)
COMPLAINT_SEVERITIES = ("low", "normal", "high")
COMPLAINT_STATUSES = ("new", "escalated", "taken", "resolved", "closed")
COMPLAINT_EVENTS = (
    "created",
    "acknowledged",
    "escalated",
    "taken",
    "released",
    "message_in",
    "message_out",
    "note",
    "resolved",
    "reopened",
    "closed",
    "survey",
)
ESCALATION_REASONS = (
    "customer_request",
    "rejected_resolution",
    "high_severity",
    "repeat",
    "misunderstanding",
    "sla_breach",
    "bot_unavailable",  # Rasa or the action server could not answer (bot/relay.py)
)

# CADA's five after-sales satisfaction dimensions.
SURVEY_DIMENSIONS = ("advisor", "service_time", "repair_quality", "price", "facilities")
CONTACT_DIRECTIONS = ("in", "out")
