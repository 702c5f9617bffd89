-- Per-occupant message rate limit for MUC rooms: each account may send at most `rate`
-- groupchat messages a second to a room, with bursts of up to `burst`. Messages over the
-- limit are refused with a 'wait' resource-constraint error and never relayed or archived,
-- so one flooding participant cannot slow the room for the others. prosody-modules'
-- mod_muc_limits throttles a whole room and exempts members, which is not this.
--
-- Load on a MUC component:  modules_enabled = { "xsync_muc_rate" }
-- Options: xsync_muc_rate (messages per second, default 200), xsync_muc_burst (default 400).

local jid_bare = require "util.jid".bare;
local new_throttle = require "util.throttle".create;
local st = require "util.stanza";

local rate = math.max(module:get_option_number("xsync_muc_rate", 200), 1);
local burst = math.max(module:get_option_number("xsync_muc_burst", 400), 1);

-- room -> bare JID -> throttle; weak keys let a room's table go with the room. A sender's
-- throttle outlives its occupancy, so leaving and entering again does not refill it.
module:log("info", "xsync_muc_rate: %d messages a second, bursts of %d", rate, burst);
local throttles = setmetatable({}, { __mode = "k" });

module:hook("muc-occupant-groupchat", function(event)
	local room, stanza = event.room, event.stanza;
	local sender = jid_bare(stanza.attr.from);
	local by_sender = throttles[room];
	if not by_sender then
		by_sender = {};
		throttles[room] = by_sender;
	end
	local throttle = by_sender[sender];
	if not throttle then
		throttle = new_throttle(burst, burst / rate);
		by_sender[sender] = throttle;
	end
	if throttle:poll(1) then return; end
	event.origin.send(st.error_reply(stanza, "wait", "resource-constraint", "Traffic rate limit is exceeded"));
	return true;
end, 10);
