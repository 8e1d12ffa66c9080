import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  capSender,
  type JointMessage,
  type MessageContent,
  type MessageVersion,
  type MunicipalAreas,
  type State,
} from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildCommunicatorAttribution,
  buildMessageContent,
  buildMessageText,
  runCommands,
  stockholmRegion,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { createLogger } from '../base/logger.js';
import { HubState } from '../hub/hub-state.js';
import { MemoryLogStore, createMemoryLog } from '../log/memory-log.js';
import { handleErrors } from './errors.js';
import { messagesAtomFeed } from './message-feed.js';
import { publicMessageRoutes } from './public-message-routes.js';
import { TokenBuckets } from './rate-limits.js';

const region = stockholmRegion();
/**
 * Renamed since every version below was saved as "Storm Ylva" (weather): CAP says what the
 * actors agreed, so its `event` stays "Storm Ylva".
 */
const INCIDENT = buildActivateCommand({
  incidentId: testUuid(500),
  title: 'Strömavbrott efter storm Ylva',
  kind: 'infrastructure',
});
const municipalities: MunicipalAreas = new Map([
  [
    '0182',
    {
      name: 'Nacka',
      polygons: [
        [
          [18.2, 59.3],
          [18.3, 59.3],
          [18.3, 59.35],
          [18.2, 59.3],
        ],
      ],
    },
  ],
]);

function version(
  n: number,
  agreedAt: string | null,
  content: MessageContent = buildMessageContent(),
): MessageVersion {
  return {
    version: n,
    content,
    approverActorIds: ['stockholm', 'nacka'],
    incidentTitle: 'Storm Ylva',
    incidentKind: 'weather',
    draftedBy: buildCommunicatorAttribution(),
    at: '2024-05-01T07:00:00.000Z',
    seq: n,
    signOffs: {},
    agreedAt,
    agreedSeq: agreedAt ? n : null,
  };
}

function message(
  id: number,
  versions: MessageVersion[],
  cancelled: JointMessage['cancelled'] = null,
): JointMessage {
  return {
    id: testUuid(id),
    incidentId: INCIDENT.payload.incidentId,
    ownerActorId: 'stockholm',
    versions,
    publications: {},
    cancelled,
    version: 1,
  };
}

const headlined = (headline: string, overrides: Partial<MessageContent> = {}) =>
  buildMessageContent({
    texts: { sv: buildMessageText({ headline }), en: null, svEasy: null },
    ...overrides,
  });

/** One of each: agreed twice, a draft, agreed then reopened, an exercise, withdrawn, withdrawn as a draft. */
const MESSAGES = {
  agreed: message(1, [
    version(1, '2024-05-01T08:00:00.000Z', headlined('Första')),
    version(2, '2024-05-01T09:00:00.000Z', headlined('Storm & <regn>')),
  ]),
  draft: message(2, [version(1, null, headlined('UTKAST SOM INTE FÅR SYNAS'))]),
  reopened: message(3, [
    version(1, '2024-05-01T10:00:00.000Z', headlined('Överenskommet')),
    version(2, null, headlined('ÄNDRING SOM INTE FÅR SYNAS')),
  ]),
  exercise: message(4, [
    version(1, '2024-05-01T11:00:00.000Z', headlined('ÖVNING SOM INTE FÅR SYNAS', { exercise: true })),
  ]),
  withdrawn: message(5, [version(1, '2024-05-01T07:30:00.000Z', headlined('Vattnet är otjänligt'))], {
    reason: 'Provsvaret var fel',
    at: '2024-05-01T12:00:00.000Z',
    by: buildCommunicatorAttribution(),
    seq: 90,
  }),
  withdrawnDraft: message(6, [version(1, null, headlined('DRAGET TILLBAKA SOM UTKAST'))], {
    reason: 'Behövs inte',
    at: '2024-05-01T12:30:00.000Z',
    by: buildCommunicatorAttribution(),
    seq: 91,
  }),
};

