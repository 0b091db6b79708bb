"""The pure body parser: a JSON object, or a message saying why the body is not one."""

from webhooks.payload import parse_payload


def test_an_object_is_parsed() -> None:
    assert parse_payload(b'{"action": "completed", "n": [1, 2.5, null]}') == {
        "action": "completed",
        "n": [1, 2.5, None],
    }


def test_malformed_or_non_object_bodies_say_why() -> None:
    assert parse_payload(b'{"action": "completed",') == "The body is not valid JSON."
    assert parse_payload(b"\xff\xfe") == "The body is not valid JSON."
    assert parse_payload(b"[1, 2]") == "The body is not a JSON object."
