import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageContent } from '@lagesbild/shared';
import { buildMessageText } from '@lagesbild/shared/test-factories';
import { signIn, type ApiClient } from './support/api-client.js';
import {
  activate,
  approveMessage,
  cancelMessage,
  draftMessage,
  messageContent,
  requestMessageChange,
} from './support/commands.js';
import { accepted } from './support/hub-logs.js';
import { removeDataDir, repoRoot, startHub, type HubProcess } from './support/hub-process.js';

/**
 * The public side of joint messages on a real hub, read without signing in as the public,
 * the press and krisinformation.se's aggregator would: a standard feed parser reads the Atom
 * feed, which carries what the actors agreed and never what they are still working on (a
 * draft, a change asked for, an edit after agreement, an exercise), however hard the test
 * tries to get one in. The CAP of an agreed version downloads and validates; anything else is
 * refused and changes nothing.
 */

const SCHEMA = path.join(repoRoot, 'test/fixtures/cap-1.2.xsd');
const APPROVERS = ['stockholm', 'nacka'];
/** Text that must never reach the public: every draft in this file carries it. */
const SECRET = 'INTE FÖR ALLMÄNHETEN';

const withHeadline = (headline: string, overrides: Partial<MessageContent> = {}): MessageContent =>
  messageContent({ texts: { sv: buildMessageText({ headline }), en: null, svEasy: null }, ...overrides });

const validates = (xml: string) =>
  spawnSync('xmllint', ['--noout', '--schema', SCHEMA, '-'], { input: xml, encoding: 'utf8' });

