"""What the chat understands of a message: is someone at risk, and what kind of thing is it.

Pure: no Flask, no database. Risk is read in three layers, so that a disclosure is caught however
it is written:

1. the patterns (core/safeguarding.py): precise, explainable, written by safeguarding leads;
2. the meaning: a sentence embedding scored by a model trained on reviewed disclosures and
   ordinary messages per category (intents/risk_examples.yaml, which leads extend);
3. the conversation so far: the last few messages read together, so a disclosure split over
   two messages counts.

The verdict has three outcomes: *alert* (staff are told at once), *check_in* (the bot gently
asks whether someone is hurting them or they are not safe) and *none*. Kinds and intents are read
from the same embedding with NLTK's naive Bayes beside it; below the asking threshold the bot
asks with buttons instead of guessing. Every threshold is in intents/understanding.yaml, chosen
by measurement on messages the models never saw (benchmarks/understanding.py).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import util as importlib_util
from pathlib import Path
from threading import Lock
from typing import Any

import numpy as np
import yaml

from feedbackbot.core import yamlfile
from feedbackbot.core.embedding import ModelFiles, SentenceEncoder
from feedbackbot.core.intents import (
    Classification,
    IntentClassifier,
    IntentSet,
    cached_classifier,
    normalised_tokens,
)
from feedbackbot.core.safeguarding import RiskDetector
from feedbackbot.core.semantic import (
    LinearModel,
    cache_key,
    load_cached,
    nearest_similarity,
    save_cached,
    train_linear,
)

ALERT = "alert"
CHECK_IN = "check_in"
NONE = "none"
ORDINARY = "ordinary"
# Bumped when what is trained (and cached) changes shape, so an old cache is never read.
TRAINING_VERSION = "2"


_CLAUSE_BREAKS = re.compile(
    # A full stop only ends a clause before a space ("window.open" and "2.5" are one word).
    r"[.!?;]+(?=\s|$)|\n+|,\s+(?:also|and|but)\s+|\s+(?:also|but|coz|cos|because|bc)\s+",
    re.IGNORECASE,
)


def clause_spans(text: str, min_words: int = 3) -> list[tuple[int, int]]:
    """Where the parts of a long message are, to be read on their own (none when it is one part)."""
    spans, start = [], 0
    for brk in [*_CLAUSE_BREAKS.finditer(text), None]:
        end = brk.start() if brk else len(text)
        if len(text[start:end].split()) >= min_words:
            spans.append((start, end))
        start = brk.end() if brk else start
    return spans if len(spans) > 1 else []


def clauses(text: str, min_words: int = 3) -> list[str]:
    """The parts of a long message read on their own (none when it is one part)."""
    return [text[a:b].strip() for a, b in clause_spans(text, min_words)]


class UnderstandingDataError(ValueError):
    """The understanding configuration or the examples file is unusable; the message says why."""


# --- configuration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskThresholds:
    """Margins (-1 to 1) from the semantic layer at which the bot alerts or checks in.

    The margin is how much closer a message's meaning is to the nearest reviewed disclosures than
    to the nearest ordinary messages (mean cosine similarity of the `neighbours` closest of each).
    """

    alert_at: float
    check_in_at: float
    pattern_alert_at: float  # a pattern alerts unless the meaning is below this (then it asks)
    conversation_messages: int
    conversation_alert_at: float
    neighbours: int = 5


@dataclass(frozen=True)
class UnderstandingConfig:
    """Everything in understanding.yaml, with paths resolved."""

    model: ModelFiles
    risk_examples: Path
    risk: RiskThresholds
    ask_below: float
    naive_bayes_weight: float
    digest: str = ""


def _number(data: dict[str, Any], key: str, where: str, low: float = 0.0, high: float = 1.0) -> float:
    value = data.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise UnderstandingDataError(f"{where}.{key} must be a number from {low} to {high}")
    return float(value)


def _model_path(model: dict[str, Any], where: str) -> Path:
    """The model file: inside an installed package (`package` + `file`) or a path (`path`)."""
    if model.get("path"):
        return Path(str(model["path"]))
    package, name = model.get("package"), model.get("file")
    if not isinstance(package, str) or not isinstance(name, str):
        raise UnderstandingDataError(f"{where}: model needs `package` and `file` (or `path`)")
    spec = importlib_util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise UnderstandingDataError(
            f"{where}: the model package {package!r} is not installed (pip install the project again)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / name


def load_understanding_config(
    path: str | Path, data_dir: str | Path, model_path: str | Path | None = None
) -> UnderstandingConfig:
    """Read understanding.yaml; `data_dir` resolves the tokenizer, `model_path` overrides the model."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        data = yamlfile.safe_load(raw)
    except yaml.YAMLError as exc:
        raise UnderstandingDataError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise UnderstandingDataError(f"{path}: must be a mapping")
    model, risk, kinds = data.get("model"), data.get("risk"), data.get("kinds")
    if not isinstance(model, dict) or not isinstance(risk, dict) or not isinstance(kinds, dict):
        raise UnderstandingDataError(f"{path}: needs model, risk and kinds sections")
    for key in ("sha256", "tokenizer", "tokenizer_sha256"):
        if not isinstance(model.get(key), str):
            raise UnderstandingDataError(f"{path}: model.{key} is required")
    files = ModelFiles(
        model=Path(model_path) if model_path else _model_path(model, str(path)),
        model_sha256=model["sha256"],
        tokenizer=Path(data_dir) / model["tokenizer"],
        tokenizer_sha256=model["tokenizer_sha256"],
        max_tokens=int(model.get("max_tokens", 128)),
    )
    where = f"{path}: risk"
    thresholds = RiskThresholds(
        alert_at=_number(risk, "alert_at", where, -1.0),
        check_in_at=_number(risk, "check_in_at", where, -1.0),
        pattern_alert_at=_number(risk, "pattern_alert_at", where, -1.0),
        conversation_messages=int(_number(risk, "conversation_messages", where, 1, 10)),
        conversation_alert_at=_number(risk, "conversation_alert_at", where, -1.0),
        neighbours=int(_number(risk, "neighbours", where, 1, 50)),
    )
    if thresholds.check_in_at > thresholds.alert_at:
        raise UnderstandingDataError(f"{where}.check_in_at must not be above alert_at")
    examples = risk.get("examples")
    if not isinstance(examples, str):
        raise UnderstandingDataError(f"{where}.examples must name the examples file")
    return UnderstandingConfig(
        model=files,
        risk_examples=path.parent / examples,
        risk=thresholds,
        ask_below=_number(kinds, "ask_below", f"{path}: kinds"),
        naive_bayes_weight=_number(kinds, "naive_bayes_weight", f"{path}: kinds"),
        digest=hashlib.sha256(raw).hexdigest(),
    )


