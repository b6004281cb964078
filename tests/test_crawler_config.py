"""Configuration loading: defaults, user file, environment, and one-line errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.config import ConfigDeprecation, ConfigError, load_config, merge, parse_duration


def test_defaults_point_at_the_real_site_and_a_local_sqlite_store(tmp_path: Path) -> None:
    config = load_config(env={"MTWATCH_DATA_DIR": str(tmp_path)})
    assert config.site.url == "https://www.themoscowtimes.com"
    assert config.store_url == f"sqlite:///{tmp_path / 'mtwatch.db'}"
    assert config.topics.enabled == ["syria-turkey"]


def test_user_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[crawl]\ndownload_delay = 5\n[alerts.email]\nport = 465\n')
    config = load_config(user, env={})
    assert config.crawl.download_delay == 5
    assert config.crawl.concurrent_requests_per_domain == 2  # still the default
    assert config.alerts.email.port == 465
    assert config.alerts.email.security == "starttls"


def test_environment_overrides_files_and_splits_recipients(tmp_path: Path) -> None:
    env = {
        "MTWATCH_SITE": "http://127.0.0.1:8123/",
        "MTWATCH_DB_URL": "sqlite:////tmp/x.db",
        "MTWATCH_SMTP_HOST": "mail.example.org",
        "MTWATCH_SMTP_PORT": "2525",
        "MTWATCH_SMTP_PASSWORD": "hunter2",
        "MTWATCH_EMAIL_FROM": "mtwatch@example.org",
        "MTWATCH_EMAIL_TO": "a@example.org, b@example.org,",
    }
    config = load_config(env=env)
    assert config.site.url == "http://127.0.0.1:8123"
    assert config.store_url == "sqlite:////tmp/x.db"
    email = config.alerts.email
    assert (email.host, email.port) == ("mail.example.org", 2525)
    assert email.recipients == ["a@example.org", "b@example.org"]
    assert email.password is not None
    assert email.password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(config)


def test_password_in_a_config_file_is_rejected(tmp_path: Path) -> None:
    user = tmp_path / "bad.toml"
    user.write_text('[alerts.email]\npassword = "secret"\n')
    with pytest.raises(ConfigError) as err:
        load_config(user, env={})
    assert "password" not in str(err.value) or "secret" not in str(err.value)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("[crawl\n", "invalid TOML"),
        ("[crawl]\ndownload_delay = 'fast'\n", "crawl.download_delay"),
        ("[crawl]\nno_such_key = 1\n", "crawl.no_such_key"),
        ('[sites.moscowtimes]\nurl = "ftp://example.org"\n', "sites.moscowtimes.url"),
        ('[sites.moscowtimes]\nfeedz = []\n', "sites.moscowtimes.feedz"),
        ('[sites.Bad_Name]\nurl = "https://x.example"\n', "site name 'Bad_Name'"),
    ],
)
def test_bad_config_files_give_one_clear_line(tmp_path: Path, content: str, needle: str) -> None:
    user = tmp_path / "bad.toml"
    user.write_text(content)
    with pytest.raises(ConfigError) as err:
        load_config(user, env={})
    message = str(err.value)
    assert needle in message
    assert "\n" not in message.strip()


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"alerts\.email\.port|MTWATCH"):
        load_config(env={"MTWATCH_SMTP_PORT": "many"})


def test_merge_is_deep_and_does_not_mutate() -> None:
    base = {"a": {"b": 1, "c": 2}, "d": [1]}
    out = merge(base, {"a": {"b": 9}, "d": [2]})
    assert out == {"a": {"b": 9, "c": 2}, "d": [2]}
    assert base == {"a": {"b": 1, "c": 2}, "d": [1]}


def test_an_unknown_key_gets_the_nearest_known_one_and_its_file(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text("[alerts.emial]\nhost = 'x'\n[crawl]\ndowload_delay = 1\n")
    with pytest.raises(ConfigError) as err:
        load_config(user, env={})
    assert str(err.value) == (f"config error: unknown key 'crawl.dowload_delay' in {user}; "
                              "did you mean 'download_delay'? (and 1 more)")
    user.write_text("[alerts.emial]\nhost = 'x'\n")
    with pytest.raises(ConfigError, match=r"unknown key 'alerts.emial' .*did you mean 'email'\?"):
        load_config(user, env={})
    user.write_text("[schedule]\nzzz = 1\n")
    with pytest.raises(ConfigError, match=r"unknown key 'schedule.zzz' .*\(known keys: interval"):
        load_config(user, env={})


def test_a_bad_value_names_its_source(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[sites.moscowtimes]\nurl = "ftp://x"\n')
    with pytest.raises(ConfigError, match=rf"sites.moscowtimes.url in {user}: must be an http"):
        load_config(user, env={})
    with pytest.raises(ConfigError, match="MTWATCH_SITE: must be an http"):
        load_config(user, env={"MTWATCH_SITE": "gopher://x"})
    with pytest.raises(ConfigError, match="--site: must be an http"):
        load_config(user, env={"MTWATCH_SITE": "https://ok.example"},
                    overrides={"site": {"url": "gopher://x"}},
                    override_labels={"site.url": "--site"})
    with pytest.raises(ConfigError, match=r"--site: no site named 'nope' .configured: moscowtimes"):
        load_config(user, env={"MTWATCH_SITE": "https://ok.example"},
                    overrides={"site": {"url": "nope"}}, override_labels={"site.url": "--site"})
    config = load_config(env={"MTWATCH_DB_URL": "sqlite:////tmp/x.db"})
    assert config.origin("store.url") == "MTWATCH_DB_URL"
    assert config.origin("sites.moscowtimes.url").startswith("sites.moscowtimes.url in ")


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql+psycopg2://u@h/db",
                                 "mysql://u:pw@h/db", "/var/lib/mtwatch.db", "sqlite:/x.db"])
def test_only_supported_store_urls_load(url: str) -> None:
    with pytest.raises(ConfigError, match="only sqlite:// and postgresql"):
        load_config(env={"MTWATCH_DB_URL": url})


@given(st.integers(min_value=1, max_value=10_000), st.sampled_from(
    [("d", 86400), ("days", 86400), ("h", 3600), ("hours", 3600), ("m", 60), ("s", 1)]))
def test_durations_parse_to_their_seconds(count: int, unit: tuple[str, int]) -> None:
    assert parse_duration(f"{count}{unit[0]}").total_seconds() == count * unit[1]
    assert parse_duration(f" {count} {unit[0].upper()} ").total_seconds() == count * unit[1]


@given(st.text(max_size=12))
def test_any_duration_text_parses_or_says_what_it_wants(text: str) -> None:
    message = ""
    try:
        value = parse_duration(text)
    except ValueError as exc:
        message = str(exc)
    if message:
        assert "expected a duration like 2d" in message
    else:
        assert value.total_seconds() >= 0


def test_backfill_age_zero_turns_backfill_digests_off() -> None:
    assert load_config(env={}).alerts.backfill_delta == timedelta(days=2)
    user_zero = {"alerts": {"backfill_age": 0}}
    assert load_config(env={}, overrides=user_zero).alerts.backfill_delta is None


def test_shipped_sites_are_the_english_edition_on_and_the_russian_one_off() -> None:
    config = load_config(None, env={})
    assert config.running_sites == ["moscowtimes"]
    russian = config.sites["moscowtimes-ru"]
    assert (russian.enabled, russian.kind, russian.url) == (
        False, "moscowtimes", "https://ru.themoscowtimes.com")
    assert "/rss/news" in russian.feeds


def test_site_option_picks_a_site_by_name_or_points_the_default_one_at_a_url() -> None:
    by_name = load_config(None, env={"MTWATCH_SITE": "moscowtimes-ru"})
    assert by_name.running_sites == ["moscowtimes-ru"]
    assert by_name.site.url == "https://ru.themoscowtimes.com"
    by_url = load_config(None, env={}, overrides={"site": {"url": "http://127.0.0.1:9"}})
    assert by_url.running_sites == ["moscowtimes"]
    assert by_url.sites["moscowtimes"].url == "http://127.0.0.1:9"


def test_legacy_site_table_is_read_as_sites_moscowtimes_with_one_warning(
        tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text('[site]\nurl = "http://127.0.0.1:8123"\neditions = ["en", "ru"]\n')
    with pytest.warns(ConfigDeprecation) as caught:
        config = load_config(old, env={})
    assert len(caught) == 1
    message = str(caught[0].message)
    assert str(old) in message
    assert "[sites.moscowtimes]" in message
    assert "[sites.moscowtimes-ru] enabled = true" in message
    assert config.sites["moscowtimes"].url == "http://127.0.0.1:8123"
    assert config.running_sites == ["moscowtimes", "moscowtimes-ru"]


def test_legacy_editions_must_be_en_or_ru(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text('[site]\neditions = ["de"]\n')
    with pytest.raises(ConfigError, match=rf"site.editions in {old}"):
        load_config(old, env={})


def test_a_site_with_its_own_politeness_and_timezone(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[sites.other]\nkind = "moscowtimes"\nurl = "https://other.example"\n'
                    'timezone = "Europe/Berlin"\ndownload_delay = 3\nconcurrency = 1\n')
    config = load_config(user, env={})
    other = config.sites["other"]
    assert (other.timezone, other.download_delay, other.concurrency) == ("Europe/Berlin", 3, 1)
    assert config.running_sites == ["moscowtimes", "other"]
    user.write_text('[sites.other]\nurl = "https://other.example"\ntimezone = "Mars/Base"\n')
    with pytest.raises(ConfigError, match=rf"sites.other.timezone in {user}: unknown timezone"):
        load_config(user, env={})


def test_a_user_topics_folder_is_read_before_the_shipped_one(tmp_path: Path) -> None:
    folder = tmp_path / "xdg" / "mtwatch" / "topics"
    folder.mkdir(parents=True)
    shipped = load_config(None, env={})
    (folder / "mine.toml").write_text(
        (shipped.topics_dir[-1] / "syria-turkey.toml").read_text(encoding="utf-8"),
        encoding="utf-8")
    user = tmp_path / "user.toml"
    user.write_text('[topics]\nenabled = ["mine", "syria-turkey"]\n')
    config = load_config(user, env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert config.topics_dir[0] == folder
    assert config.topics.enabled == ["mine", "syria-turkey"]
    with pytest.raises(ConfigError, match=r"topics.enabled in .*unknown topic 'mine'"):
        load_config(user, env={"XDG_CONFIG_HOME": str(tmp_path / "elsewhere")})


def test_the_shipped_config_is_package_data() -> None:
    """crawler/defaults (a link to config/ in the source tree) is what a wheel installs."""
    config = load_config(None, env={})
    assert config.sources[0].endswith("crawler/defaults/mtwatch.toml")
    assert (config.topics_dir[-1] / "syria-turkey.toml").is_file()