describe('the public Atom feed and CAP downloads on a real hub', () => {
  let hub: HubProcess;
  let lead: ApiClient;
  let stockholm: ApiClient;
  let nacka: ApiClient;
  const ids = { agreed: '', draft: '', exercise: '', withdrawn: '' };

  const get = (p: string) => fetch(`${hub.url}${p}`);
  const capUrl = (messageId: string, version: number | string) =>
    `/api/public/messages/${messageId}/versions/${version}/cap.xml`;

  /** An incident summoning Stockholm stad and Nacka: one uncancelled message per incident. */
  const incident = async (title: string) => {
    const sent = activate({ title, summonedActorIds: APPROVERS });
    await accepted(lead, sent);
    return sent.payload.incidentId;
  };

  /** Drafted by Stockholm stad (saving is its approval) and approved by Nacka: agreed. */
  const agreedMessage = async (incidentId: string, content: MessageContent) => {
    const draft = draftMessage(incidentId, { content, approverActorIds: APPROVERS });
    await accepted(stockholm, draft);
    await accepted(nacka, approveMessage(draft.payload.messageId, 1, 'nacka'));
    return draft.payload.messageId;
  };

  beforeAll(async () => {
    hub = await startHub();
    lead = await signIn(hub.url, 'tib.lansstyrelsen');
    stockholm = await signIn(hub.url, 'kommunikator.stockholm');
    nacka = await signIn(hub.url, 'kommunikator.nacka');

    // Agreed, then edited: the edit (v2) waits for sign-off, and Nacka asks for a change to it.
    const storm = await incident('Storm Ylva');
    ids.agreed = await agreedMessage(storm, withHeadline('Stanna inomhus & håll <avstånd>'));
    await accepted(
      stockholm,
      draftMessage(storm, {
        messageId: ids.agreed,
        content: withHeadline(`Ändrat: ${SECRET}`),
        approverActorIds: APPROVERS,
        baseVersion: 1,
      }),
    );
    await accepted(nacka, requestMessageChange(ids.agreed, 2, 'nacka'));

    // Never agreed: a draft Nacka asked to change.
    const draft = draftMessage(await incident('Vattenläcka'), {
      content: withHeadline(`Utkast: ${SECRET}`),
      approverActorIds: APPROVERS,
    });
    ids.draft = draft.payload.messageId;
    await accepted(stockholm, draft);
    await accepted(nacka, requestMessageChange(ids.draft, 1, 'nacka'));

    // Agreed, but an exercise: practised by the actors, not told to the public.
    ids.exercise = await agreedMessage(
      await incident('Övning Havsörn'),
      withHeadline(`Övning: ${SECRET}`, { exercise: true }),
    );

    // Agreed, then withdrawn.
    ids.withdrawn = await agreedMessage(await incident('Dricksvatten'), withHeadline('Koka vattnet'));
    await accepted(nacka, cancelMessage(ids.withdrawn, 'Provet var felmärkt; vattnet är drickbart'));
  });

  afterAll(async () => {
    await hub?.kill();
    if (hub) removeDataDir(hub);
  });

  it('is read by a standard feed parser without signing in, and holds only what was agreed for the public', async () => {
    const res = await get('/api/public/messages.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const text = await res.text();
    const feed = await new Parser().parseString(text);

    expect(feed.title).toBe('Samordnade budskap – Samverkan Stockholmsregionen');
    // Newest first: the withdrawal came last.
    expect(feed.items.map((i) => i.title)).toEqual([
      'Återkallat: Koka vattnet',
      'Stanna inomhus & håll <avstånd>',
    ]);
    const [withdrawn, agreed] = feed.items;
    expect(agreed?.id).toBe(`urn:uuid:${ids.agreed}`);
    expect(agreed?.link).toBe(capUrl(ids.agreed, 1));
    expect(agreed?.author).toBe('Stockholms stad');
    expect(withdrawn?.link).toBe(`/api/public/messages/${ids.withdrawn}/cancel/cap.xml`);
    expect(withdrawn?.summary).toBe('Provet var felmärkt; vattnet är drickbart');

    // Not a word of the draft, the pending edit or the exercise, anywhere in the feed.
    expect(text).not.toContain(SECRET);
    for (const id of [ids.draft, ids.exercise]) expect(text).not.toContain(id);
  });

  it('serves the agreed version as valid CAP 1.2, and its withdrawal as a Cancel', async () => {
    const res = await get(capUrl(ids.agreed, 1));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/cap+xml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=.*-v1\.cap\.xml$/);
    const xml = await res.text();
    expect(validates(xml).status, validates(xml).stderr).toBe(0);
    expect(xml).toContain('<headline>Stanna inomhus &amp; håll &lt;avstånd&gt;</headline>');

    const cancel = await get(`/api/public/messages/${ids.withdrawn}/cancel/cap.xml`);
    expect(cancel.status).toBe(200);
    const cancelXml = await cancel.text();
    expect(cancelXml).toContain('<msgType>Cancel</msgType>');
    expect(validates(cancelXml).status, validates(cancelXml).stderr).toBe(0);

    // An exercise has its CAP, marked as one, for the actors' own systems to practise with.
    const exercise = await (await get(capUrl(ids.exercise, 1))).text();
    expect(exercise).toContain('<status>Exercise</status>');
  });

  it('refuses a draft, a pending edit, bad parameters and unknown messages, and nothing changes', async () => {
    const before = await lead.stateHash();
    const notFound = [
      capUrl(ids.draft, 1),
      capUrl(ids.agreed, 2),
      capUrl(ids.agreed, 9),
      capUrl('00000000-0000-4000-8000-000000000000', 1),
      `/api/public/messages/${ids.agreed}/cancel/cap.xml`,
      `/api/public/messages/${ids.draft}/cancel/cap.xml`,
    ];
    for (const p of notFound) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      const body = (await res.json()) as { ok: boolean; error: { code: string } };
      expect(body).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(JSON.stringify(body)).not.toContain(SECRET);
    }
    for (const bad of ['x', '0', '-1', '1.5', '1e2']) {
      const res = await get(capUrl(ids.agreed, bad));
      expect(res.status, bad).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(await lead.stateHash()).toEqual(before);
  });
});
