"""Adds a Traditional Chinese variant to every response of domain.yml that lacks one.

Responses are written in English (condition language=en) and Simplified Chinese (the
default variant). This converts the Simplified text and button titles with OpenCC (s2hk)
and inserts the result as the `language: zh-Hant` variant, keeping the file's comments and
layout. Existing zh-Hant variants are left alone, so a reviewed wording is never overwritten.

    python scripts/traditional_responses.py          # add what is missing
    python scripts/traditional_responses.py --check  # exit 1 if anything is missing
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

import opencc
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"


def _language_of(variant) -> str | None:
    for condition in variant.get("condition") or []:
        if condition.get("name") == "language":
            return condition.get("value")
    return None


def _traditional(variant, converter: opencc.OpenCC) -> CommentedMap:
    new = copy.deepcopy(variant)
    condition = CommentedSeq([CommentedMap(type="slot", name="language", value="zh-Hant")])
    condition.fa.set_flow_style()
    condition[0].fa.set_flow_style()
    new.insert(0, "condition", condition)
    new["text"] = converter.convert(variant["text"])
    for button in new.get("buttons") or []:
        button["title"] = converter.convert(button["title"])
    return new


def missing(responses) -> list[str]:
    return [
        name
        for name, variants in responses.items()
        if not any(_language_of(v) == "zh-Hant" for v in variants)
    ]


def main(argv: list[str]) -> int:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    domain = yaml.load(DOMAIN)
    responses = domain["responses"]
    todo = missing(responses)
    if "--check" in argv:
        for name in todo:
            print(f"{name}: no zh-Hant variant (run scripts/traditional_responses.py)")
        return 1 if todo else 0
    converter = opencc.OpenCC("s2hk.json")  # Hong Kong usage: the Guangzhou store's neighbours
    for name in todo:
        variants = responses[name]
        default = next(i for i, v in enumerate(variants) if not v.get("condition"))
        variants.insert(default, _traditional(variants[default], converter))
    yaml.dump(domain, DOMAIN)
    print(f"added zh-Hant variants to {len(todo)} responses")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
