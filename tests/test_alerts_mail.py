"""Tests for the e-mail channel: settings, message content, header injection, TLS and AUTH."""

from __future__ import annotations

import email
import email.policy
import logging
import re
import socket
import unicodedata
from email.message import EmailMessage
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.alerts import DeliveryError, EmailNotifier, SmtpSettings
from pipelines.alerts.mail import SUBJECT_LIMIT, subject_line
from pipelines.alerts.render import highlight
from pipelines.alerts.sanitize import header_text
from tests.helpers.alerts import KEY, RECIPIENTS, SENDER, plain_smtp, sample_payload
from tests.helpers.smtp import SmtpServer

PASSWORD = "s3cret-pw-do-not-log"
HEADERS = {"Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted", "MIME-Version",
           "Content-Type"}  # fmt: skip


def parts(msg: EmailMessage) -> tuple[str, str]:
    text_part = msg.get_body(("plain",))
    html_part = msg.get_body(("html",))
    assert isinstance(text_part, EmailMessage)
    assert isinstance(html_part, EmailMessage)
    return text_part.get_content(), html_part.get_content()


# settings


@pytest.mark.parametrize(
    ("changes", "env"),
    [
        ({"host": ""}, "MTWATCH_SMTP_HOST"),
        ({"host": "mail.test\r\nX: y"}, "MTWATCH_SMTP_HOST"),
        ({"port": 0}, "MTWATCH_SMTP_PORT"),
        ({"port": 70000}, "MTWATCH_SMTP_PORT"),
        ({"sender": ""}, "MTWATCH_EMAIL_FROM"),
        ({"sender": "Evil <x@y.test>"}, "MTWATCH_EMAIL_FROM"),
        ({"recipients": ()}, "MTWATCH_EMAIL_TO"),
        ({"recipients": ("ok@test.invalid", "a@b.test\r\nBcc: c@d.test")}, "MTWATCH_EMAIL_TO"),
        ({"security": "tls"}, "MTWATCH_SMTP_SECURITY"),
        ({"timeout": 0}, "MTWATCH_SMTP_TIMEOUT"),
        ({"user": "u", "password": PASSWORD}, "MTWATCH_SMTP_SECURITY=none"),
        ({"security": "starttls", "user": "u"}, "MTWATCH_SMTP_PASSWORD"),
        ({"security": "starttls", "password": PASSWORD}, "MTWATCH_SMTP_USER"),
    ],
)
def test_bad_settings_name_the_environment_variable(changes: dict[str, Any], env: str) -> None:
    with pytest.raises(ValueError, match=env) as info:
        SmtpSettings(**{**vars(plain_smtp(25)), **changes})
    assert PASSWORD not in str(info.value)


def test_settings_accept_a_list_of_recipients_and_hide_the_password() -> None:
    configured = plain_smtp(587, recipients=list(RECIPIENTS), security="starttls", user="u",
                       password=PASSWORD)  # fmt: skip
    assert configured.recipients == RECIPIENTS
    from_env = plain_smtp(25, recipients="desk@test.invalid, analyst@test.invalid")
    assert from_env.recipients == RECIPIENTS
    assert PASSWORD not in repr(configured)
    assert PASSWORD not in repr(EmailNotifier(configured))


# message content


def test_message_has_subject_message_id_and_both_parts() -> None:
    msg = EmailNotifier(plain_smtp(25)).build_message(sample_payload(), KEY)
    assert msg["Subject"] == (
        "[mtwatch] Syria–Turkey normalization: Ankara and Damascus Move Toward Normalization"
    )
    assert msg["Message-ID"] == f"<{KEY}@mtwatch.local>"
    assert msg["To"] == ", ".join(RECIPIENTS)
    assert msg.get_content_type() == "multipart/alternative"
    text, html = parts(msg)
    assert "https://www.themoscowtimes.com/2025/03/01/ankara-damascus-a42" in text
    assert "2025-03-01 12:30 MSK (2025-03-01 09:30 UTC)" in text
    assert "Anna Author" in text
    assert "strong" in text
    assert 'href="https://www.themoscowtimes.com/2025/03/01/ankara-damascus-a42"' in html
    assert "2025-03-01 12:30 MSK" in html
    assert "2025-03-01 09:30 UTC" in html


