import { gzipSync } from 'node:zlib';
import type { ConferenceStep, Minutes, RegionConfig, StoredEvent } from '@lagesbild/shared';
import i18next from 'i18next';
import { initI18n } from '../../../client/src/i18n/i18n';
import { minutesMarkdown } from '../../../client/src/conference/minutes/minutes-markdown';
import { allEvents, type ApiClient } from '../../support/api-client.js';
import { twoHourConference, type Scripted } from './conference-script.js';

/** Byte sizes (UTF-8) of one approved version of the minutes. */
export type MinutesSizes = {
  /** `JSON.stringify` of the `conference.minutesApproved` payload ({conferenceId, version, minutes, correction}). */
  payloadBytes: number;
  /** The whole event as the log stores it and clients receive it (seq, at, by, commandId, payload). */
  eventBytes: number;
  /** `JSON.stringify(minutes)`. */
  minutesBytes: number;
  minutesGzipBytes: number;
  /** The Markdown download the client makes (minutes-markdown.ts), Swedish and English. */
  markdownSvBytes: number;
  markdownEnBytes: number;
  /** What went in: characters of round notes (all actors), of the last assessment, of decisions. */
  roundNoteChars: number;
  assessmentChars: number;
  decisionChars: number;
  participants: number;
  decisions: number;
  /** Commands the conference took, and how long sending them one after another took. */
  commands: number;
  sendMs: number;
};

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Sends each command as its actor's duty officer; the first refusal ends the run. */
async function send(script: readonly Scripted[], clients: ReadonlyMap<string, ApiClient>): Promise<number> {
  let seq = 0;
  for (const { actorId, command } of script) {
    const client = clients.get(actorId);
    if (!client) throw new Error(`no signed-in client for ${actorId}`);
    const answer = await client.command(command);
    if (!answer.body.ok) {
      throw new Error(`${command.type} for ${actorId} refused: ${answer.body.error.message}`);
    }
    seq = answer.body.data.seq;
  }
  return seq;
}

/**
 * Runs a two-hour conference of every actor on the open conference `conferenceId` (see
 * `twoHourConference`) against a real hub, then reads its approved minutes back from the
 * log and measures them.
 */
export async function measureMinutes(
  ids: { conferenceId: string; nextConferenceId: string },
  from: ConferenceStep,
  clients: ReadonlyMap<string, ApiClient>,
  region: RegionConfig,
): Promise<MinutesSizes> {
  const script = twoHourConference(ids, from, new Date(), region);
  const started = performance.now();
  await send(script, clients);
  const sendMs = performance.now() - started;
  const chair = clients.get(region.leadActorId);
  if (!chair) throw new Error('the chair is not signed in');
  const approved = (await allEvents(chair)).find(
    (e): e is Extract<StoredEvent, { type: 'conference.minutesApproved' }> =>
      e.type === 'conference.minutesApproved' && e.payload.conferenceId === ids.conferenceId,
  );
  if (!approved) throw new Error('the approved minutes are not in the log');
  const { minutes } = approved.payload;
  const minutesJson = JSON.stringify(minutes);
  const markdown = await markdownOf(minutes, approved, region);
  return {
    payloadBytes: bytes(JSON.stringify(approved.payload)),
    eventBytes: bytes(JSON.stringify(approved)),
    minutesBytes: bytes(minutesJson),
    minutesGzipBytes: gzipSync(minutesJson, { level: 9 }).length,
    markdownSvBytes: bytes(markdown.sv),
    markdownEnBytes: bytes(markdown.en),
    roundNoteChars: minutes.rounds.reduce((n, r) => n + r.note.length, 0),
    assessmentChars: Object.values(minutes.assessment ?? {}).reduce((n, text) => n + text.length, 0),
    decisionChars: minutes.decisions.reduce((n, d) => n + d.text.length, 0),
    participants: minutes.participants.length,
    decisions: minutes.decisions.length,
    commands: script.length,
    sendMs,
  };
}

/** The Markdown the client offers for download, in both languages. */
async function markdownOf(
  minutes: Minutes,
  approved: Extract<StoredEvent, { type: 'conference.minutesApproved' }>,
  region: RegionConfig,
): Promise<{ sv: string; en: string }> {
  initI18n('sv');
  const approval = {
    version: approved.payload.version,
    correction: approved.payload.correction,
    at: approved.at,
    by: approved.by,
  };
  const write = (language: 'sv' | 'en') =>
    minutesMarkdown(minutes, approval, { t: i18next.getFixedT(language), language, region });
  return { sv: write('sv'), en: write('en') };
}
