"""Measure a change to the linear intent model as `make eval-nlu` would, in minutes, not half an hour.

`make eval-nlu` trains the whole NLU pipeline five times. A change to the linear model
(nlu/components/intent_features.py) does not change what DIET answers, so this script trains
the five folds of `make eval-nlu` once (`collect`, about 17 minutes) and keeps, for every
held-out example, DIET's ranking and the (text, words) the linear model was given. `score` then
refits the linear model of the working tree on each fold's training part, blends it with the
kept DIET rankings as LinearIntentClassifier does, applies the fallback, and prints intent
macro-F1 per language. On the tree of docs/decisions.md "eighth round" it gave zh 0.9522 /
en 0.9471 where `make eval-nlu` gave 0.9519 / 0.9465 (DIET's training is not repeatable to the
last digit, so differences under 0.1 of a point are noise).

Collect again after changing the examples, the tokenizer or DIET's settings.

`linear` needs no cache and suits changes to the examples: it tokenises every example with the
pipeline's own components (language detection, normalisation, Jieba with the domain dictionary),
splits them into the folds of `make eval-nlu` and scores the linear model alone with the fallback,
in about two minutes (five with --paired 3; the English sentence vectors take 45 s of it). The
blend scores within 0.1 of a point of the linear model alone (eighth round: 0.9521 / 0.9464
against 0.9512 / 0.9465 at DIET weight 0; twelfth round: 0.9531 / 0.9653 against 0.9523 / 0.9654).

    .venv/bin/python scripts/nlu_fold_cache.py collect
    .venv/bin/python scripts/nlu_fold_cache.py score [--weight 0.2] [--scale 5] [--threshold 0.4]
    .venv/bin/python scripts/nlu_fold_cache.py linear [--scale 5] [--threshold 0.4] [--seeds 5] [--paired 3]
"""
from __future__ import annotations

import argparse
import asyncio
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
CACHE = ROOT / "results" / "fold_cache"


def collect() -> None:
    """Train each fold of make eval-nlu; keep the linear model's inputs and DIET's rankings."""
    import eval_nlu
    from nlu.components import linear_intent

    kept = {"words": [], "diet": []}
    text_and_words, blend = linear_intent.text_and_words, linear_intent.LinearIntentClassifier.blend

    def keeping_words(message):
        kept["words"].append(text_and_words(message))
        return kept["words"][-1]

    def keeping_diet(self, linear, diet_ranking):
        kept["diet"].append({r["name"]: float(r["confidence"]) for r in diet_ranking})
        return blend(self, linear, diet_ranking)

    linear_intent.text_and_words, linear_intent.LinearIntentClassifier.blend = keeping_words, keeping_diet
    examples, synonyms = eval_nlu.load_examples()
    CACHE.mkdir(parents=True, exist_ok=True)
    for number, (train_index, test_index) in enumerate(eval_nlu.fold_splits(examples), start=1):
        started = time.monotonic()
        training = [examples[i] for i in train_index]
        held_out = [examples[i] for i in test_index]
        with tempfile.TemporaryDirectory() as tmp:
            model = eval_nlu.train_nlu(training, synonyms, Path(tmp))
            kept["words"].clear()
            kept["diet"].clear()
            asyncio.run(eval_nlu.parse_all(model, [m.get("text") for _, m in training + held_out]))
        words, diet = kept["words"], kept["diet"]
        fold = {
            "train": [(words[i], m.get("intent")) for i, (_, m) in enumerate(training)],
            "held_out": [(language, m.get("intent"), words[len(training) + i], diet[len(training) + i])
                         for i, (language, m) in enumerate(held_out)],
        }
        (CACHE / f"fold{number}.pkl").write_bytes(pickle.dumps(fold))
        print(f"  fold {number}/{eval_nlu.FOLDS}: kept in {time.monotonic() - started:.0f} s", flush=True)