def test_evidence_terms_are_highlighted_and_html_is_escaped() -> None:
    text, html = parts(EmailNotifier(plain_smtp(25)).build_message(sample_payload(), KEY))
    assert "**Turkey** and **Syria** <b>agreed</b> to **restore ties**." in text
    marked = re.sub(r"<mark [^>]*>", "<mark>", html)
    assert (
        "<mark>Turkey</mark> and <mark>Syria</mark> &lt;b&gt;agreed&lt;/b&gt; to "
        "<mark>restore ties</mark>." in marked
    )
    assert "<b>agreed" not in html


def test_html_never_links_non_http_urls() -> None:
    hostile = sample_payload(url="javascript:alert(1)")
    _, html = parts(EmailNotifier(plain_smtp(25)).build_message(hostile, KEY))
    assert "href" not in html
    assert "javascript:alert(1)" in html


def test_missing_published_time_reads_unknown() -> None:
    undated = sample_payload(published=None)
    text, _ = parts(EmailNotifier(plain_smtp(25)).build_message(undated, KEY))
    assert "Published:  unknown (unknown)" in text


def test_highlight_is_case_insensitive_and_prefers_longer_terms() -> None:
    assert highlight("syria-turkey talks", ["Turkey", "syria-turkey"]) == [
        ("syria-turkey", True),
        (" talks", False),
    ]
    assert highlight("no terms", []) == [("no terms", False)]


def test_subject_is_capped_with_an_ellipsis() -> None:
    subject = subject_line("Syria–Turkey normalization", "word " * 100)
    assert len(subject) == SUBJECT_LIMIT
    assert subject.endswith("…")
    assert subject_line("", "") == "[mtwatch] alert: "


def test_bad_idempotency_key_is_rejected() -> None:
    with pytest.raises(ValueError, match="idempotency key"):
        EmailNotifier(plain_smtp(25)).build_message(sample_payload(), "x>\r\nBcc: a@evil.test")


# header injection

ATTACKS = {
    "crlf": "X\r\nBcc: a@evil.test",
    "encoded-newline": "X =?UTF-8?Q?=0A?=Bcc: a@evil.test",
    "encoded-word-split": "X =?=?x?q?y?=UTF-8?Q?=0A?=Bcc: a@evil.test",
    "line-separator": "X\u2028Bcc: a@evil.test\u2029Cc: b@evil.test",
    "nel": "X\x85Bcc: a@evil.test",
    "nul": "X\x00Bcc: a@evil.test",
    "long": "X " + "A" * 10_000,
}


@pytest.mark.parametrize("title", list(ATTACKS.values()), ids=list(ATTACKS))
def test_crawled_titles_cannot_change_routing_or_headers(title: str) -> None:
    with SmtpServer() as server:
        EmailNotifier(plain_smtp(server.port)).send(sample_payload(headline=title),
                                                    idempotency_key=KEY)
        [delivered] = server.messages
    assert delivered.rcpt_tos == list(RECIPIENTS)
    assert delivered.mail_from == SENDER
    msg = delivered.message
    assert set(msg.keys()) == HEADERS
    assert msg["Bcc"] is None
    assert msg["Cc"] is None
    subject = str(msg["Subject"])
    assert len(subject) <= SUBJECT_LIMIT
    assert not any(c in subject for c in "\r\n\x00\x85\u2028\u2029")
    assert "=?" not in subject


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400), st.text(max_size=60))
def test_any_title_yields_one_safe_subject(title: str, topic: str) -> None:
    titled = sample_payload(headline=title, topic_name=topic)
    msg = EmailNotifier(plain_smtp(25)).build_message(titled, KEY)
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert set(parsed.keys()) == HEADERS
    assert parsed["To"] == ", ".join(RECIPIENTS)
    subject = str(parsed["Subject"])
    # survives serialisation as exactly one header; RFC 2047 decoding may drop the space
    # between two adjacent encoded words (a cosmetic CPython folding quirk)
    assert subject.replace(" ", "") == str(msg["Subject"]).replace(" ", "")
    assert len(subject) <= SUBJECT_LIMIT
    assert subject.startswith("[mtwatch] ")
    assert "\n" not in subject
    assert "\r" not in subject


