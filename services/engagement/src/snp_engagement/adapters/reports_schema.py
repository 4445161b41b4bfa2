"""The tables of residents' reports.

`reports` and `report_updates` are the read model of engagement's report events (in
`TABLES`, rebuilt from the store with the others). `report_keys` and `report_photos` are state
no event carries: each report's data key, wrapped by the report KEK, and its photo as sealed
segments (contents never travel on Kafka); destroying a key row crypto-shreds its report's texts
in the events and its photo. `report_agencies` is the projection of identity's agency events
(which agencies of the force a report may be passed to, and what the resident is told they
are called)."""

from __future__ import annotations

REPORT_TABLES = ("reports", "report_updates", "report_retention")

REPORTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_id       text PRIMARY KEY,  -- a UUIDv7
    tenant          text NOT NULL,
    ward_code       text NOT NULL,
    category        text NOT NULL,
    sealed_what     bytea NOT NULL,
    sealed_where    bytea NOT NULL,
    sealed_postcode bytea NOT NULL,
    happened_at     text NOT NULL,
    time_unknown    boolean NOT NULL DEFAULT false,  -- a day given without a time
    reporter        text NOT NULL,     -- '' when anonymous
    reference       text,              -- anonymous reports only
    secret_sha256   text,              -- anonymous reports only
    photo_type      text,
    photo_size      bigint,
    photo_sha256    text,
    status          text NOT NULL,
    agency_id       text NOT NULL DEFAULT '',
    agency_name     text NOT NULL DEFAULT '',
    filed_at        timestamptz NOT NULL,
    -- When its contents were crypto-shredded under the force's retention (ReportShredded).
    shredded_at     timestamptz
);
-- A column planned for retention and never set; retention reads the closing step's time.
ALTER TABLE reports DROP COLUMN IF EXISTS retain_until;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS shredded_at timestamptz;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS time_unknown boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS reports_by_ward ON reports (tenant, ward_code, report_id);
CREATE UNIQUE INDEX IF NOT EXISTS reports_by_reference ON reports (tenant, reference)
    WHERE reference IS NOT NULL;

CREATE TABLE IF NOT EXISTS report_updates (
    report_id   text NOT NULL,
    version     integer NOT NULL,  -- the event's place in the report's stream
    status      text NOT NULL,
    agency_name text NOT NULL,
    sealed_note bytea NOT NULL,
    by_account  text NOT NULL,     -- police or partner staff, never the reporter
    at          timestamptz NOT NULL,
    PRIMARY KEY (report_id, version)
);

-- How long each force keeps a closed report's contents (ReportRetentionSet); a force with no
-- row keeps them for the service's default.
CREATE TABLE IF NOT EXISTS report_retention (
    tenant             text PRIMARY KEY,
    days_after_closing integer NOT NULL,
    set_by             text NOT NULL,
    set_at             timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS report_keys (
    report_id   text PRIMARY KEY,
    tenant      text NOT NULL,
    wrapped_key bytea NOT NULL,
    kek_id      text NOT NULL,
    photo_salt  bytea
);

CREATE TABLE IF NOT EXISTS report_photos (
    report_id  text NOT NULL,
    index      integer NOT NULL,
    ciphertext bytea NOT NULL,
    PRIMARY KEY (report_id, index)
);

CREATE TABLE IF NOT EXISTS report_agencies (
    agency_id text PRIMARY KEY,
    tenant    text NOT NULL,
    name      text NOT NULL,
    retired   boolean NOT NULL DEFAULT false
);
"""
