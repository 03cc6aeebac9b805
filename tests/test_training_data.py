"""The training data, domain and config agree with each other and with the contract."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from aftersales.settings import PROJECT_ROOT

CONTRACT_INTENTS = {
    "greet", "goodbye", "affirm", "deny", "thank", "bot_challenge", "help", "stop",
    "request_human", "book_appointment", "reschedule_appointment", "cancel_appointment",
    "check_appointment", "ask_maintenance", "ask_warranty", "ask_price", "ask_parts",
    "report_symptom", "file_complaint", "check_complaint", "check_repair_progress",
    "ask_dealer_info", "inform", "out_of_scope",
}
CONTRACT_ENTITIES = {
    "plate_number", "vin", "phone", "mileage", "order_id", "ticket_id", "service_type", "time",
}


def _domain() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


def test_rasa_data_validate_is_clean():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("rasa")), "data", "validate", "--fail-on-warnings",
         "--domain", "domain.yml", "--data", "nlu", "--config", "config.yml"],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_contract_intents_and_entities_are_in_the_domain():
    domain = _domain()
    assert CONTRACT_INTENTS <= set(domain["intents"])
    assert CONTRACT_ENTITIES <= set(domain["entities"])


def test_every_contract_intent_has_training_examples_in_both_languages():
    for language in ("zh", "en"):
        for intent in CONTRACT_INTENTS:
            data = yaml.safe_load((PROJECT_ROOT / "nlu" / language / f"{intent}.yml").read_text())
            examples = [line for block in data["nlu"] for line in block["examples"].splitlines() if line.strip()]
            assert len(examples) >= 40, f"{language}/{intent}: {len(examples)} examples"


def test_every_response_speaks_english_simplified_and_traditional():
    for name, variants in _domain()["responses"].items():
        languages = {
            next((c["value"] for c in v.get("condition") or [] if c["name"] == "language"), "default")
            for v in variants
        }
        assert {"en", "zh-Hant", "default"} <= languages, name
