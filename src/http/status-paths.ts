// Paths of StratusDB's own GET endpoints, shared by the server and the command that reads them.

/** Each trigger's state and counters (JSON). */
export const triggerStatusPath = '/stratusdb/triggers';

/** Counters: requests and errors per operation, capacity units per table, background job runs (JSON). */
export const metricsPath = '/stratusdb/metrics';

/** DynamoDB's CloudWatch metrics in Prometheus's text format (http/prometheus.ts). */
export const prometheusPath = '/metrics';

/** What the tables would cost on DynamoDB: the prices and each table's cost so far and a month ahead (JSON). */
export const costPath = '/stratusdb/cost';

/** With --test-clock: POST {"advanceMs": N} moves the server's clock forward; answers {"now": ms}. */
export const clockPath = '/stratusdb/clock';

/** With --test-clock: POST {"hold": true|false} holds backups, restores, exports and imports that start meanwhile, or lets them go; answers {"held": bool}. */
export const jobsPath = '/stratusdb/jobs';

/** POST {"region": R, "outage": true|false}: cuts every replication link to and from region R, or heals them; answers {"outages": [...]}. */
export const regionsPath = '/stratusdb/regions';
