-- written by `python -m pipelines.storage.migrate` from a store migrated to 0017_source_moves: do not edit

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE articles (
	article_id BIGINT NOT NULL, 
	url TEXT NOT NULL, 
	headline TEXT NOT NULL, 
	subtitle TEXT NOT NULL, 
	authors JSON NOT NULL, 
	published DATETIME, 
	modified DATETIME, 
	section TEXT NOT NULL, 
	tags JSON NOT NULL, 
	language VARCHAR(16) NOT NULL, 
	html_sha256 VARCHAR(64) NOT NULL, 
	text TEXT NOT NULL, 
	extraction TEXT NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	failures INTEGER DEFAULT '0' NOT NULL, 
	last_error TEXT, 
	fetched_at DATETIME NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, source VARCHAR(32) DEFAULT '' NOT NULL, retry_at DATETIME, site VARCHAR(64) DEFAULT 'moscowtimes' NOT NULL, article_key TEXT DEFAULT '' NOT NULL, 
	CONSTRAINT pk_articles PRIMARY KEY (article_id)
);

CREATE INDEX ix_articles_published ON articles (published);

CREATE INDEX ix_articles_state ON articles (state);

CREATE TABLE matches (
	id INTEGER NOT NULL, 
	article_id BIGINT NOT NULL, 
	topic VARCHAR(64) NOT NULL, 
	rule_version VARCHAR(64) NOT NULL, 
	rule TEXT NOT NULL, 
	grade VARCHAR(32) NOT NULL, 
	evidence JSON NOT NULL, 
	matched_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, site VARCHAR(64) DEFAULT 'moscowtimes' NOT NULL, alert_key VARCHAR(64) DEFAULT '' NOT NULL, story_id VARCHAR(64), 
	CONSTRAINT pk_matches PRIMARY KEY (id), 
	CONSTRAINT fk_matches_article_id_articles FOREIGN KEY(article_id) REFERENCES articles (article_id), 
	CONSTRAINT uq_matches_article_id_topic UNIQUE (article_id, topic)
);

CREATE INDEX ix_matches_topic_matched_at ON matches (topic, matched_at);

CREATE TABLE "runs" (
	id INTEGER NOT NULL, 
	"trigger" VARCHAR(32) NOT NULL, 
	started_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	status VARCHAR(16) NOT NULL, 
	reason TEXT NOT NULL, 
	stats JSON NOT NULL, 
	CONSTRAINT pk_runs PRIMARY KEY (id), 
	CONSTRAINT ck_runs_status CHECK (status IN ('running', 'ok', 'failed', 'degraded', 'skipped', 'missed'))
);

CREATE INDEX ix_runs_started_at ON runs (started_at);

CREATE TABLE ops_state (
	"key" VARCHAR(64) NOT NULL, 
	value JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_ops_state PRIMARY KEY ("key")
);

CREATE TABLE "alert_outbox" (
	id INTEGER NOT NULL, 
	match_id INTEGER, 
	channel VARCHAR(32) NOT NULL, 
	idempotency_key VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER DEFAULT '0' NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	lease_until DATETIME, 
	last_error TEXT, 
	payload JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	kind VARCHAR(16) DEFAULT 'alert' NOT NULL, 
	refers_to VARCHAR(64), 
	digest_id INTEGER, 
	claimed_by VARCHAR(128), batch VARCHAR(16), site VARCHAR(64), watch VARCHAR(32) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_alert_outbox PRIMARY KEY (id), 
	CONSTRAINT fk_alert_outbox_match_id_matches FOREIGN KEY(match_id) REFERENCES matches (id), 
	CONSTRAINT ck_alert_outbox_status CHECK (status IN ('pending', 'sending', 'sent', 'dead')), 
	CONSTRAINT uq_alert_outbox_idempotency_key_channel UNIQUE (idempotency_key, channel), 
	CONSTRAINT ck_alert_outbox_kind CHECK (kind IN ('alert', 'update', 'digest', 'notice'))
);

CREATE INDEX ix_alert_outbox_match_id ON alert_outbox (match_id);

CREATE INDEX ix_alert_outbox_status_next_attempt_at ON alert_outbox (status, next_attempt_at);

CREATE INDEX ix_alert_outbox_digest_id ON alert_outbox (digest_id);

CREATE TABLE alert_channels (
	channel VARCHAR(32) NOT NULL, 
	disabled_at DATETIME NOT NULL, 
	reason TEXT NOT NULL, fix TEXT DEFAULT '' NOT NULL, resume VARCHAR(16) DEFAULT 'enable' NOT NULL, settings VARCHAR(64) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_alert_channels PRIMARY KEY (channel)
);

