import { Room, NS_EVENT, Replica, createRegistry, xml } from '@xsync/core';
import { afterAll, describe, expect, it } from 'vitest';
import { pollVote } from '../../examples/poll-event-type.js';
import { Fixture, collectEvents, waitFor } from '../support/fixtures.js';

// The event type of docs/guides/event-type-plugin.md, over a real channel.
const fixture = new Fixture('plugin');
afterAll(() => fixture.close());

describe('the poll plugin of the event-type guide', () => {
  it('travels, validates, tallies and snapshots', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const join = async () => {
      const registry = createRegistry();
      registry.register(pollVote);
      const channel = new Room(await fixture.connect(), { jid, registry });
      await channel.join();
      return channel;
    };
    const [alice, bob] = [await join(), await join()];
    const replica = new Replica(pollVote, 'lunch');
    const events = collectEvents(bob, 3);
    await alice.publish(pollVote, { poll: 'lunch', option: 'pizza' }, { doc: 'lunch' });
    await alice.publish(pollVote, { poll: 'lunch', option: 'soup' }, { doc: 'lunch' });
    await bob.publish(pollVote, { poll: 'lunch', option: 'pizza' }, { doc: 'lunch' });
    for (const event of await events) replica.apply(event);
    expect(replica.state).toEqual({ lunch: { pizza: 2, soup: 1 } });

    // A vote that breaks the rules never reaches the tally, and says why.
    await expect(alice.publish(pollVote, { poll: 'lunch', option: 'x'.repeat(300) })).rejects.toMatchObject({
      reason: 'oversized',
    });
    const rejected = waitFor(bob, 'rejected', 1);
    const forged = xml('vote', { xmlns: pollVote.namespace, poll: 'lunch', option: '<b>' });
    await alice.connection.send(
      xml(
        'message',
        { to: jid, type: 'groupchat', id: crypto.randomUUID() },
        xml('event', { xmlns: NS_EVENT }, forged),
      ),
    );
    expect((await rejected)[0]).toMatchObject({ reason: 'invalid-payload' });
    expect(replica.state).toEqual({ lunch: { pizza: 2, soup: 1 } });

    // The codec round-trips the state, and refuses bytes it did not write.
    const restored = Replica.restore(pollVote, 'lunch', replica.snapshot());
    expect(restored.state).toEqual(replica.state);
    const bogus = { ...replica.snapshot(), bytes: new TextEncoder().encode('{"lunch":{"pizza":-1}}') };
    expect(() => Replica.restore(pollVote, 'lunch', bogus)).toThrow(/not a count/);
  });
});
