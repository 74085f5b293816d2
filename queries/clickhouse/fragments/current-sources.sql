-- Fragment (ClickHouse): each source's newest row (its bookkeeping is a row per change), forgotten ones left out.
(SELECT * FROM (SELECT * FROM sources ORDER BY id, version DESC LIMIT 1 BY id) WHERE forgotten = 0)