# --- the examples the semantic layer learns from -----------------------------------------------


@dataclass(frozen=True)
class RiskExamples:
    """Reviewed disclosures per category, and ordinary messages, that the meaning is learned from."""

    disclosures: tuple[tuple[str, str], ...]  # (text, category)
    ordinary: tuple[str, ...]
    digest: str

    @property
    def categories(self) -> list[str]:
        """Every category with examples."""
        return sorted({category for _, category in self.disclosures})


def _texts(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UnderstandingDataError(f"{where} must be a list of messages (quote ones like: no)")
    return [v.strip() for v in value]


def load_risk_examples(path: str | Path, categories: Sequence[str]) -> RiskExamples:
    """Read risk_examples.yaml: disclosures by category and subcategory, and ordinary messages."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        data = yamlfile.safe_load(raw)
    except yaml.YAMLError as exc:
        raise UnderstandingDataError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("disclosures"), dict):
        raise UnderstandingDataError(f"{path}: needs `disclosures:` by category")
    disclosures: list[tuple[str, str]] = []
    for category, groups in data["disclosures"].items():
        if category not in categories:
            raise UnderstandingDataError(
                f"{path}: disclosures.{category} is not a category of the safeguarding file "
                f"({', '.join(categories)})"
            )
        if not isinstance(groups, dict):
            raise UnderstandingDataError(f"{path}: disclosures.{category} must map subcategories to messages")
        for sub, texts in groups.items():
            disclosures += [(t, category) for t in _texts(texts, f"{path}: disclosures.{category}.{sub}")]
    ordinary_groups = data.get("ordinary")
    if not isinstance(ordinary_groups, dict):
        raise UnderstandingDataError(f"{path}: needs `ordinary:` groups of messages")
    ordinary = [
        t for name, texts in ordinary_groups.items() for t in _texts(texts, f"{path}: ordinary.{name}")
    ]
    if not disclosures or not ordinary:
        raise UnderstandingDataError(f"{path}: needs disclosures and ordinary messages")
    return RiskExamples(tuple(disclosures), tuple(ordinary), hashlib.sha256(raw).hexdigest())


# --- verdicts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskVerdict:
    """alert, check_in or none; the categories; the meaning's probability; which layer decided."""

    outcome: str = NONE
    categories: tuple[str, ...] = ()
    score: float = 0.0
    layer: str = ""
    patterns: tuple[str, ...] = ()

    @property
    def alert(self) -> bool:
        """Tell whether staff are to be told at once."""
        return self.outcome == ALERT

    @property
    def check_in(self) -> bool:
        """Tell whether the bot should gently ask."""
        return self.outcome == CHECK_IN

    def to_dict(self) -> dict[str, Any]:
        """JSON shape (for records and the CLI)."""
        return {
            "outcome": self.outcome,
            "categories": list(self.categories),
            "score": round(self.score, 4),
            "layer": self.layer,
            "patterns": list(self.patterns),
        }


@dataclass
class _EmbeddingCache:
    """The last few hundred embeddings, so a message is embedded once for risk, kind and context."""

    size: int = 512
    items: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict)
    lock: Lock = field(default_factory=Lock)

    def get(self, text: str) -> np.ndarray | None:
        with self.lock:
            vector = self.items.get(text)
            if vector is not None:
                self.items.move_to_end(text)
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        with self.lock:
            self.items[text] = vector
            while len(self.items) > self.size:
                self.items.popitem(last=False)


