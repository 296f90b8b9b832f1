import type { Migration } from './migration.js';

/**
 * Search engine, part 3: the `special` searches.
 *
 * `idx_text` holds one row per current resource version: `narrative` (the `text.div` words, for
 * `_text`) and `content` (every string of the resource, for `_content`) as `tsvector`s of the
 * 'simple' configuration (no stemming, no stop words: see the db README), each with a GIN index.
 * The write path computes the words in Node (markup stripped, accents removed) and the vectors
 * in SQL in the same statement as the other index rows; like them it holds no history. (No
 * unique key on rid: an update deletes the old row and inserts the new one in one statement,
 * where a unique index would see both.)
 *
 * `idx_position` holds Location.position (WGS84 degrees) for `near`; the B-tree on
 * (resource_type, param, latitude, longitude) serves the bounding-box prefilter, and the exact
 * great-circle distance is checked on the few rows inside the box.
 *
 * Resources stored before this migration are backfilled from their JSON in SQL: the same
 * strings, without the accent folding the write path adds (re-save a resource to refresh it).
 */
export const specialSearch: Migration = {
  version: 4,
  name: 'special_search',
  sql: `
CREATE TABLE idx_text (
  rid bigint NOT NULL,
  resource_type text COLLATE "C" NOT NULL,
  narrative tsvector,
  content tsvector NOT NULL
);
CREATE INDEX idx_text_rid_idx ON idx_text (rid);
CREATE INDEX idx_text_narrative_idx ON idx_text USING gin (narrative);
CREATE INDEX idx_text_content_idx ON idx_text USING gin (content);

CREATE TABLE idx_position (
  rid bigint NOT NULL,
  resource_type text COLLATE "C" NOT NULL,
  param text COLLATE "C" NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL
);
CREATE INDEX idx_position_box_idx ON idx_position (resource_type, param, latitude, longitude);
CREATE INDEX idx_position_rid_idx ON idx_position (rid);

INSERT INTO idx_text (rid, resource_type, narrative, content)
SELECT rid, resource_type,
  CASE WHEN jsonb_typeof(content #> '{text,div}') = 'string'
    THEN to_tsvector('simple', left(content #>> '{text,div}', 100000)) END,
  coalesce(to_tsvector('simple', left(content #>> '{text,div}', 100000)), ''::tsvector) ||
    jsonb_to_tsvector('simple', content - 'resourceType' - 'id' - 'meta' - 'text', '["string"]')
FROM resources
WHERE NOT deleted AND length(content_text) <= 100000;

INSERT INTO idx_position (rid, resource_type, param, latitude, longitude)
SELECT rid, resource_type, 'near', (content #>> '{position,latitude}')::double precision,
  (content #>> '{position,longitude}')::double precision
FROM resources
WHERE resource_type = 'Location' AND NOT deleted
  AND jsonb_typeof(content #> '{position,latitude}') = 'number'
  AND jsonb_typeof(content #> '{position,longitude}') = 'number'
  AND abs((content #>> '{position,latitude}')::double precision) <= 90
  AND abs((content #>> '{position,longitude}')::double precision) <= 180;
`,
};
