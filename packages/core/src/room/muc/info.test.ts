// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import type { Element } from '../../xml/index.js';
import { readOccupantCount, readOccupantNicks, readRoomInfo } from './info.js';

const parse = parseXml as (text: string) => Element;
const ROOM = 'busy@muc.localhost';

// As ejabberd 24.12 answered an account outside the room (other fields left out).
const info = (occupants: string | undefined, formType = 'http://jabber.org/protocol/muc#roominfo') =>
  `<iq type='result' from='${ROOM}' id='i1'><query xmlns='http://jabber.org/protocol/disco#info'><identity type='text' category='conference' name='Busy'/><feature var='http://jabber.org/protocol/muc'/><x type='result' xmlns='jabber:x:data'><field var='FORM_TYPE' type='hidden'><value>${formType}</value></field>${
    occupants === undefined
      ? ''
      : `<field var='muc#roominfo_occupants' type='text-single'><value>${occupants}</value></field>`
  }<field var='muc#roominfo_description' type='text-single'><value>Plans</value></field></x></query></iq>`;
const EJABBERD_ITEMS = `<iq type='result' from='${ROOM}' id='i2'><query xmlns='http://jabber.org/protocol/disco#items'><item name='Ada' jid='${ROOM}/Ada'/><item name='xsync-bot' jid='${ROOM}/xsync-bot'/></query></iq>`;
const PROSODY_ITEMS = `<iq type='result' from='${ROOM}' id='i2'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`;

describe('MUC room info', () => {
  it('reads the name and description', () => {
    expect(readRoomInfo(parse(info('1')))).toEqual({ name: 'Busy', description: 'Plans' });
  });

  it('reads the occupant count from the muc#roominfo form, and nothing else for one', () => {
    expect(readOccupantCount(parse(info('12')))).toBe(12);
    expect(readOccupantCount(parse(info(undefined)))).toBeUndefined();
    expect(readOccupantCount(parse(info('-1')))).toBeUndefined();
    expect(readOccupantCount(parse(info('1e9')))).toBeUndefined();
    expect(readOccupantCount(parse(info('3', 'http://jabber.org/protocol/muc#roomconfig')))).toBeUndefined();
  });

  it('reads nicks from disco#items of the room itself only', () => {
    expect(readOccupantNicks(parse(EJABBERD_ITEMS), ROOM)).toEqual(['Ada', 'xsync-bot']);
    expect(readOccupantNicks(parse(PROSODY_ITEMS), ROOM)).toEqual([]);
    expect(readOccupantNicks(parse(EJABBERD_ITEMS), 'busy@muc.localhost.evil')).toEqual([]);
    const long = EJABBERD_ITEMS.replace(`${ROOM}/Ada`, `${ROOM}/${'n'.repeat(1024)}`);
    expect(readOccupantNicks(parse(long), ROOM)).toEqual(['xsync-bot']);
  });
});
