// xent's SQL on DuckDB (@duckdb/node-api, in process): 1M rows with saturated logits (WAREHOUSE_TEST_ROWS),
// compared with xent's own evaluation. The suite is test/helpers/warehouseSuite.ts, shared with PostgreSQL.
import { describe } from "vitest";
import { openDuckdb } from "./helpers/warehouseEngines.js";
import { WAREHOUSE_TEST_ROWS, warehouseSuite } from "./helpers/warehouseSuite.js";

describe(`DuckDB: logLossSql on ${WAREHOUSE_TEST_ROWS} rows`, () => {
  warehouseSuite(() => openDuckdb());
});
