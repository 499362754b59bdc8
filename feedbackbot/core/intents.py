"""Intent classification for the chat: NLTK's naive Bayes over word stems and word pairs.

Pure. The intents and their examples are data (intents/intents.yaml). Everything used from NLTK
works without downloaded data: TweetTokenizer (made for the way people type in chats), the
Snowball stemmer and NaiveBayesClassifier. A trained classifier is cached by the file's hash.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from nltk.classify import NaiveBayesClassifier
from nltk.probability import LidstoneProbDist
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import TweetTokenizer

from feedbackbot.core import yamlfile

KINDS = ("compliment", "idea", "concern", "complaint", "question", "other")

_tokenizer = TweetTokenizer(preserve_case=False, reduce_len=True, strip_handles=True)
_stemmer = SnowballStemmer("english")


class IntentDataError(ValueError):
    """The intents file is unusable; the message says where and why."""


@dataclass(frozen=True)
class Intent:
    """Something a young person might mean, with examples and, for questions, the answer."""

    id: str
    kind: str
    examples: tuple[str, ...]
    answer: str | None = None


@dataclass(frozen=True)
class IntentSet:
    """All intents, and the text-speak map."""

    intents: tuple[Intent, ...]
    normalise: dict[str, str] = field(default_factory=dict)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    digest: str = ""

    def intent(self, intent_id: str) -> Intent:
        """Find an intent by id."""
        for intent in self.intents:
            if intent.id == intent_id:
                return intent
        raise KeyError(intent_id)


@dataclass(frozen=True)
class Classification:
    """The classifier's best guess and how sure it is (0-1)."""

    intent: str
    kind: str
    confidence: float

    def confident(self, threshold: float) -> bool:
        """Tell whether the guess is good enough to act on without asking."""
        return self.confidence >= threshold


def parse_intents(data: Any, source: str = "intents.yaml") -> IntentSet:
    """Validate the parsed YAML and build the intent set."""
    if not isinstance(data, dict) or not isinstance(data.get("intents"), list):
        raise IntentDataError(f"{source}: needs an `intents:` list")
    intents = []
    seen = set()
    for i, raw in enumerate(data["intents"]):
        where = f"{source}: intents[{i}]"
        if not isinstance(raw, dict):
            raise IntentDataError(f"{where} must be a mapping")
        intent_id, kind = raw.get("id"), raw.get("kind")
        if not isinstance(intent_id, str) or not intent_id:
            raise IntentDataError(f"{where}.id is required")
        if intent_id in seen:
            raise IntentDataError(f"{where}.id {intent_id!r} is used twice")
        seen.add(intent_id)
        if kind not in KINDS:
            raise IntentDataError(f"{where}.kind must be one of {', '.join(KINDS)}")
        examples = raw.get("examples")
        if not isinstance(examples, list) or len(examples) < 3:
            raise IntentDataError(f"{where}.examples needs at least 3 example messages")
        for j, example in enumerate(examples):
            if not isinstance(example, str):
                raise IntentDataError(
                    f"{where}.examples[{j}] is not text ({example!r}); quote examples containing ': '"
                )
        answer = raw.get("answer")
        if kind == "question" and not isinstance(answer, str):
            raise IntentDataError(f"{where}: a question needs an `answer`")
        intents.append(Intent(intent_id, kind, tuple(examples), answer.strip() if answer else None))
    normalise = data.get("normalise") or {}
    if not isinstance(normalise, dict):
        raise IntentDataError(f"{source}: normalise must map a word to its replacement")
    raw_cues = data.get("cues") or {}
    if not isinstance(raw_cues, dict) or not all(isinstance(v, list) for v in raw_cues.values()):
        raise IntentDataError(f"{source}: cues must map a name to a list of words or phrases")
    cues = {str(k): frozenset(str(w).lower() for w in v) for k, v in raw_cues.items()}
    return IntentSet(
        intents=tuple(intents),
        normalise={str(k).lower(): str(v).lower() for k, v in normalise.items()},
        cues=cues,
    )


