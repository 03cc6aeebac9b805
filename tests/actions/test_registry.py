"""The action server can start: rasa_sdk registers every action, and they are the domain's."""
from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from aftersales.settings import PROJECT_ROOT


def test_the_action_server_registers_exactly_the_domains_custom_actions():
    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(executor.actions) == set(domain["actions"])
