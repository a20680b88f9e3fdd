"""Schema migrations, one per version, applied forward in order (``PRAGMA user_version``).

Version N of the schema is the result of applying ``MIGRATIONS[:N]``. Never edit a
migration that has shipped: add a new one. ``tests/store/test_migrations.py`` builds a
database at every earlier version and upgrades it.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: catalog, element sets, customers and sites, audit log
    (
        """CREATE TABLE element_sets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            source TEXT NOT NULL,
            synthetic INTEGER NOT NULL DEFAULT 0,
            imported_utc TEXT NOT NULL,
            epoch_min_utc TEXT,
            epoch_max_utc TEXT,
            satellite_count INTEGER NOT NULL,
            active INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE satellites (
            element_set_id INTEGER NOT NULL REFERENCES element_sets(id) ON DELETE CASCADE,
            norad_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            epoch_utc TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('tle', 'omm')),
            elements TEXT NOT NULL,
            PRIMARY KEY (element_set_id, norad_id)
        )""",
        """CREATE TABLE cloud_regions (
            id TEXT PRIMARY KEY,
            provider TEXT NOT NULL,
            name TEXT NOT NULL,
            display_name TEXT NOT NULL,
            lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
            lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
            geography TEXT NOT NULL,
            country TEXT NOT NULL,
            residency_zone TEXT NOT NULL,
            paired_region TEXT
        )""",
        """CREATE TABLE gateways (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
            lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
            alt_m REAL NOT NULL DEFAULT 0,
            antennas INTEGER NOT NULL,
            capacity_gbps REAL NOT NULL CHECK (capacity_gbps >= 0),
            min_elevation_deg REAL NOT NULL,
            residency_zone TEXT NOT NULL
        )""",
        """CREATE TABLE gateway_backhaul (
            gateway_id TEXT NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
            region_id TEXT NOT NULL REFERENCES cloud_regions(id),
            PRIMARY KEY (gateway_id, region_id)
        )""",
        """CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            sector TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE sites (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
            lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
            alt_m REAL NOT NULL DEFAULT 0,
            demand_mbps REAL NOT NULL CHECK (demand_mbps >= 0),
            max_rtt_ms REAL NOT NULL,
            min_availability_pct REAL NOT NULL,
            residency TEXT NOT NULL DEFAULT '',
            priority INTEGER NOT NULL,
            UNIQUE (customer_id, name)
        )""",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at_utc TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT,
            detail TEXT
        )""",
    ),
    # 2: plans (filled by the planner)
    (
        """CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            author TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'approved', 'active', 'archived')),
            parameters TEXT NOT NULL DEFAULT '{}',
            element_set_id INTEGER REFERENCES element_sets(id),
            software_version TEXT NOT NULL,
            parent_plan_id INTEGER REFERENCES plans(id)
        )""",
    ),
    # 3: indexes for the explorer and audit queries; one active element set at most
    (
        "CREATE INDEX satellites_by_norad ON satellites(norad_id)",
        "CREATE INDEX sites_by_customer ON sites(customer_id)",
        "CREATE INDEX audit_by_time ON audit_log(at_utc)",
        "CREATE UNIQUE INDEX one_active_element_set ON element_sets(active) WHERE active = 1",
    ),
    # 4: what a plan needs to be kept, compared and approved
    (
        "ALTER TABLE plans ADD COLUMN element_epoch_utc TEXT",
        "ALTER TABLE plans ADD COLUMN start_utc TEXT",
        "ALTER TABLE plans ADD COLUMN step_s REAL",
        "ALTER TABLE plans ADD COLUMN slots INTEGER",
        "ALTER TABLE plans ADD COLUMN exclusions TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE plans ADD COLUMN pins TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE plans ADD COLUMN totals TEXT NOT NULL DEFAULT '{}'",
        """CREATE TABLE plan_results (
            plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
            sites TEXT NOT NULL,
            gateways TEXT NOT NULL,
            regions TEXT NOT NULL,
            satellites BLOB NOT NULL,
            arrays BLOB NOT NULL,
            site_metrics BLOB NOT NULL
        )""",
        # an approved (or later) plan never changes: only its status moves on
        """CREATE TRIGGER plans_frozen BEFORE UPDATE ON plans
           WHEN OLD.status != 'draft' AND (
               NEW.name IS NOT OLD.name OR NEW.parameters IS NOT OLD.parameters
               OR NEW.exclusions IS NOT OLD.exclusions OR NEW.pins IS NOT OLD.pins
               OR NEW.totals IS NOT OLD.totals OR NEW.element_set_id IS NOT OLD.element_set_id
               OR NEW.start_utc IS NOT OLD.start_utc OR NEW.step_s IS NOT OLD.step_s
               OR NEW.status = 'draft')
           BEGIN SELECT RAISE(ABORT, 'an approved plan cannot be changed'); END""",
        """CREATE TRIGGER plan_results_frozen BEFORE UPDATE ON plan_results
           WHEN (SELECT status FROM plans WHERE id = OLD.plan_id) != 'draft'
           BEGIN SELECT RAISE(ABORT, 'an approved plan cannot be changed'); END""",
        """CREATE TRIGGER plans_kept BEFORE DELETE ON plans
           WHEN OLD.status NOT IN ('draft', 'archived')
           BEGIN SELECT RAISE(ABORT, 'an approved plan cannot be changed'); END""",
        """CREATE TRIGGER plan_results_kept BEFORE DELETE ON plan_results
           WHEN (SELECT status FROM plans WHERE id = OLD.plan_id) NOT IN ('draft', 'archived')
           BEGIN SELECT RAISE(ABORT, 'an approved plan cannot be changed'); END""",
        "CREATE INDEX plans_by_status ON plans(status)",
    ),
    # 5: training sessions and their log (append-only: replay and debrief read it back)
    (
        """CREATE TABLE training_sessions (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            scenario_path TEXT NOT NULL,
            scenario_text TEXT NOT NULL,
            sim_start_utc TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            ended_utc TEXT,
            who TEXT NOT NULL,
            starting_plan_id INTEGER REFERENCES plans(id)
        )""",
        """CREATE TABLE session_log (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES training_sessions(id),
            sim_utc TEXT NOT NULL,
            wall_utc TEXT NOT NULL,
            who TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('control', 'event', 'action', 'alert', 'ack')),
            what TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX session_log_by_time ON session_log(session_id, sim_utc, id)",
        """CREATE TRIGGER session_log_kept BEFORE UPDATE ON session_log
           BEGIN SELECT RAISE(ABORT, 'the session log cannot be changed'); END""",
        """CREATE TRIGGER session_log_not_deleted BEFORE DELETE ON session_log
           BEGIN SELECT RAISE(ABORT, 'the session log cannot be changed'); END""",
    ),
    # 6: a site's own terminal mask (NULL: the plan's default) and horizon profile
    (
        """ALTER TABLE sites ADD COLUMN min_elevation_deg REAL
           CHECK (min_elevation_deg IS NULL OR min_elevation_deg BETWEEN -5 AND 90)""",
        "ALTER TABLE sites ADD COLUMN horizon TEXT NOT NULL DEFAULT ''",
    ),
    # 7: points of presence; a gateway's status, antenna-count source and home PoP
    # (gateways without a PoP keep backhauling straight to their gateway_backhaul regions)
    (
        """CREATE TABLE pops (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL,
            code_source TEXT NOT NULL DEFAULT 'catalog',
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
            lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
            status TEXT NOT NULL DEFAULT 'operational'
                CHECK (status IN ('operational', 'planned')),
            residency_zone TEXT NOT NULL
        )""",
        """CREATE TABLE pop_regions (
            pop_id TEXT NOT NULL REFERENCES pops(id) ON DELETE CASCADE,
            region_id TEXT NOT NULL REFERENCES cloud_regions(id),
            rank INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (pop_id, region_id)
        )""",
        """ALTER TABLE gateways ADD COLUMN status TEXT NOT NULL DEFAULT 'operational'
           CHECK (status IN ('operational', 'planned'))""",
        "ALTER TABLE gateways ADD COLUMN antennas_source TEXT NOT NULL DEFAULT 'catalog'",
        "ALTER TABLE gateways ADD COLUMN pop_id TEXT REFERENCES pops(id)",
    ),
    # 8: N-1 contingency studies of a plan, their elements ranked by impact
    (
        """CREATE TABLE contingency_studies (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            created_utc TEXT NOT NULL,
            who TEXT NOT NULL,
            software_version TEXT NOT NULL,
            kinds TEXT NOT NULL,
            executor TEXT NOT NULL,
            elapsed_s REAL NOT NULL CHECK (elapsed_s >= 0)
        )""",
        """CREATE TABLE contingency_results (
            study_id INTEGER NOT NULL REFERENCES contingency_studies(id) ON DELETE CASCADE,
            rank INTEGER NOT NULL CHECK (rank >= 1),
            kind TEXT NOT NULL CHECK (kind IN ('gateway', 'pop', 'region', 'plane')),
            element_id TEXT NOT NULL,
            label TEXT NOT NULL,
            lost_weighted_pct REAL NOT NULL,
            lost_demand_mbps_h REAL NOT NULL,
            sites_losing_availability TEXT NOT NULL DEFAULT '[]',
            sites_losing_rtt TEXT NOT NULL DEFAULT '[]',
            customers TEXT NOT NULL DEFAULT '[]',
            worst_site_id INTEGER,
            worst_drop_pct REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (study_id, rank)
        )""",
        "CREATE INDEX contingency_studies_by_plan ON contingency_studies(plan_id, id)",
    ),
    # 9: customer contracts (SLA and credit schedule) and the operations record: incidents
    (
        """CREATE TABLE contracts (
            customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
            availability_pct REAL NOT NULL CHECK (availability_pct > 0 AND availability_pct <= 100),
            min_outage_s REAL NOT NULL CHECK (min_outage_s >= 0),
            max_rtt_ms REAL CHECK (max_rtt_ms IS NULL OR max_rtt_ms > 0),
            rtt_percentile REAL NOT NULL CHECK (rtt_percentile > 0 AND rtt_percentile <= 100),
            monthly_fee REAL NOT NULL CHECK (monthly_fee >= 0),
            currency TEXT NOT NULL,
            credit_kind TEXT NOT NULL CHECK (credit_kind IN ('flat', 'tiered')),
            tiers TEXT NOT NULL,
            maintenance_notice_h REAL NOT NULL CHECK (maintenance_notice_h >= 0),
            time_zone TEXT,
            updated_utc TEXT NOT NULL
        )""",
        """CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('gateway', 'pop', 'region', 'satellite', 'plane')),
            element_id TEXT NOT NULL,
            start_utc TEXT NOT NULL,
            end_utc TEXT CHECK (end_utc IS NULL OR end_utc > start_utc),
            capacity_pct REAL
                CHECK (capacity_pct IS NULL OR (capacity_pct >= 0 AND capacity_pct < 100)),
            cause TEXT NOT NULL,
            ticket TEXT NOT NULL DEFAULT '',
            created_utc TEXT NOT NULL
        )""",
        "CREATE INDEX incidents_by_time ON incidents(start_utc, end_utc)",
        """CREATE TABLE maintenances (
            id INTEGER PRIMARY KEY,
            tracking_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('gateway', 'pop', 'region', 'satellite', 'plane')),
            element_id TEXT NOT NULL,
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL CHECK (end_utc > start_utc),
            reason TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
            revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
            created_utc TEXT NOT NULL
        )""",
        """CREATE TABLE maintenance_notices (
            id INTEGER PRIMARY KEY,
            maintenance_id INTEGER NOT NULL REFERENCES maintenances(id) ON DELETE CASCADE,
            customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('initial', 'updated', 'cancelled')),
            issued_utc TEXT NOT NULL,
            sites TEXT NOT NULL DEFAULT '[]',
            files TEXT NOT NULL DEFAULT '[]'
        )""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
