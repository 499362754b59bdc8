"""Domain configuration for every channel: procedures, the working-day calendar, the chat engine."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from flask import Flask, current_app

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.conversation import ChatTexts, ChatTextsError, ConversationEngine, load_chat_texts
from feedbackbot.core.embedding import EmbeddingModelError
from feedbackbot.core.intents import IntentDataError
from feedbackbot.core.language_detection import LanguageReader, LanguageSafetyError, load_language_safety
from feedbackbot.core.languages import DEFAULT, Language, LanguageDataError, load_languages, translate_texts
from feedbackbot.core.procedures import ProcedureConfigError, ProceduresConfig, load_procedures
from feedbackbot.core.safeguarding import RiskDataError
from feedbackbot.core.understanding import Understanding, UnderstandingDataError, understanding_for
from feedbackbot.services.languages import compile_catalogues, load_translations
from feedbackbot.settings import ConfigError

EXTENSION_KEY = "feedbackbot.domain"


def bundled(*parts: str) -> Path:
    """Path of a data file shipped in the package."""
    return Path(str(resources.files("feedbackbot").joinpath("data", *parts)))


class Domain:
    """What the services need from configuration, loaded once per app."""

    def __init__(self, app: Flask) -> None:
        try:
            self.procedures: ProceduresConfig = load_procedures(
                app.config.get("PROCEDURES_FILE") or bundled("procedures.yaml")
            )
            self.calendar = WorkingDayCalendar(app.config.get("CLOSURE_DAYS") or ())
            self.chat_texts = load_chat_texts(bundled("intents", "replies.yaml"))
            self.languages: dict[str, Language] = load_languages(bundled("intents", "languages.yaml"))
            self.language_reader = LanguageReader(
                load_language_safety(bundled("intents", "language_safety.yaml"))
            )
            self.understanding: Understanding = understanding_for(
                bundled(),
                cache_dir=Path(app.config["CACHE_DIR"]),
                model_path=app.config.get("EMBEDDING_MODEL"),
            )
        except (
            ProcedureConfigError,
            IntentDataError,
            ChatTextsError,
            LanguageDataError,
            LanguageSafetyError,
            RiskDataError,
            UnderstandingDataError,
            EmbeddingModelError,
        ) as exc:
            raise ConfigError(str(exc)) from None
        self.risk = self.understanding.patterns  # the categories and their names
        self.timezone = app.config["TIMEZONE"]
        self.safe_word = app.config.get("SAFE_WORD") or ""
        self.duty_phone = app.config.get("DUTY_PHONE")
        self.out_of_hours_phone = app.config.get("OUT_OF_HOURS_PHONE")
        # The gettext catalogues, compiled into the cache folder when missing or stale.
        self.translations_dir = compile_catalogues(Path(app.config["CACHE_DIR"]) / "translations")
        self._texts = {DEFAULT: self.chat_texts}

    def language(self, code: str | None) -> str:
        """A language the chat speaks: the code itself when known, else English."""
        return code if code in self.languages else DEFAULT

    def texts(self, lang: str | None = None, easy: bool = False) -> ChatTexts:
        """The chat's lines in a language (English when it has no catalogue), easy-read if asked."""
        lang = self.language(lang)
        if lang not in self._texts:
            catalogue = load_translations(self.translations_dir, lang)
            self._texts[lang] = translate_texts(self.chat_texts, catalogue.pgettext, self.languages[lang])
        return self._texts[lang].easy_read() if easy else self._texts[lang]

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
    app.extensions[EXTENSION_KEY] = Domain(app)


def domain() -> Domain:
    """The current app's domain configuration."""
    return current_app.extensions[EXTENSION_KEY]
