-- The items of a shared statement (src/db/statement-batcher.ts), one JSON object each, declared to
-- the planner as one row (ROWS 1). json_to_recordset is estimated at 100 rows, which made the
-- generic plans of the shared statements hash-join whole tables (transactions, stations, evses)
-- instead of probing their indexes for the few items a statement carries. The SET clause keeps the
-- function from being inlined, which would bring back the 100-row estimate.
CREATE FUNCTION "batch_items"("batch" text) RETURNS SETOF json
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 1
  SET search_path = pg_catalog
  AS $$ SELECT json_array_elements(batch::json) $$;