@given(st.text(max_size=300))
def test_header_text_has_no_controls_or_encoded_words(value: str) -> None:
    cleaned = header_text(value, 120)
    assert len(cleaned) <= 120
    assert "=?" not in cleaned
    assert not [c for c in cleaned if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]


# transport security and failures


def test_starttls_with_verified_certificate_and_auth() -> None:
    with SmtpServer(tls="starttls", auth={"mt": PASSWORD}) as server:
        configured = plain_smtp(server.port, security="starttls", user="mt", password=PASSWORD,
                           ssl_context=server.client_context())  # fmt: skip
        EmailNotifier(configured).send(sample_payload(), idempotency_key=KEY)
        [delivered] = server.messages
        [auth] = server.auth_attempts
    assert delivered.tls
    assert (auth.login, auth.tls, auth.success) == ("mt", True, True)


def test_implicit_tls_with_auth() -> None:
    with SmtpServer(tls="ssl", auth={"mt": PASSWORD}) as server:
        configured = plain_smtp(server.port, security="ssl", user="mt", password=PASSWORD,
                           ssl_context=server.client_context())  # fmt: skip
        EmailNotifier(configured).send(sample_payload(), idempotency_key=KEY)
        assert server.messages[0].tls
        assert [a.success for a in server.auth_attempts] == [True]


def test_no_starttls_offered_means_no_auth_and_permanent_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with SmtpServer(auth={"mt": PASSWORD}, auth_require_tls=False) as server:
        configured = plain_smtp(server.port, security="starttls", user="mt", password=PASSWORD)
        with pytest.raises(DeliveryError, match="does not offer STARTTLS") as info:
            EmailNotifier(configured).send(sample_payload(), idempotency_key=KEY)
        assert server.auth_attempts == []
        assert server.envelopes == []
    assert info.value.transient is False
    assert PASSWORD not in caplog.text
    assert PASSWORD not in repr(info.value)


def test_untrusted_certificate_fails_before_auth() -> None:
    with SmtpServer(tls="starttls", auth={"mt": PASSWORD}) as server:
        configured = plain_smtp(server.port, security="starttls", user="mt", password=PASSWORD)
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED") as info:
            EmailNotifier(configured).send(sample_payload(), idempotency_key=KEY)
        assert server.auth_attempts == []
        assert server.envelopes == []
    assert PASSWORD not in str(info.value)


@pytest.mark.parametrize(
    ("reply", "transient"),
    [("451 4.3.0 Try again later", True), ("550 5.7.1 Rejected", False)],
)
def test_smtp_replies_map_to_transient_or_permanent(reply: str, transient: bool) -> None:
    with SmtpServer(default_reply=reply) as server:
        with pytest.raises(DeliveryError) as info:
            EmailNotifier(plain_smtp(server.port)).send(sample_payload(), idempotency_key=KEY)
        assert len(server.envelopes) == 1
    assert info.value.transient is transient
    assert info.value.code == int(reply[:3])


def test_connection_refused_is_transient() -> None:
    with socket.socket() as held:  # a port that is ours, bound but not listening: refused
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        with pytest.raises(DeliveryError, match="connection failed") as info:
            EmailNotifier(plain_smtp(port, timeout=5)).send(sample_payload(), idempotency_key=KEY)
    assert info.value.transient is True
