export { startEjabberd, EjabberdStartError, type EjabberdOptions, type EjabberdServer } from './server.js';
export {
  ensureInstalled,
  findInstallation,
  EjabberdNotInstalledError,
  INSTALL_COMMAND,
  POSTGRES_DRIVER_PACKAGE,
  REQUIRED_PACKAGES,
  type EjabberdInstallation,
  type EnsureInstalledOptions,
} from './installation.js';
export { freePort } from './ports.js';
export type { LogLevel, PostgresDatabase } from './config.js';
export { startPostgres, POSTGRES_PACKAGES, type LocalPostgres, type PostgresOptions } from './postgres.js';
export { registerAccount, type Account } from './admin.js';
