%% Occupant ids (XEP-0421) that stay the same across server restarts.
%%
%% ejabberd's own mod_muc_occupantid keeps each room's salt in RAM, so every
%% restart gives every participant of every room a new occupant id, which
%% XEP-0421 says must not change. xsync names participants by occupant id
%% (who wrote what, whose Yjs client ids are whose), so the project-local
%% ejabberd loads this module in its place: the same id scheme (a hash of the
%% occupant's bare JID and a random per-room salt), with the salts on disk.
-module(mod_xsync_occupantid).
-behaviour(gen_mod).

-include_lib("xmpp/include/xmpp.hrl").
-include("mod_muc_room.hrl").

-export([start/2, stop/1, reload/3, depends/2, mod_options/1, mod_doc/0]).
-export([stamp/3, forget_room/3]).

-record(xsync_occupant_salt, {room :: {binary(), binary()}, salt :: binary()}).

start(_Host, _Opts) ->
    ejabberd_mnesia:create(?MODULE, xsync_occupant_salt,
                           [{disc_copies, [node()]},
                            {attributes, record_info(fields, xsync_occupant_salt)}]),
    {ok, [{hook, muc_filter_presence, stamp, 10},
          {hook, muc_filter_message, stamp, 10},
          {hook, remove_room, forget_room, 50}]}.

stop(_Host) -> ok.

reload(_Host, _NewOpts, _OldOpts) -> ok.

depends(_Host, _Opts) -> [{mod_muc, hard}].

mod_options(_Host) -> [].

mod_doc() -> #{desc => ["Occupant ids (XEP-0421) whose per-room salts survive restarts."]}.

%% Every presence and message the room sends out carries the sender's occupant id.
%% A message another module dropped (a rate limit) is no stanza any more, and passes.
stamp(Packet, #state{jid = RoomJid}, _Nick) when is_record(Packet, message); is_record(Packet, presence) ->
    Sender = jid:encode(jid:remove_resource(xmpp:get_from(Packet))),
    Id = base64:encode(crypto:hash(sha256, [salt(RoomJid), 0, Sender])),
    xmpp:set_subtag(Packet, #occupant_id{id = Id});
stamp(Acc, _State, _Nick) ->
    Acc.

forget_room(_ServerHost, Name, Host) ->
    mnesia:dirty_delete(xsync_occupant_salt, {Name, Host}).

salt(RoomJid) ->
    Key = {RoomJid#jid.luser, RoomJid#jid.lserver},
    case mnesia:dirty_read(xsync_occupant_salt, Key) of
        [#xsync_occupant_salt{salt = Salt}] ->
            Salt;
        [] ->
            %% Two first messages at once may race here; the room's own process sends
            %% both, one after the other, so the second reads what the first wrote.
            Salt = base64:encode(crypto:strong_rand_bytes(24)),
            mnesia:dirty_write(#xsync_occupant_salt{room = Key, salt = Salt}),
            Salt
    end.
