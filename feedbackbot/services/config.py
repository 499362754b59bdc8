"""Domain configuration for every channel: procedures, the working-day calendar, the chat engine.

The web app loads all of it at start, so a bad file stops it with a clear message. A command that
runs without the app (`feedbackbot timescales`, `chat classify`) gets a Domain from the
environment that loads each part on first use: timescales never load the semantic model.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.conversation import ChatTexts, ChatTextsError, ConversationEngine, load_chat_texts
from feedbackbot.core.language_detection import LanguageReader, LanguageSafetyError, load_language_safety
from feedbackbot.core.languages import DEFAULT, Language, LanguageDataError, load_languages, translate_texts
from feedbackbot.core.procedures import ProcedureConfigError, ProceduresConfig, load_procedures
from feedbackbot.core.retention import RetentionConfigError, RetentionPolicy, load_policy
from feedbackbot.services import standalone
from feedbackbot.settings import ConfigError

if TYPE_CHECKING:
    from flask import Flask

    from feedbackbot.core.safeguarding import RiskDetector
    from feedbackbot.core.understanding import Understanding

EXTENSION_KEY = "feedbackbot.domain"


def bundled(*parts: str) -> Path:
    """Path of a data file shipped in the package."""
    return Path(str(resources.files("feedbackbot").joinpath("data", *parts)))


class Domain:
    """What the services need from configuration: each part loaded once, on first use."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._config = config
        self.timezone = config["TIMEZONE"]
        self.safe_word = config.get("SAFE_WORD") or ""
        self.duty_phone = config.get("DUTY_PHONE")
        self.out_of_hours_phone = config.get("OUT_OF_HOURS_PHONE")
        self._texts: dict[str, ChatTexts] = {}

    def load_all(self) -> Domain:
        """Load every part now (the web app does, so a bad file or model stops it at start)."""
        _ = (self.procedures, self.calendar, self.chat_texts, self.understanding)
        _ = (self.languages, self.language_reader, self.translations_dir, self.retention)
        return self

    @cached_property
    def procedures(self) -> ProceduresConfig:
        """The complaint procedures, their timescales and the reminder policy."""
        try:
            return load_procedures(self._config.get("PROCEDURES_FILE") or bundled("procedures.yaml"))
        except ProcedureConfigError as exc:
            raise ConfigError(str(exc)) from None

    @cached_property
    def retention(self) -> RetentionPolicy:
        """How long each kind of record is kept (the clock applies it; the privacy page shows it)."""
        try:
            return load_policy(self._config.get("RETENTION_FILE") or bundled("retention.yaml"))
        except RetentionConfigError as exc:
            raise ConfigError(str(exc)) from None

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        """Working days: bank holidays and the Trust's closure days."""
        return WorkingDayCalendar(self._config.get("CLOSURE_DAYS") or ())

    @cached_property
    def chat_texts(self) -> ChatTexts:
        """Everything the bot says."""
        try:
            return load_chat_texts(bundled("intents", "replies.yaml"))
        except ChatTextsError as exc:
            raise ConfigError(str(exc)) from None

    @cached_property
    def languages(self) -> dict[str, Language]:
        """The languages the chat speaks besides English, with their glossary words."""
        try:
            return load_languages(bundled("intents", "languages.yaml"))
        except LanguageDataError as exc:
            raise ConfigError(str(exc)) from None

    @cached_property
    def language_reader(self) -> LanguageReader:
        """Detection of other languages and their safety words."""
        try:
            return LanguageReader(load_language_safety(bundled("intents", "language_safety.yaml")))
        except LanguageSafetyError as exc:
            raise ConfigError(str(exc)) from None

    @cached_property
    def translations_dir(self) -> Path:
        """The gettext catalogues, compiled into the cache folder when missing or stale."""
        from feedbackbot.services.languages import compile_catalogues

        return compile_catalogues(Path(self._config["CACHE_DIR"]) / "translations")

    def language(self, code: str | None) -> str:
        """A language the chat speaks: the code itself when known, else English."""
        return code if code in self.languages else DEFAULT

    def texts(self, lang: str | None = None, easy: bool = False) -> ChatTexts:
        """The chat's lines in a language (English when it has no catalogue), easy-read if asked."""
        from feedbackbot.services.languages import load_translations

        lang = self.language(lang)
        if lang not in self._texts:
            if lang == DEFAULT:
                self._texts[lang] = self.chat_texts
            else:
                catalogue = load_translations(self.translations_dir, lang)
                self._texts[lang] = translate_texts(self.chat_texts, catalogue.pgettext, self.languages[lang])
        return self._texts[lang].easy_read() if easy else self._texts[lang]

    @cached_property
    def understanding(self) -> Understanding:
        """The risk and kind models (numpy, onnxruntime and NLTK are imported only here)."""
        from feedbackbot.core.embedding import EmbeddingModelError
        from feedbackbot.core.intents import IntentDataError
        from feedbackbot.core.safeguarding import RiskDataError
        from feedbackbot.core.understanding import UnderstandingDataError, understanding_for

        try:
            return understanding_for(
                bundled(),
                cache_dir=Path(self._config["CACHE_DIR"]),
                model_path=self._config.get("EMBEDDING_MODEL"),
            )
        except (IntentDataError, RiskDataError, UnderstandingDataError, EmbeddingModelError) as exc:
            raise ConfigError(str(exc)) from None

    @property
    def risk(self) -> RiskDetector:
        """The safeguarding categories and their names."""
        return self.understanding.patterns

    def engine(self, lang: str | None = None, easy: bool = False) -> ConversationEngine:
        """A conversation engine in a language, with today's date in the Trust's time zone."""
        from feedbackbot.services.clock import today

        return ConversationEngine(
            self.texts(lang, easy),
            self.understanding,
            ask_below=self.understanding.config.ask_below,
            concern_days=self.procedures.promises.get("concern", 10),
            today=today,
            risk=self.understanding,
            safe_word=self.safe_word,
            duty_phone=self.duty_phone,
            out_of_hours_phone=self.out_of_hours_phone,
            timescales=self.chat_timescales(),
            languages=self.language_reader,
        )

    def chat_timescales(self) -> dict[str, int]:
        """The working days the chat quotes, from the procedures file (the children's procedure)."""
        stage = self.procedures.procedure("statutory").stage(1)
        return {
            "complaint_acknowledge": stage.acknowledge,
            "complaint_respond": stage.respond,
            "complaint_extended": stage.extended_respond or stage.respond,
            "next_stage_within": stage.request_next_within or 0,
            "concern_days": self.procedures.promises.get("concern", 10),
        }


def init_app(app: Flask) -> None:
    """Load the configuration at start-up, so a bad file stops the app with a clear message."""
    app.extensions[EXTENSION_KEY] = Domain(app.config).load_all()


@lru_cache(maxsize=1)
def _standalone_domain() -> Domain:
    return Domain(standalone.settings())


def domain() -> Domain:
    """The current app's domain configuration, or without an app the one the environment gives."""
    app = standalone.current_app_or_none()
    if app is None:
        return _standalone_domain()
    return app.extensions[EXTENSION_KEY]
