from feedbackbot.models import Feedback


def test_home_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Voices of Sandwell" in response.data


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"


def test_tables_start_empty(session):
    assert session.query(Feedback).count() == 0