def tokenised(examples) -> list:
    """The linear model's (text, words) for every example, from the pipeline's own components."""
    from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from nlu.components.linear_intent import text_and_words
    from nlu.components.preprocess import LanguageDetector, TextNormalizer

    config = {**JiebaTokenizer.get_default_config(), "dictionary_path": str(ROOT / "nlu" / "dictionary")}
    tokenizer = JiebaTokenizer.create(config, None, None, None)
    messages = [Message({TEXT: m.get("text")}) for _, m in examples]
    for component in (LanguageDetector(), TextNormalizer(), tokenizer):
        component.process(messages)
    return [text_and_words(message) for message in messages]


def linear_alone(scale: float, threshold: float, seeds: int, paired: int = 0) -> None:
    """Macro-F1 per language of the linear model alone, on the current examples and eval-nlu's folds.

    The folds are drawn over both languages at once, so adding any example reshuffles them all;
    with ``seeds`` > 1 the folds are also drawn with other seeds and the mean is printed too.
    With ``paired`` > 0, the mean over that many paired draws is printed as well: folds from a hash
    of each example, so an example keeps its fold when others are added or removed, and two trees
    are compared on the same folds (docs/decisions.md "eleventh round")."""
    import eval_nlu

    from nlu.components.linear_intent import build_model

    eval_nlu.AMBIGUITY = eval_nlu._fallback_setting("ambiguity_threshold", 0.1)
    examples, _ = eval_nlu.load_examples()
    words = tokenised(examples)
    runs = [_cross_validated(examples, words, eval_nlu.fold_splits(examples, seed), scale, threshold)
            for seed in [42] + list(range(1, seeds))]
    heading = f"linear model alone, scale {scale}, threshold {threshold}"
    print(f"{heading}, eval-nlu's folds: intent macro-F1 {_per_language(runs[0])}")
    if seeds > 1:
        mean = {language: sum(run[language] for run in runs) / seeds for language in runs[0]}
        print(f"{heading}, mean of {seeds} fold seeds: intent macro-F1 {_per_language(mean)}")
    if paired:
        draws = [_cross_validated(examples, words, paired_splits(examples, salt), scale, threshold)
                 for salt in range(paired)]
        mean = {language: sum(draw[language] for draw in draws) / paired for language in draws[0]}
        print(f"{heading}, mean of {paired} paired draws: intent macro-F1 {_per_language(mean)}")
    model = build_model(float(_linear_config()["C"]))
    model.fit(words, [m.get("intent") for _, m in examples])
    print("  held-out unrelated messages rejected: " + ", ".join(
        f"{language} {share:.1%}" for language, share in held_out_rejected(model, scale, threshold).items()))


def _per_language(figures: dict) -> str:
    return ", ".join(f"{language} {figure:.4f}" for language, figure in figures.items())


def paired_splits(examples, salt: int, folds: int = 5):
    """(train indices, held-out indices) of each fold, the fold of an example from a hash of it alone."""
    import zlib

    fold = [zlib.crc32(f"{salt}|{language}|{m.get('text')}".encode()) % folds for language, m in examples]
    for number in range(folds):
        yield ([i for i, f in enumerate(fold) if f != number], [i for i, f in enumerate(fold) if f == number])


def _cross_validated(examples, words, splits, scale: float, threshold: float) -> dict:
    from nlu.components.intent_features import confidences
    from nlu.components.linear_intent import build_model

    gold, predicted = {"zh": [], "en": []}, {"zh": [], "en": []}
    for train_index, test_index in splits:
        model = build_model(float(_linear_config()["C"]))
        model.fit([words[i] for i in train_index], [examples[i][1].get("intent") for i in train_index])
        scores = confidences(model.decision_function([words[i] for i in test_index]), scale)
        for i, row in zip(test_index, scores):
            gold[examples[i][0]].append(examples[i][1].get("intent"))
            predicted[examples[i][0]].append(_decided(model.classes_, row, threshold))
    return {language: macro_f1(gold[language], predicted[language]) for language in gold}


