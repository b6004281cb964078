"""Failure reasons: short, stable names for what went wrong with a request."""

from __future__ import annotations

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.middlewares import RetryAfterTooLong
from crawler.spiders.ledger import failure_reason, failure_summary


@pytest.mark.parametrize(("exc", "reason"), [
    (HttpError(Response("http://x/", status=503, request=Request("http://x/")), "no"),
     "http_503"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (IgnoreRequest("robots.txt: http://x/robots.txt answered HTTP 503"), "robots"),
    (IgnoreRequest("offsite: http://evil.test/ is not on http://x"), "offsite"),
    (IgnoreRequest("max redirections reached"), "redirects"),
    (IgnoreRequest("Ignored response <200 http://x/> ... exceeded DOWNLOAD_MAXSIZE (10 B)"),
     "maxsize"),
    (DownloadCancelledError("Expected to receive 52428800 bytes which is larger than download "
                            "max size (10485760)"), "maxsize"),
    (RetryAfterTooLong("HTTP 429 Retry-After 3600 s", 3600), "retry_after"),
    (DownloadTimeoutError("took longer than 30 s"), "timeout"),
    (CannotResolveHostError("no such host"), "dns"),
    (DownloadConnectionRefusedError("refused"), "refused"),
    (ResponseDataLossError("lost"), "data_loss"),
    (ValueError("odd"), "valueerror"),
])
def test_failure_reasons(exc: BaseException, reason: str) -> None:
    assert failure_reason(exc) == reason


def test_failure_summary_names_a_certificate_for_another_address_as_tls() -> None:
    wrapped = RuntimeError("[<twisted.python.failure.Failure service_identity.exceptions."
                           "VerificationError: VerificationError(errors=[IPAddressMismatch()])>]")
    assert failure_summary(wrapped) == ("tls: service_identity.exceptions.VerificationError: "
                                        "VerificationError(errors=[IPAddressMismatch()])")
    assert failure_summary(ValueError("x" * 1000)).startswith("valueerror: xxx")
    assert len(failure_summary(ValueError("x" * 1000))) < 320
