"""Migrations are the only way the schema is made: check they build exactly what the models say."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from feedbackbot.extensions import db
from tests.support import Database, make_test_app


def test_upgrade_matches_models_and_downgrade_empties(tmp_path):
    database = Database(tmp_path)
    try:
        app = make_test_app(database.url, tmp_path / "instance")
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            assert differences == []
            tables = set(inspect(db.engine).get_table_names())
            assert {"staff_user", "audit_event", "feedback"} <= tables

            downgrade(revision="base")
            db.session.remove()
            remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert remaining == set()
            db.engine.dispose()
    finally:
        database.drop()


def test_audit_events_cannot_be_changed(app, session):
    from feedbackbot.services.audit import Actor, record_event

    record_event(Actor.system("test"), "thing.done", "thing", 1, after={"x": 1})
    session.commit()
    try:
        session.execute(text("UPDATE audit_event SET action = 'thing.undone'"))
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        assert "append-only" in str(exc)
    else:  # pragma: no cover - the assertion explains the failure
        raise AssertionError("the database allowed an audit event to be rewritten")
    assert session.execute(text("SELECT action FROM audit_event")).scalar_one() == "thing.done"
