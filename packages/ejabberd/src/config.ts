import { readFileSync } from 'node:fs';

/** Values that fill the ejabberd.yml template. */
export interface ConfigValues {
  domain: string;
  c2sPort: number;
  httpPort: number;
  sqlDatabase: string;
  /** Where XEP-0363 uploads are kept. */
  uploadDir: string;
  logLevel: LogLevel;
  maxStanzaSize: number;
}

/** ejabberd's log levels, quietest first. */
export type LogLevel = 'none' | 'emergency' | 'alert' | 'critical' | 'error' | 'warning' | 'notice' | 'info' | 'debug';

const TEMPLATE_URL = new URL('../templates/ejabberd.yml', import.meta.url);

/** Renders the project's ejabberd.yml for one server instance. */
export function renderConfig(values: ConfigValues): string {
  const fill: Record<string, string> = {
    DOMAIN: values.domain,
    C2S_PORT: String(values.c2sPort),
    HTTP_PORT: String(values.httpPort),
    SQL_DATABASE: values.sqlDatabase,
    UPLOAD_DIR: values.uploadDir,
    LOGLEVEL: values.logLevel,
    MAX_STANZA_SIZE: String(values.maxStanzaSize),
  };
  for (const [key, value] of Object.entries(fill)) {
    if (/["\n\\]/.test(value)) throw new Error(`Invalid ejabberd config value for ${key}: ${value}`);
  }
  return readFileSync(TEMPLATE_URL, 'utf8').replace(/\{\{([A-Z_0-9]+)\}\}/g, (_, key: string) => {
    const value = fill[key];
    if (value === undefined) throw new Error(`Unknown template placeholder {{${key}}}`);
    return value;
  });
}
