%% Per-occupant message rate limit for MUC rooms: each account may send a room at most
%% `rate` groupchat messages a second, in bursts of up to `burst`. Messages over the limit
%% are refused with a 'wait' resource-constraint error and never relayed or archived, so
%% one flooding participant neither slows a room for the others nor fills its archive.
%%
%% mod_muc's min_message_interval is no such limit: it wants a fixed gap between any two
%% messages as the room's process handles them, so a busy room refuses honest messages
%% that merely queued behind others. A token bucket lets those bursts through.
-module(mod_xsync_muc_rate).
-behaviour(gen_mod).

-include_lib("xmpp/include/xmpp.hrl").
-include("mod_muc_room.hrl").

-export([start/2, stop/1, reload/3, depends/2, mod_opt_type/1, mod_options/1, mod_doc/0]).
-export([limit/3]).

-define(BUCKETS, xsync_muc_rate_buckets).

start(_Host, _Opts) ->
    case ets:info(?BUCKETS) of
        undefined -> ets:new(?BUCKETS, [named_table, public, set, {heir, whereis(ejabberd_sup), none}]);
        _ -> ok
    end,
    %% Before anything else sees the message: stamping, archiving, relaying.
    {ok, [{hook, muc_filter_message, limit, 5}]}.

stop(_Host) -> ok.

reload(_Host, _NewOpts, _OldOpts) -> ok.

depends(_Host, _Opts) -> [{mod_muc, hard}].

mod_opt_type(rate) -> econf:pos_int();
mod_opt_type(burst) -> econf:pos_int().

mod_options(_Host) -> [{rate, 500}, {burst, 500}].

mod_doc() -> #{desc => ["A token bucket per account and MUC room for groupchat messages."]}.

%% Occupants' groupchat messages only: what the room itself composes (moderation notices,
%% marked mam_ignore) and other stanzas pass.
limit(#message{type = groupchat} = Packet, #state{jid = Room, server_host = Host}, _Nick) ->
    case xmpp:get_meta(Packet, mam_ignore, false) of
        true ->
            Packet;
        false ->
            Sender = jid:remove_resource(jid:tolower(xmpp:get_from(Packet))),
            Key = {jid:tolower(jid:remove_resource(Room)), Sender},
            Rate = gen_mod:get_module_opt(Host, ?MODULE, rate),
            Burst = gen_mod:get_module_opt(Host, ?MODULE, burst),
            case take(Key, Rate, Burst) of
                true ->
                    Packet;
                false ->
                    Error = xmpp:err_resource_constraint(<<"Traffic rate limit is exceeded">>, xmpp:get_lang(Packet)),
                    ejabberd_router:route_error(Packet, Error),
                    drop
            end
    end;
limit(Acc, _State, _Nick) ->
    Acc.

%% Takes one token from the sender's bucket, refilled at Rate a second up to Burst. Only the
%% room's own process touches its keys, so reading and writing need no lock.
take(Key, Rate, Burst) ->
    Now = erlang:monotonic_time(microsecond),
    {Tokens0, Last} =
        case ets:lookup(?BUCKETS, Key) of
            [{_, Tokens, At}] -> {Tokens, At};
            [] -> {float(Burst), Now}
        end,
    Tokens1 = min(float(Burst), Tokens0 + (Now - Last) * Rate / 1.0e6),
    case Tokens1 >= 1.0 of
        true ->
            ets:insert(?BUCKETS, {Key, Tokens1 - 1.0, Now}),
            true;
        false ->
            ets:insert(?BUCKETS, {Key, Tokens1, Now}),
            false
    end.
