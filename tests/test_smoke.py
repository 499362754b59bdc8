from feedbackbot.models import Feedback


def test_home_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Voices of Sandwell" in response.data


def test_liveness_reports_database(client):
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_says_unhealthy_before_the_clock_has_ever_run(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"]["status"] == "ok"
    assert response.json["checks"]["clock"]["message"] == "the clock has never run"


def test_tables_start_empty(session):
    assert session.query(Feedback).count() == 0