class Understanding:
    """The chat's reading of a message: risk in three layers, and kind with calibrated confidence."""

    def __init__(
        self,
        config: UnderstandingConfig,
        patterns: RiskDetector,
        intents: IntentSet,
        encoder: SentenceEncoder,
        examples: RiskExamples,
        *,
        cache_dir: Path | None = None,
        naive_bayes: IntentClassifier | None = None,
    ) -> None:
        self.config = config
        self.patterns = patterns
        self.intent_set = intents
        self.encoder = encoder
        self.examples = examples
        self._cache = _EmbeddingCache()
        self._normalise = {**patterns.data.normalise, **intents.normalise}
        self.naive_bayes = naive_bayes or cached_classifier(intents, cache_dir)
        key = cache_key(
            TRAINING_VERSION,
            config.model.model_sha256,
            config.model.tokenizer_sha256,
            examples.digest,
            intents.digest or repr(intents.intents),
            repr(sorted(self._normalise.items())),
        )
        arrays = load_cached(cache_dir, "understanding", key)
        if arrays is None:
            arrays = self._train()
            save_cached(cache_dir, "understanding", key, arrays)
        self._disclosures = arrays["neighbours_disclosures"].astype(np.float32)
        self._ordinary = arrays["neighbours_ordinary"].astype(np.float32)
        self.category_model = LinearModel.from_arrays(arrays, "category")
        self.intent_model = LinearModel.from_arrays(arrays, "intent")
        self._kinds = {i.id: i.kind for i in intents.intents}

    # --- training ------------------------------------------------------------------------------

    def _train(self) -> dict[str, np.ndarray]:
        """Embed every example and fit the three models (cached afterwards by the files' hashes)."""
        pattern_examples = [(e, p.category) for p in self.patterns.data.patterns for e in p.examples]
        pattern_traps = [t for p in self.patterns.data.patterns for t in p.traps]
        disclosures = list(self.examples.disclosures) + pattern_examples
        intent_examples = [(e, i.id) for i in self.intent_set.intents for e in i.examples]
        ordinary = list(self.examples.ordinary) + pattern_traps + [text for text, _ in intent_examples]
        texts = [t for t, _ in disclosures] + ordinary
        vectors = self.embed_many(texts)
        split = len(disclosures)
        category = train_linear(vectors[:split], [c for _, c in disclosures], l2=1e-2)
        intent_vectors = vectors[split + len(self.examples.ordinary) + len(pattern_traps) :]
        intent = train_linear(intent_vectors, [label for _, label in intent_examples], l2=1e-2)
        return {
            "neighbours_disclosures": vectors[:split],
            "neighbours_ordinary": vectors[split:],
            **category.arrays("category"),
            **intent.arrays("intent"),
        }

    # --- embeddings ----------------------------------------------------------------------------

    def prepare(self, text: str) -> str:
        """Spell out text-speak before embedding ("u r" -> "you are"): the model learned English."""
        return " ".join(normalised_tokens(text, self._normalise))

    def embed(self, text: str) -> np.ndarray:
        """The embedding of one message (cached: risk, kind and context reuse it)."""
        prepared = self.prepare(text)
        vector = self._cache.get(prepared)
        if vector is None:
            vector = self.encoder.encode_one(prepared)
            self._cache.put(prepared, vector)
        return vector

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of many texts at once (training and benchmarks)."""
        return self.encoder.encode([self.prepare(t) for t in texts])

    # --- risk ----------------------------------------------------------------------------------

    def risk_score(self, vector: np.ndarray) -> tuple[float, str]:
        """How much nearer this meaning is to reviewed disclosures than to ordinary messages, and its category."""
        k = self.config.risk.neighbours
        row = vector[None, :]
        near_disclosures = nearest_similarity(row, self._disclosures, k)[0]
        near_ordinary = nearest_similarity(row, self._ordinary, k)[0]
        categories = self.category_model.probabilities(vector[None, :])[0]
        return float(near_disclosures - near_ordinary), self.category_model.classes[int(categories.argmax())]

    def message_score(self, text: str) -> tuple[float, str]:
        """The highest score of the whole message and of each of its clauses.

        A disclosure buried in ordinary feedback ("the wifi is rubbish, also my dad burnt me") is
        diluted in the meaning of the whole message; read on its own, its clause is not. The
        clauses come from the same run of the model as the whole message.
        """
        prepared = self.prepare(text)
        spans = clause_spans(prepared)
        if not spans:
            return self.risk_score(self.embed(text))
        whole, parts = self.encoder.encode_parts(prepared, spans)
        self._cache.put(prepared, whole)
        return max(self.risk_score(v) for v in [whole, *parts])

    def assess_risk(self, text: str, earlier: Sequence[str] = ()) -> RiskVerdict:
        """Read one message, and the conversation so far, for a disclosure of harm."""
        thresholds = self.config.risk
        found = self.patterns.assess(text)
        score, category = self.message_score(text)
        if found.flagged:
            patterns = tuple(m.pattern for m in found.matches)
            outcome = ALERT if score >= thresholds.pattern_alert_at else CHECK_IN
            return RiskVerdict(outcome, tuple(found.categories), score, "pattern", patterns)
        if score >= thresholds.alert_at:
            return RiskVerdict(ALERT, (category,), score, "semantic")
        verdict = (
            RiskVerdict(CHECK_IN, (category,), score, "semantic") if score >= thresholds.check_in_at else None
        )
        recent = [m for m in earlier if m.strip()][-(thresholds.conversation_messages - 1) :]
        if recent and thresholds.conversation_messages > 1:
            joined = " ".join([*recent, text])
            together = self.patterns.assess(joined)
            if together.flagged and not any(self.patterns.assess(m).flagged for m in recent):
                patterns = tuple(m.pattern for m in together.matches)
                return RiskVerdict(ALERT, tuple(together.categories), score, "conversation", patterns)
            mean = np.mean([self.embed(m) for m in [*recent, text]], axis=0)
            mean /= max(float(np.linalg.norm(mean)), 1e-12)
            joined_score, joined_category = self.risk_score(mean)
            if joined_score >= thresholds.conversation_alert_at:
                return RiskVerdict(ALERT, (joined_category,), joined_score, "conversation")
            if verdict is None and joined_score >= thresholds.check_in_at:
                verdict = RiskVerdict(CHECK_IN, (joined_category,), joined_score, "conversation")
        return verdict or RiskVerdict(NONE, (), score, "")

    # --- kinds ---------------------------------------------------------------------------------

    def intent_probabilities(self, text: str) -> dict[str, float]:
        """Each intent's probability: the embedding model's, blended with naive Bayes."""
        probs = self.intent_model.probabilities(self.embed(text)[None, :])[0]
        blended = dict(zip(self.intent_model.classes, probs.tolist(), strict=True))
        weight = self.config.naive_bayes_weight
        if weight > 0:
            nb = self.naive_bayes.distribution(text)
            blended = {k: (1 - weight) * v + weight * nb.get(k, 0.0) for k, v in blended.items()}
        return blended

    def classify(self, text: str) -> Classification:
        """The most likely intent of a message and how sure the reading is (0-1)."""
        if not any(c.isalnum() for c in text):
            return Classification("unknown", "other", 0.0)
        probs = self.intent_probabilities(text)
        best = max(probs, key=probs.__getitem__)
        return Classification(best, self._kinds[best], round(probs[best], 4))


def load_understanding(
    data_dir: str | Path,
    *,
    cache_dir: Path | None = None,
    model_path: str | Path | None = None,
) -> Understanding:
    """Build the chat's understanding from the data folder (intents/ inside it), without Flask."""
    from feedbackbot.core.embedding import encoder_for
    from feedbackbot.core.intents import load_intents
    from feedbackbot.core.safeguarding import load_risk_data

    data_dir = Path(data_dir)
    config = load_understanding_config(data_dir / "intents" / "understanding.yaml", data_dir, model_path)
    patterns = RiskDetector(load_risk_data(data_dir / "intents" / "safeguarding.yaml"))
    intents = load_intents(data_dir / "intents" / "intents.yaml")
    examples = load_risk_examples(config.risk_examples, list(patterns.data.categories))
    return Understanding(config, patterns, intents, encoder_for(config.model), examples, cache_dir=cache_dir)


_built: dict[tuple[str, ...], Understanding] = {}
_building = Lock()


def understanding_for(
    data_dir: str | Path, *, cache_dir: Path | None = None, model_path: str | Path | None = None
) -> Understanding:
    """One Understanding per process for the same data files: several apps in a process share it."""
    data_dir = Path(data_dir)
    files = sorted((data_dir / "intents").glob("*.yaml"))
    key = tuple(hashlib.sha256(f.read_bytes()).hexdigest() for f in files)
    key += (str(model_path or ""),)
    with _building:
        if key not in _built:
            _built[key] = load_understanding(data_dir, cache_dir=cache_dir, model_path=model_path)
        return _built[key]
