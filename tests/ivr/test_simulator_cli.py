"""`flask --app app ivr-sim --url ...` before the server is up: a plain sentence, no trace."""

from tests.app.twilio_mock import free_port


def test_ivr_sim_says_plainly_when_nothing_answers(app):
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens
    result = app.test_cli_runner().invoke(args=["ivr-sim", "--url", url])
    assert result.exit_code == 1
    assert f"nothing answers at {url}: is `make run` going?" in result.output
    assert "Traceback" not in result.output
