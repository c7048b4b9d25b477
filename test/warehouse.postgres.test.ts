// xent's SQL on PostgreSQL, in a throwaway cluster (Debian's server binaries, a free port on 127.0.0.1,
// stopped and removed afterwards): 1M rows with saturated logits (WAREHOUSE_TEST_ROWS) for the plain metrics
// and the naive forms; 100k rows of the same kind for the weighted and grouped cases and the state query (xent's
// query takes seconds per million rows in PostgreSQL, and the suite should stay near a minute). Without
// PostgreSQL installed the suite is skipped locally, with a message; under CI (`CI` or `XENT_REQUIRE_POSTGRES`
// set, as .ci/run does) it runs and fails, since CI installs PostgreSQL (.ci/run).
import { describe } from "vitest";
import { postgresSkipReason } from "./helpers/postgresCluster.js";
import { openPostgres } from "./helpers/warehouseEngines.js";
import { WAREHOUSE_TEST_ROWS, warehouseSuite } from "./helpers/warehouseSuite.js";

const skip = postgresSkipReason();
if (skip !== null) console.warn(`SKIPPED: ${skip}`);

describe.skipIf(skip !== null)(`PostgreSQL: logLossSql on ${WAREHOUSE_TEST_ROWS} rows (weighted, grouped, state: 100000)`, () => {
  warehouseSuite(openPostgres, { smallRows: 100_000, clientExport: true });
});