def load_intents(path: str | Path) -> IntentSet:
    """Read and validate an intents file; the digest identifies its content for caching."""
    raw = Path(path).read_bytes()
    try:
        data = yamlfile.safe_load(raw)
    except yaml.YAMLError as exc:
        raise IntentDataError(f"{path}: not valid YAML: {exc}") from None
    parsed = parse_intents(data, str(path))
    return IntentSet(
        intents=parsed.intents,
        normalise=parsed.normalise,
        cues=parsed.cues,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def normalised_tokens(text: str, normalise: dict[str, str]) -> list[str]:
    """Tokenise like a chat message and spell out text-speak ("u r" -> "you are")."""
    out: list[str] = []
    for token in _tokenizer.tokenize(text):
        replacement = normalise.get(token)
        out.extend(replacement.split() if replacement else [token])
    return out


def features(tokens: list[str], cues: dict[str, frozenset[str]] | None = None) -> dict[str, bool]:
    """Features for the classifier: stems, neighbouring stem pairs, the first word, length, cues."""
    feats: dict[str, bool] = {}
    if cues:
        words = set(tokens)
        pairs = {f"{a} {b}" for a, b in pairwise(tokens)}
        for name, members in cues.items():
            negated = "n't" in members and any(t.endswith("n't") for t in tokens)
            if words & members or pairs & members or negated:
                feats[f"cue:{name}"] = True
    stems = [_stemmer.stem(t) for t in tokens if any(c.isalnum() for c in t)]
    feats.update({f"w:{s}": True for s in stems})
    feats.update({f"b:{a}_{b}": True for a, b in pairwise(stems)})
    if stems:
        feats[f"first:{stems[0]}"] = True
    feats[f"len:{'short' if len(stems) <= 2 else 'mid' if len(stems) <= 6 else 'long'}"] = True
    return feats


def _estimator(freqdist: Any, bins: int | None = None) -> LidstoneProbDist:
    # Light smoothing: with NLTK's default (ELE, 0.5) a word never seen with an intent counts
    # for far too much, and every unknown word pulls towards the intents with fewest examples.
    return LidstoneProbDist(freqdist, 0.1, bins)


def _balanced(training: list[tuple[dict[str, bool], str]]) -> list[tuple[dict[str, bool], str]]:
    """Repeat the examples of smaller intents so every intent weighs the same in training."""
    by_label: dict[str, list[dict[str, bool]]] = {}
    for feats, label in training:
        by_label.setdefault(label, []).append(feats)
    largest = max(len(v) for v in by_label.values())
    out = []
    for label, rows in by_label.items():
        for i in range(largest):
            out.append((rows[i % len(rows)], label))
    return out


class IntentClassifier:
    """A naive Bayes classifier trained on an intent set's examples."""

    def __init__(self, intent_set: IntentSet, examples: list[tuple[str, str]] | None = None) -> None:
        self.intent_set = intent_set
        self._kinds = {i.id: i.kind for i in intent_set.intents}
        pairs = (
            examples if examples is not None else [(e, i.id) for i in intent_set.intents for e in i.examples]
        )
        training = [(self._features(text), label) for text, label in pairs]
        self._model = NaiveBayesClassifier.train(_balanced(training), estimator=_estimator)

    @classmethod
    def trained_before(cls, intent_set: IntentSet, model: NaiveBayesClassifier) -> IntentClassifier:
        """A classifier around a model already trained on this intent set (from the cache)."""
        classifier = cls.__new__(cls)
        classifier.intent_set = intent_set
        classifier._kinds = {i.id: i.kind for i in intent_set.intents}
        classifier._model = model
        return classifier

    def _features(self, text: str) -> dict[str, bool]:
        return features(normalised_tokens(text, self.intent_set.normalise), self.intent_set.cues)

    def distribution(self, text: str) -> dict[str, float]:
        """The probability the model gives each intent (empty for text with no words)."""
        if not any(c.isalnum() for c in text):
            return {}
        dist = self._model.prob_classify(self._features(text))
        return {label: dist.prob(label) for label in dist.samples()}

    def classify(self, text: str) -> Classification:
        """Give the most likely intent of a message and the probability the model gives it."""
        if not any(c.isalnum() for c in text):
            return Classification("unknown", "other", 0.0)
        dist = self._model.prob_classify(self._features(text))
        best = dist.max()
        return Classification(best, self._kinds[best], round(dist.prob(best), 4))


# Bumped when features() or the training changes, so a cached model is never used with other features.
NAIVE_BAYES_VERSION = "1"


def cached_classifier(intent_set: IntentSet, cache_dir: Path | None) -> IntentClassifier:
    """The classifier for this intent set, trained once and kept in `cache_dir` (keyed by the file's hash).

    Training takes about a second of every start; reading the cached model a few milliseconds.
    The model is kept with pickle, so the cache folder must be writable only by the service (like
    the instance folder, which holds the secret key).
    """
    if cache_dir is None or not intent_set.digest:
        return IntentClassifier(intent_set)
    key = hashlib.sha256(f"{NAIVE_BAYES_VERSION}\0{intent_set.digest}".encode()).hexdigest()[:32]
    path = Path(cache_dir) / f"naive-bayes-{key}.pickle"
    try:
        with path.open("rb") as handle:
            model = pickle.load(handle)  # our own cache, keyed by the intents file's hash
        if isinstance(model, NaiveBayesClassifier):
            return IntentClassifier.trained_before(intent_set, model)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    classifier = IntentClassifier(intent_set)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(classifier._model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only disk only costs start-up time
        pass
    return classifier


@lru_cache(maxsize=4)
def _trained(digest: str, path: str) -> IntentClassifier:
    return IntentClassifier(load_intents(path))


def classifier_for(path: str | Path) -> IntentClassifier:
    """Give a trained classifier for an intents file, reusing it while the file is unchanged."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _trained(digest, str(path))


def held_out_accuracy(intent_set: IntentSet, every: int = 5) -> tuple[float, int, list[tuple[str, str, str]]]:
    """Train on all but every n-th example of each intent and test on the rest.

    Gives the accuracy, the number tested and the mistakes (text, expected, got).
    """
    train, test = [], []
    for intent in intent_set.intents:
        for i, example in enumerate(intent.examples):
            (test if i % every == every - 1 else train).append((example, intent.id))
    model = IntentClassifier(intent_set, train)
    mistakes = []
    for text, expected in test:
        got = model.classify(text).intent
        if got != expected:
            mistakes.append((text, expected, got))
    return 1 - len(mistakes) / len(test), len(test), mistakes
