"""How the linear model and DIET should be blended: one fold of the real pipeline, tabulated.

Trains the NLU pipeline (config.yml) on four fifths of the examples (the first fold of
`make eval-nlu`), parses the held-out fifth and the held-out unrelated messages, and keeps each
message's linear and DIET rankings apart. It then prints intent macro-F1 per language and the
share of unrelated messages rejected for several DIET weights, margin scales and fallback
thresholds, without training again. About five minutes; the figures behind `diet_weight` and
`margin_scale` in config.yml (docs/decisions.md, "sixth round").

    .venv/bin/python scripts/nlu_blend_study.py
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

WEIGHTS = (0.0, 0.15, 0.3, 0.45)
SCALES = (3.0, 4.0, 5.0, 6.0, 8.0)
THRESHOLDS = (0.0, 0.3, 0.4)


def collect():
    """(gold (language, intent) list, rankings of held-out examples, of unrelated messages, their languages)."""
    from sklearn.model_selection import StratifiedKFold

    import eval_nlu
    from nlu.components.linear_intent import LinearIntentClassifier

    kept = []
    blend = LinearIntentClassifier.blend

    def keeping(self, linear, diet_ranking):
        kept.append((self.config["margin_scale"], dict(linear),
                     {r["name"]: float(r["confidence"]) for r in diet_ranking}))
        return blend(self, linear, diet_ranking)

    LinearIntentClassifier.blend = keeping
    examples, synonyms = eval_nlu.load_examples()
    labels = [f"{language}|{m.get('intent')}" for language, m in examples]
    folds = StratifiedKFold(n_splits=eval_nlu.FOLDS, shuffle=True, random_state=42)
    train_index, test_index = next(iter(folds.split(examples, labels)))
    unrelated = yaml.safe_load((ROOT / "tests" / "data" / "out_of_domain.yml").read_text())
    held_out = [examples[i] for i in test_index]
    with tempfile.TemporaryDirectory() as tmp:
        model = eval_nlu.train_nlu([examples[i] for i in train_index], synonyms, Path(tmp))
        asyncio.run(eval_nlu.parse_all(model, [m.get("text") for _, m in held_out]))
        asyncio.run(eval_nlu.parse_all(model, unrelated["zh"] + unrelated["en"]))
    gold = [(language, m.get("intent")) for language, m in held_out]
    languages = ["zh"] * len(unrelated["zh"]) + ["en"] * len(unrelated["en"])
    return gold, kept[:len(gold)], kept[len(gold):], languages


def top_two(kept, weight: float, scale: float) -> tuple:
    """The blend's best intent, its confidence and the runner-up's, at another DIET weight and
    margin scale: the component's own blend, on the margins recovered from its confidences."""
    from nlu.components.intent_features import confidences
    from nlu.components.linear_intent import LinearIntentClassifier

    trained_scale, linear, diet = kept
    names = sorted(linear)
    margins = np.log(np.maximum([linear[n] for n in names], 1e-300)) / trained_scale
    rescaled = dict(zip(names, confidences(margins[np.newaxis, :], scale)[0]))
    diet_ranking = [{"name": n, "confidence": c} for n, c in diet.items()]
    ranking = LinearIntentClassifier({"diet_weight": weight}, None, None).blend(rescaled, diet_ranking)
    return ranking[0]["name"], ranking[0]["confidence"], ranking[1]["confidence"]


def main() -> None:
    from sklearn.metrics import f1_score

    import eval_nlu
    from eval_nlu import decide

    eval_nlu.AMBIGUITY = eval_nlu._fallback_setting("ambiguity_threshold", 0.1)
    gold, held_out, unrelated, languages = collect()
    intents = sorted({intent for _, intent in gold})
    print("weight scale | " + " | ".join(f"threshold {t}: F1 zh/en, rejected zh/en" for t in THRESHOLDS))
    for weight in WEIGHTS:
        for scale in SCALES:
            ranked = [top_two(k, weight, scale) for k in held_out]
            unrelated_ranked = [top_two(k, weight, scale) for k in unrelated]
            cells = []
            for threshold in THRESHOLDS:
                f1 = [f1_score([i for (l, i) in gold if l == language],
                               [decide(r, threshold) for (l, _), r in zip(gold, ranked) if l == language],
                               average="macro", labels=intents, zero_division=0) for language in ("zh", "en")]
                rejected = [np.mean([decide(r, threshold) in eval_nlu.REJECTED
                                     for r, l in zip(unrelated_ranked, languages) if l == language])
                            for language in ("zh", "en")]
                cells.append(f"{f1[0]:.4f}/{f1[1]:.4f}, {rejected[0]:.1%}/{rejected[1]:.1%}")
            print(f"{weight:<6} {scale:<5} | " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
