"""The training data, domain and config agree with each other and with the contract."""
from __future__ import annotations

import re
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


# Where a listed service word means something else (docs/nlu-labelling.md), or the span would cut
# a Jieba word (检测费): left unannotated on purpose.
NOT_A_SERVICE = {
    "is the camry ready for pickup yet",
    "i need my car by 5 for school pickup, will it be ready",
    "I was quoted one price by text and charged a different one at pickup, not ok",
    "检查完不修 检测费还要给吗",
    "检测费收了 毛病一个没查出来 这算什么",
    "凭什么收我检测费 你们又没修好",
    "一键启动提示未检测到钥匙",
}
# Both annotation forms: [text]{"entity": ..., "value": ...} and [text](entity).
ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def _service_words() -> set:
    data = yaml.safe_load((PROJECT_ROOT / "nlu" / "synonyms.yml").read_text())
    return {line.strip()[2:].lower() for block in data["nlu"] for line in block["examples"].splitlines()
            if line.strip()}


def _mention(word: str) -> str:
    """Chinese words anywhere; English ones as whole words ("battery", not "batteryless")."""
    return re.escape(word) if re.search(r"[\u4e00-\u9fff]", word) else rf"(?<![a-z]){re.escape(word)}(?![a-z])"


def _unannotated_service_words(text: str, words: set) -> set:
    plain = ANNOTATION.sub(lambda m: "#" * len(m.group(1)), text).lower()
    return {word for word in words if re.search(_mention(word), plain)}


def test_every_service_named_in_a_task_example_is_annotated():
    """Annotated here and not there, the extractor learns neither (docs/nlu-labelling.md)."""
    words, missing = _service_words(), []
    for path in sorted((PROJECT_ROOT / "nlu").glob("*/*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            if block.get("intent") in (None, "out_of_scope"):
                continue
            for line in block["examples"].splitlines():
                text = line.strip()[2:]
                found = _unannotated_service_words(text, words) if text not in NOT_A_SERVICE else set()
                if found:
                    missing.append(f"{path.parent.name}/{block['intent']}: {text}  ({', '.join(sorted(found))})")
    assert not missing, "\n".join(missing)
