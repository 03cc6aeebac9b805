"""A half-minute look at the training data, for whoever is writing examples.

Not the measurement (that is `make eval-nlu`, the real Rasa pipeline): the pipeline's linear model
(nlu/components/intent_features.py) without DIET, 5-fold cross-validated per language, which
tracks the real figures closely enough to show which intents are confused with
which, and near-duplicate examples (which make cross-validation flatter than real use).

    .venv/bin/python scripts/nlu_quickcheck.py [zh|en] [--show INTENT|all] [--dups]
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def load(language: str) -> tuple[list[str], list[str]]:
    """Plain example texts and their intents for one language."""
    texts, intents = [], []
    for path in sorted((ROOT / "nlu" / language).glob("*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                line = line.strip()
                if "intent" in block and line.startswith("- "):
                    texts.append(ANNOTATION.sub(r"\1", line[2:]))
                    intents.append(block["intent"])
    return texts, intents


def plain(text: str) -> str:
    from nlu.components.script import normalize

    return normalize(text)[0].lower()


def words(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(plain(text)) if w.strip()]


def text_and_words(texts: list[str]) -> list[tuple[str, list[str]]]:
    return [(plain(t), words(t)) for t in texts]


def model():
    """The pipeline's linear intent model (same features, same C), on Jieba words of the text."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from nlu.components.intent_features import classifier, features

    config = yaml.safe_load((ROOT / "config.yml").read_text())
    linear = next(c for c in config["pipeline"] if c["name"].endswith("LinearIntentClassifier"))
    return make_pipeline(FunctionTransformer(text_and_words), features(), classifier(linear["C"]))


def trigrams(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", plain(text))
    return {t[i:i + 3] for i in range(max(1, len(t) - 2))}


def near_duplicates(texts: list[str], intents: list[str], threshold: float = 0.8):
    """Pairs within one intent whose character trigrams overlap (Jaccard) at least threshold."""
    grams = [trigrams(t) for t in texts]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if intents[i] == intents[j] and grams[i] and grams[j]:
                overlap = len(grams[i] & grams[j]) / len(grams[i] | grams[j])
                if overlap >= threshold:
                    yield intents[i], texts[i], texts[j]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("languages", nargs="*", default=["zh", "en"])
    parser.add_argument("--show", help="print misclassified examples of this intent (or all)")
    parser.add_argument("--dups", action="store_true", help="list near-duplicate pairs")
    args = parser.parse_args()

    import jieba
    from sklearn.metrics import classification_report, f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    jieba.setLogLevel(60)
    jieba.load_userdict(str(ROOT / "nlu" / "dictionary" / "userdict.txt"))
    for language in args.languages:
        texts, intents = load(language)
        if args.dups:
            for intent, a, b in near_duplicates(texts, intents):
                print(f"near-duplicate {language} {intent}: {a!r} ~ {b!r}")
            continue
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        predicted = cross_val_predict(model(), texts, intents, cv=folds)
        print(f"{language}: {len(texts)} examples, intent macro-F1 "
              f"{f1_score(intents, predicted, average='macro'):.3f}")
        print(classification_report(intents, predicted, digits=3))
        confusions = Counter((a, b) for a, b in zip(intents, predicted) if a != b)
        for (a, b), n in confusions.most_common(20):
            print(f"  {n:3d} {a} -> {b}")
        for text, a, b in zip(texts, intents, predicted):
            if a != b and args.show in (a, b, "all"):
                print(f"    {a:>24} -> {b:<24} {text}")


if __name__ == "__main__":
    main()
