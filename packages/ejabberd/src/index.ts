export {
  startEjabberd,
  EjabberdStartError,
  type EjabberdOptions,
  type EjabberdServer,
  type Account,
} from './server.js';
export {
  ensureInstalled,
  findInstallation,
  EjabberdNotInstalledError,
  INSTALL_COMMAND,
  REQUIRED_PACKAGES,
  type EjabberdInstallation,
  type EnsureInstalledOptions,
} from './installation.js';
export { freePort } from './ports.js';
export type { LogLevel } from './config.js';
