"""The Rasa server as the launcher starts it: Rasa's own command line, with the check of the
action server's answers made cheap.

Rasa 3.6 checks every answer of the action server with `jsonschema.validate(result, schema)`,
which first validates the schema itself against JSON Schema's 2020-12 meta-schema and builds a
new validator, on every action: about 40% of the Rasa server's CPU under load (measured with
py-spy, docs/performance.md). The schema never changes, so here it is checked once and its
validator kept; answers are validated exactly as before and a bad one raises the same error.

Likewise every event read from the tracker store looks its class up by walking all subclasses
of Event (5% of the CPU): the lookup is kept in a table, rebuilt when a name is not in it.
"""
from __future__ import annotations

import sys

import jsonschema
from jsonschema.exceptions import best_match


def install() -> None:
    _prepare_action_answer_validation()
    _table_of_event_types()


def _prepare_action_answer_validation() -> None:
    from rasa.core.actions.action import RemoteAction

    expected = RemoteAction.action_response_format_spec()
    cls = jsonschema.validators.validator_for(expected)
    cls.check_schema(expected)
    validator = cls(expected)
    plain_validate = jsonschema.validate

    def validate(instance, schema, *args, **kwargs):
        if args or kwargs or schema != expected:
            return plain_validate(instance, schema, *args, **kwargs)
        error = best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    jsonschema.validate = validate


def _table_of_event_types() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    walk_subclasses = Event.resolve_by_type
    table: dict = {}
    unknown: set = set()  # names the table was rebuilt for and still lacked ("topic")

    def resolve_by_type(type_name, default=None):
        if type_name not in table and type_name not in unknown:
            table.clear()  # an Event class defined since: rebuild once
            for cls in all_subclasses(Event):
                table.setdefault(cls.type_name, cls)  # the first match wins, as in Rasa
            if type_name not in table:
                unknown.add(type_name)
        return table.get(type_name) or walk_subclasses(type_name, default)  # Rasa's answer to a miss

    Event.resolve_by_type = staticmethod(resolve_by_type)


def main() -> int:
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
