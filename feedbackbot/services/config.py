"""Domain configuration for every channel: procedures, the working-day calendar, the chat engine."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from flask import Flask, current_app

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.conversation import ChatTextsError, ConversationEngine, load_chat_texts
from feedbackbot.core.embedding import EmbeddingModelError
from feedbackbot.core.intents import IntentDataError
from feedbackbot.core.procedures import ProcedureConfigError, ProceduresConfig, load_procedures
from feedbackbot.core.retention import RetentionConfigError, RetentionPolicy, load_policy
from feedbackbot.core.safeguarding import RiskDataError
from feedbackbot.core.understanding import Understanding, UnderstandingDataError, understanding_for
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
            self.retention: RetentionPolicy = load_policy(
                app.config.get("RETENTION_FILE") or bundled("retention.yaml")
            )
            self.calendar = WorkingDayCalendar(app.config.get("CLOSURE_DAYS") or ())
            self.chat_texts = load_chat_texts(bundled("intents", "replies.yaml"))
            self.understanding: Understanding = understanding_for(
                bundled(),
                cache_dir=Path(app.config["CACHE_DIR"]),
                model_path=app.config.get("EMBEDDING_MODEL"),
            )
        except (
            ProcedureConfigError,
            IntentDataError,
            ChatTextsError,
            RiskDataError,
            UnderstandingDataError,
            EmbeddingModelError,
            RetentionConfigError,
        ) as exc:
            raise ConfigError(str(exc)) from None
        self.risk = self.understanding.patterns  # the categories and their names
        self.timezone = app.config["TIMEZONE"]
        self.safe_word = app.config.get("SAFE_WORD") or ""
        self.duty_phone = app.config.get("DUTY_PHONE")
        self.out_of_hours_phone = app.config.get("OUT_OF_HOURS_PHONE")

    def engine(self) -> ConversationEngine:
        """A conversation engine with today's date in the Trust's time zone."""
        from feedbackbot.services.clock import today

        return ConversationEngine(
            self.chat_texts,
            self.understanding,
            ask_below=self.understanding.config.ask_below,
            concern_days=self.procedures.promises.get("concern", 10),
            today=today,
            risk=self.understanding,
            safe_word=self.safe_word,
            duty_phone=self.duty_phone,
            out_of_hours_phone=self.out_of_hours_phone,
            timescales=self.chat_timescales(),
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