function stateWithMessages(): State {
  const { state } = runCommands([{ command: INCIDENT }]);
  return { ...state, jointMessages: Object.fromEntries(Object.values(MESSAGES).map((m) => [m.id, m])) };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function publicApi(burst = 1000) {
  const log = createMemoryLog({ store: new MemoryLogStore(), idempotencyWindowMs: 60_000 });
  const opened = await log.open();
  const hub = new HubState(opened.epoch, 10, { seq: 100, state: stateWithMessages() });
  const app = express();
  app.use(
    '/api',
    publicMessageRoutes({
      hub,
      log,
      region: () => region,
      municipalities,
      limiter: new TokenBuckets({ perSecond: 0.001, burst }),
    }),
  );
  app.use(handleErrors(createLogger('silent', 'test')));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
}

const capPath = (m: JointMessage, v: number | string) => `/api/public/messages/${m.id}/versions/${v}/cap.xml`;

describe('the public CAP routes', () => {
  it('serve an agreed version as a CAP download, the same bytes every time', async () => {
    const get = await publicApi();
    const res = await get(capPath(MESSAGES.agreed, 2));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/cap+xml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=storm-regn-v2.cap.xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.text).toContain('<msgType>Update</msgType>');
    expect(res.text).toContain('<headline>Storm &amp; &lt;regn&gt;</headline>');
    expect(res.text).toContain(`<sender>${capSender(region.id)}</sender>`);
    expect(res.text).toContain('<event>Storm Ylva</event>');
    expect((await get(capPath(MESSAGES.agreed, 2))).text).toBe(res.text);
    expect((await get(capPath(MESSAGES.reopened, 1))).status).toBe(200);
  });

  it('answer "not found" for a draft, a reopened edit, an unknown message or version', async () => {
    const get = await publicApi();
    for (const path of [
      capPath(MESSAGES.draft, 1),
      capPath(MESSAGES.reopened, 2),
      capPath(MESSAGES.agreed, 3),
      `/api/public/messages/${testUuid(999)}/versions/1/cap.xml`,
      '/api/public/messages/constructor/versions/1/cap.xml',
      `/api/public/messages/${MESSAGES.agreed.id}/cancel/cap.xml`,
      `/api/public/messages/${MESSAGES.withdrawnDraft.id}/cancel/cap.xml`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(res.text).not.toContain('SOM INTE FÅR SYNAS');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuse a version that is not a whole number from 1 up', async () => {
    const get = await publicApi();
    for (const bad of ['x', '0', '-1', '1e3', '0x1', '1.5', '01']) {
      const res = await get(capPath(MESSAGES.agreed, bad));
      expect(res.status, bad).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
  });

  it('serve the withdrawal of an agreed message as a CAP Cancel', async () => {
    const get = await publicApi();
    const res = await get(`/api/public/messages/${MESSAGES.withdrawn.id}/cancel/cap.xml`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<msgType>Cancel</msgType>');
    expect(res.text).toContain('<note>Provsvaret var fel</note>');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename=vattnet-ar-otjanligt-aterkallat.cap.xml',
    );
  });

  it('slow down one address that asks too often', async () => {
    const get = await publicApi(2);
    expect((await get('/api/public/messages.atom')).status).toBe(200);
    expect((await get('/api/public/messages.atom')).status).toBe(200);
    const limited = await get('/api/public/messages.atom');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the Atom feed of agreed messages', () => {
  it('holds the latest agreed version of each public message and the withdrawal, newest first', async () => {
    const get = await publicApi();
    const res = await get('/api/public/messages.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const titles = [...res.text.matchAll(/<title type="text">([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['Återkallat: Vattnet är otjänligt', 'Överenskommet', 'Storm &amp; &lt;regn&gt;']);
    expect(res.text).toContain(`href="${capPath(MESSAGES.agreed, 2)}"`);
    expect(res.text).toContain(`href="/api/public/messages/${MESSAGES.withdrawn.id}/cancel/cap.xml"`);
    expect(res.text).toContain(`<id>urn:uuid:${MESSAGES.agreed.id}</id>`);
    expect(res.text).toContain('<updated>2024-05-01T12:00:00.000Z</updated>');
    expect(res.text).toContain('<name>Stockholms stad</name>');
  });

  it('never holds a draft, a change not yet agreed, an exercise or a message withdrawn as a draft', () => {
    const feed = messagesAtomFeed(stateWithMessages(), region);
    expect(feed).not.toContain('SOM INTE FÅR SYNAS');
    expect(feed).not.toContain('DRAGET TILLBAKA');
    expect(feed).not.toContain(MESSAGES.draft.id);
    expect(feed).not.toContain(MESSAGES.exercise.id);
  });

  it('is well formed and dated even with no messages', () => {
    const feed = messagesAtomFeed({ jointMessages: {} }, region);
    expect(feed).toContain('<updated>1970-01-01T00:00:00.000Z</updated>');
    expect(feed).not.toContain('<entry>');
  });
});
