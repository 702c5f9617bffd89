-- Prosody 13 configuration for a project-local xsync server.
-- Rendered by @xsync/servers, which fills in the double-braced placeholders at start.
-- Everything listens on loopback only; nothing leaves the machine, so there is no TLS.

-- The owner runs the process in the foreground (prosody -F) and stops it; logs go to a file
-- in the data dir, and to stdout at info level, where the owner reads which ports are open.
data_path = "{{DATA_PATH}}"
pidfile = "{{PID_FILE}}"
-- An empty directory: without certificates Prosody offers no TLS, and does not complain.
certificates = "{{CERTS_DIR}}"
-- prosody-modules (SASL2, Bind2, FAST); Debian installs them beside Prosody's own modules.
-- Then xsync's own (mod_xsync_muc_rate), copied into the data dir.
plugin_paths = { "{{PLUGIN_PATH}}", "{{XSYNC_MODULES}}" }
log = {
	{ levels = { min = "{{LOG_LEVEL}}" }, to = "file", filename = "{{LOG_FILE}}" };
	{ levels = { min = "info" }, to = "console" };
}

-- Only the ports below, on 127.0.0.1 only: no server-to-server, no HTTPS, no components port.
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { {{C2S_PORT}} }
c2s_direct_tls_ports = {}
http_ports = { {{HTTP_PORT}} }
https_ports = {}
s2s_ports = {}
component_ports = {}
modules_disabled = { "s2s", "s2s_auth_certs" }
http_interfaces = { "127.0.0.1" }
https_interfaces = {}
http_default_host = "{{DOMAIN}}"
http_external_url = "http://127.0.0.1:{{HTTP_PORT}}/"
http_paths = { websocket = "/ws"; file_share = "/upload" }

-- No TLS on loopback, so SASL (SCRAM and PLAIN) and SASL2 run over the plain stream.
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
-- A plain ws:// stream on loopback counts as secure enough to log in over.
consider_websocket_secure = true
authentication = "internal_hashed"

-- Accounts, rooms and archives in SQLite inside the data dir; the starter creates the file in
-- WAL mode, which LuaDBI cannot switch on itself (it runs every statement in a transaction).
storage = "sql"
sql = { driver = "SQLite3", database = "{{DATABASE}}" }

-- Largest stanza a client may send (Prosody's default is 256 KiB); WebSocket frames follow it.
c2s_stanza_size_limit = 1048576
-- mod_limits (10 KiB/s per client with a 2 s burst by default) is deliberately not loaded:
-- loopback clients are trusted, and a shared whiteboard bursts far above that.

-- XEP-0198 stream management: a dropped client may resume within 300 s, and bursts of
-- collaboration traffic fit in the unacknowledged queue (default 500).
smacks_hibernation_time = 300
smacks_max_queue_size = 5000

-- XEP-0352: an inactive client's bodiless messages wait in a queue (csi_simple), except
-- xsync events, which must reach every editor at once.
csi_important_payloads = { "{urn:xsync:1}event" }

-- MAM keeps everything (default: one week) and pages up to 250 results (default 50).
archive_expires_after = "never"
default_archive_policy = true
max_archive_query_results = 250

-- In-band registration (XEP-0077) for the demo's guests, from loopback addresses only.
allow_registration = true
allowlist_registration_only = true
registration_allowlist = { "127.0.0.1", "::1" }

-- The owner creates accounts through the admin shell on this unix socket in the data dir.
admin_socket = "{{ADMIN_SOCKET}}"

modules_enabled = {
	"admin_shell";
	"disco";
	"ping";
	"roster";
	"saslauth";
	"csi_simple";
	"carbons";
	"mam";
	"smacks";
	"register";
	"http";
	"websocket";
	-- SASL2 (XEP-0388), Bind2 (XEP-0386), stream management inside SASL2, and FAST
	-- (XEP-0484) logins by token, from prosody-modules.
	"sasl2";
	"sasl2_bind2";
	"sasl2_sm";
	"sasl2_fast";
}

VirtualHost "{{DOMAIN}}"

-- Rooms with MAM; Prosody 13's MUC adds occupant ids (XEP-0421) itself (muc_occupant_id).
-- Rooms outlive their occupants, as on ejabberd: a temporary room takes its archive with it.
-- Each account sends a room at most 500 messages a second, in bursts of up to 500 (LIM2),
-- unless the server was started with another roomMessageRate.
Component "muc.{{DOMAIN}}" "muc"
	modules_enabled = { "muc_mam", "xsync_muc_rate" }
	xsync_muc_rate = {{ROOM_MESSAGE_RATE}}
	xsync_muc_burst = {{ROOM_MESSAGE_BURST}}
	muc_log_expires_after = "never"
	muc_room_default_persistent = true

-- XEP-0363 HTTP File Upload: whiteboard images up to 10 MiB, kept in the data dir, served
-- at /upload on the HTTP port (mod_http answers CORS requests from any origin).
Component "upload.{{DOMAIN}}" "http_file_share"
	http_host = "{{DOMAIN}}"
	http_file_share_size_limit = 10485760
	http_file_share_expires_after = "never"
