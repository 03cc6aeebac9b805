"""The launcher's Rasa server checks action server answers as strictly as stock Rasa does."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_server


@pytest.fixture
def patched(monkeypatch):
    monkeypatch.setattr(jsonschema, "validate", jsonschema.validate)  # restored after the test
    rasa_server.install()
    return RemoteAction("action_book", None)


def test_a_good_answer_passes(patched):
    answer = {"events": [{"event": "slot", "name": "plate_number", "value": "粤A12345"}],
              "responses": [{"text": "好的"}]}
    assert patched._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", [
    {"events": [{"event": "slot", "name": 3}]},  # a slot's name is a string
    {"events": "not a list"},
    {"responses": [["not an object"]]},
])
def test_a_malformed_answer_is_refused_as_before(patched, answer):
    with pytest.raises(jsonschema.ValidationError) as caught:
        patched._validate_action_result(answer)
    assert "Failed to validate Action server response" in caught.value.message


def test_other_schemas_are_validated_by_jsonschema_itself(patched):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"a": 1}, {"type": "object", "properties": {"a": {"type": "string"}}})
