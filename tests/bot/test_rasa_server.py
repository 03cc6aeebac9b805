"""The launcher's Rasa server checks action server answers as strictly as stock Rasa does."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot import rasa_server


@pytest.fixture
def patched(monkeypatch):
    monkeypatch.setattr(jsonschema, "validate", jsonschema.validate)  # restored after the test
    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)
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


def test_events_are_read_back_as_their_own_classes(patched):
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("slot") is SlotSet
    assert isinstance(Event.from_parameters({"event": "action", "name": "action_listen"}), ActionExecuted)
    assert Event.resolve_by_type("topic") is None  # Rasa's backwards compatibility
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_the_answer_schema_is_checked_once_not_for_every_answer(patched, monkeypatch):
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)

    def checked_again(*args, **kwargs):
        raise AssertionError("the schema was checked against its meta-schema again for an answer")

    monkeypatch.setattr(validator_class, "check_schema", checked_again)  # what jsonschema.validate does first
    answer = {"events": [{"event": "slot", "name": "language", "value": "en"}], "responses": []}
    for _ in range(3):
        assert patched._validate_action_result(answer) is True


def test_event_classes_are_looked_up_in_a_table_not_by_walking_every_subclass(monkeypatch):
    from rasa.shared.utils import common

    walks = []
    walk = common.all_subclasses
    monkeypatch.setattr(common, "all_subclasses", lambda cls: (walks.append(cls) if cls is Event else None) or walk(cls))
    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)
    rasa_server.install()
    for _ in range(50):
        assert Event.resolve_by_type("user") is UserUttered
        assert Event.resolve_by_type("slot") is SlotSet
    assert len(walks) == 1