CREATE TABLE sources (
	url TEXT NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	etag TEXT, 
	last_modified TEXT, 
	body TEXT, 
	newest_item DATETIME, 
	lastmod TEXT, 
	checked_at DATETIME NOT NULL, 
	changed_at DATETIME NOT NULL, site VARCHAR(64) DEFAULT 'moscowtimes' NOT NULL, moved_to TEXT, 
	CONSTRAINT pk_sources PRIMARY KEY (url)
);

CREATE TABLE labels (
	id INTEGER NOT NULL, 
	article_id BIGINT NOT NULL, 
	topic VARCHAR(64) NOT NULL, 
	verdict VARCHAR(16) NOT NULL, 
	note TEXT DEFAULT '' NOT NULL, 
	labelled_by VARCHAR(128) NOT NULL, 
	labelled_at DATETIME NOT NULL, 
	superseded_at DATETIME, 
	CONSTRAINT pk_labels PRIMARY KEY (id), 
	CONSTRAINT ck_labels_verdict CHECK (verdict IN ('relevant', 'not-relevant')), 
	CONSTRAINT fk_labels_article_id_articles FOREIGN KEY(article_id) REFERENCES articles (article_id)
);

CREATE UNIQUE INDEX uq_labels_current ON labels (article_id, topic) WHERE superseded_at IS NULL;

CREATE INDEX ix_labels_topic_labelled_at ON labels (topic, labelled_at);

CREATE INDEX ix_matches_topic_article_id ON matches (topic, article_id);

CREATE INDEX ix_runs_finished_at ON runs (finished_at);

CREATE TABLE backfills (
	id INTEGER NOT NULL, 
	"trigger" VARCHAR(16) NOT NULL, 
	since DATE NOT NULL, 
	reason TEXT NOT NULL, 
	months JSON NOT NULL, 
	walked JSON NOT NULL, 
	months_total INTEGER NOT NULL, 
	months_walked INTEGER NOT NULL, 
	started_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	finished_at DATETIME, site VARCHAR(64) DEFAULT 'moscowtimes' NOT NULL, 
	CONSTRAINT pk_backfills PRIMARY KEY (id), 
	CONSTRAINT ck_backfills_trigger CHECK (trigger IN ('since', 'backfill_days', 'auto'))
);

CREATE INDEX ix_backfills_finished_at ON backfills (finished_at);

CREATE UNIQUE INDEX uq_articles_site_article_key ON articles (site, article_key);

CREATE TABLE soft_404s (
	site VARCHAR(64) NOT NULL, 
	article_key TEXT NOT NULL, 
	article_id BIGINT NOT NULL, 
	url TEXT NOT NULL, 
	hits INTEGER DEFAULT '1' NOT NULL, 
	first_seen DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	recheck_at DATETIME NOT NULL, 
	CONSTRAINT pk_soft_404s PRIMARY KEY (site, article_key)
);

CREATE TABLE run_sites (
	run_id INTEGER NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_run_sites PRIMARY KEY (run_id, site), 
	CONSTRAINT fk_run_sites_run_id_runs FOREIGN KEY(run_id) REFERENCES runs (id)
);

CREATE TABLE url_leases (
	url TEXT NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	claimed_by VARCHAR(255), 
	lease_until DATETIME, 
	attempts INTEGER NOT NULL, 
	updated DATETIME NOT NULL, 
	CONSTRAINT pk_url_leases PRIMARY KEY (url), 
	CONSTRAINT ck_url_leases_state CHECK (state IN ('queued', 'claimed', 'done'))
);

CREATE INDEX ix_url_leases_state_lease_until ON url_leases (state, lease_until);

CREATE TABLE source_polls (
	url TEXT NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	polled_at DATETIME NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	failures INTEGER DEFAULT '0' NOT NULL, 
	error TEXT, 
	error_at DATETIME, 
	recent JSON NOT NULL, schedule JSON, next_poll_at DATETIME, 
	CONSTRAINT pk_source_polls PRIMARY KEY (url)
);

CREATE INDEX ix_source_polls_site ON source_polls (site);

CREATE INDEX ix_matches_story_id_topic ON matches (story_id, topic);

CREATE TABLE story_index (
	name VARCHAR(32) NOT NULL, 
	token VARCHAR(32) NOT NULL, 
	state JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_story_index PRIMARY KEY (name)
);

