// Public API of the stratusdb package: run StratusDB in-process.
export { startServer, type RunningServer } from './main.js';
export type { ServerOptions, LogLevel } from './config/options.js';
export type { Clock } from './model/clock.js';
