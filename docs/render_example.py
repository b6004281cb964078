"""Render docs/alert-email.{html,txt,png}: the alert for the seed article a81087, end to end.

The article is crawled from the offline replica by the real crawl (`mtwatch run`'s child), so
the payload is exactly what the outbox stores; only the replica's address is swapped for the
real site's. The PNG needs Chromium (`apt-get install chromium`).

    .venv/bin/python docs/render_example.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(REPO))

from crawler.launcher import CrawlOptions, run_crawl  # noqa: E402
from pipelines.alerts import EmailNotifier, SmtpSettings  # noqa: E402
from pipelines.alerts.policy import alert_key  # noqa: E402
from pipelines.storage import DEFAULT_SITE, Store  # noqa: E402
from tests.replica import Replica  # noqa: E402

SEED = 81087
REAL_SITE = "https://www.themoscowtimes.com"
FAST = "[crawl]\ndownload_delay = 0\nautothrottle = false\nconcurrent_requests_per_domain = 8\n"


def crawl_seed(tmp: Path) -> dict[str, object]:
    """Crawl a small replica and return the outbox payload of the seed article's alert."""
    config = tmp / "fast.toml"
    config.write_text(FAST, encoding="utf-8")
    db = f"sqlite:///{tmp / 'example.db'}"
    with Replica(articles=60, seed=11) as replica:
        outcome = run_crawl(CrawlOptions(site=replica.base_url, config_path=config, db_url=db,
                                         since=date(2023, 1, 1), log_file=tmp / "crawl.log"))
        base = replica.base_url
    if outcome.status == "failed":
        raise SystemExit(f"crawl failed: {outcome.reason}")
    key = alert_key(DEFAULT_SITE, "syria-turkey", str(SEED))
    with Store(db) as store:
        [row] = [r for r in store.list_alerts() if r.idempotency_key == key]
    payload = dict(row.payload)
    payload["url"] = str(payload["url"]).replace(base, REAL_SITE)
    return payload


def screenshot(html: Path, png: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found: PNG not made", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(  # noqa: S603 - a local browser on a local file
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
             f"--screenshot={png}", "--window-size=900,1400", html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        payload = crawl_seed(Path(tmp))
    settings = SmtpSettings(host="smtp.example.org", port=587, sender="alerts@example.org",
                            recipients=("desk@example.org",))
    key = alert_key(DEFAULT_SITE, "syria-turkey", str(SEED))
    message = EmailNotifier(settings).build_message(payload, key)
    html_part, text_part = message.get_body(("html",)), message.get_body(("plain",))
    assert html_part is not None
    assert text_part is not None
    (DOCS / "alert-email.html").write_text(html_part.get_content(), encoding="utf-8")
    (DOCS / "alert-email.txt").write_text(
        f"Subject: {message['Subject']}\nMessage-ID: {message['Message-ID']}\n\n"
        + text_part.get_content(), encoding="utf-8")
    screenshot(DOCS / "alert-email.html", DOCS / "alert-email.png")
    print(f"wrote {DOCS / 'alert-email.html'}, .txt and .png")


if __name__ == "__main__":
    main()
