export {
  startEjabberd,
  EjabberdStartError,
  MAX_STANZA_SIZE,
  type EjabberdOptions,
  type EjabberdServer,
} from './ejabberd/server.js';
export {
  DEFAULT_ROOM_MESSAGE_RATE,
  type Account,
  type RoomMessageRate,
  type ServerKind,
  type XmppServer,
} from './common/server.js';
export {
  BACKPORTED_PACKAGES,
  canInstallPackages,
  debianRelease,
  installCommand,
  installPackages,
  type DebianRelease,
} from './common/debian.js';
export {
  ensureInstalled,
  findInstallation,
  EjabberdNotInstalledError,
  INSTALL_COMMAND,
  POSTGRES_DRIVER_PACKAGE,
  REQUIRED_PACKAGES,
  type EjabberdInstallation,
  type EnsureInstalledOptions,
} from './ejabberd/installation.js';
export { freePort } from './common/ports.js';
export type { LogLevel, PostgresDatabase } from './ejabberd/config.js';
export { startPostgres, POSTGRES_PACKAGES, type LocalPostgres, type PostgresOptions } from './ejabberd/postgres.js';
export { registerAccount } from './ejabberd/admin.js';
export { startProsody, type ProsodyOptions, type ProsodyServer } from './prosody/server.js';
export { ProsodyStartError } from './prosody/process.js';
export {
  ensureProsodyInstalled,
  findProsody,
  ProsodyNotInstalledError,
  PROSODY_INSTALL_COMMAND,
  PROSODY_MINIMUM_VERSION,
  PROSODY_PACKAGES,
  type EnsureProsodyInstalledOptions,
  type ProsodyInstallation,
} from './prosody/installation.js';
export type { ProsodyLogLevel } from './prosody/config.js';
export { adminShell, registerProsodyAccount, ProsodyAdminError } from './prosody/admin.js';