def held_out_rejected(model, scale: float, threshold: float) -> dict:
    """Share of tests/data/out_of_domain.yml the linear model alone (trained on every example) rejects."""
    import eval_nlu
    from rasa.shared.nlu.training_data.message import Message

    from nlu.components.intent_features import confidences

    shares = {}
    for language, texts in eval_nlu.unrelated_messages().items():
        held_out = tokenised([(language, Message({"text": text})) for text in texts])
        rows = confidences(model.decision_function(held_out), scale)
        decided = [_decided(model.classes_, row, threshold) for row in rows]
        shares[language] = sum(d in eval_nlu.REJECTED for d in decided) / len(decided)
    return shares


def _decided(names, row, threshold: float) -> str:
    """What the fallback makes of one message's linear confidences, as eval-nlu decides it."""
    import eval_nlu

    ranking = [{"name": name, "confidence": float(c)} for name, c in sorted(zip(names, row), key=lambda p: -p[1])]
    return eval_nlu.decide(eval_nlu.top_two({"intent_ranking": ranking}), threshold)


def score(weight: float, scale: float, threshold: float) -> None:
    """Macro-F1 per language of the working tree's linear model blended with the kept DIET rankings."""
    import eval_nlu
    from nlu.components.intent_features import confidences
    from nlu.components.linear_intent import LinearIntentClassifier, build_model

    eval_nlu.AMBIGUITY = eval_nlu._fallback_setting("ambiguity_threshold", 0.1)
    blender = LinearIntentClassifier({"diet_weight": weight}, None, None)
    gold, predicted = {"zh": [], "en": []}, {"zh": [], "en": []}
    paths = sorted(CACHE.glob("fold*.pkl"))
    if not paths:
        sys.exit("no folds kept yet: run `collect` first")
    for path in paths:
        fold = pickle.loads(path.read_bytes())
        model = build_model(float(_linear_config()["C"]))
        model.fit([words for words, _ in fold["train"]], [intent for _, intent in fold["train"]])
        scores = confidences(model.decision_function([h[2] for h in fold["held_out"]]), scale)
        for (language, intent, _, diet), row in zip(fold["held_out"], scores):
            ranking = blender.blend(dict(zip(model.classes_, row)),
                                    [{"name": n, "confidence": c} for n, c in diet.items()])
            gold[language].append(intent)
            predicted[language].append(eval_nlu.decide(eval_nlu.top_two({"intent_ranking": ranking}), threshold))
    figures = {language: macro_f1(gold[language], predicted[language]) for language in ("zh", "en")}
    print(f"{len(paths)} folds, DIET weight {weight}, scale {scale}, threshold {threshold}: intent macro-F1 "
          + _per_language(figures))


def macro_f1(gold: list, predicted: list) -> float:
    from sklearn.metrics import f1_score

    return f1_score(gold, predicted, average="macro", labels=sorted(set(gold)), zero_division=0)


def _linear_config() -> dict:
    """The LinearIntentClassifier's settings in config.yml, over the component's own defaults."""
    import yaml

    from nlu.components.linear_intent import LinearIntentClassifier

    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    configured = next(c for c in pipeline if c["name"].endswith("LinearIntentClassifier"))
    return {**LinearIntentClassifier.get_default_config(), **configured}


def main() -> None:
    import eval_nlu

    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["collect", "score", "linear"])
    linear = _linear_config()
    parser.add_argument("--weight", type=float, default=linear["diet_weight"])
    parser.add_argument("--scale", type=float, default=linear["margin_scale"])
    parser.add_argument("--threshold", type=float, default=eval_nlu._fallback_setting("threshold", 0.4))
    parser.add_argument("--seeds", type=int, default=1, help="linear: also average over this many fold seeds")
    parser.add_argument("--paired", type=int, default=0, help="linear: also average over this many paired draws")
    args = parser.parse_args()
    if args.command == "collect":
        collect()
    elif args.command == "linear":
        linear_alone(args.scale, args.threshold, args.seeds, args.paired)
    else:
        score(args.weight, args.scale, args.threshold)


if __name__ == "__main__":
    main()
