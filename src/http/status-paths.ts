// Paths of StratusDB's own GET endpoints, shared by the server and the command that reads them.

/** Each trigger's state and counters (JSON). */
export const triggerStatusPath = '/stratusdb/triggers';

/** The pipeline's counters: requests and errors per operation, capacity units per table (JSON). */
export const metricsPath = '/stratusdb/metrics';
