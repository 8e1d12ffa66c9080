import {
  agreedVersions,
  escapeXml,
  latestAgreedVersion,
  type JointMessage,
  type RegionConfig,
  type State,
} from '@lagesbild/shared';

// The region's agreed joint messages as an Atom 1.0 feed (RFC 4287), for the public, the
// press and aggregators. Built from the folded state alone, never a clock, so every hub
// gives the same bytes for the same log position.

/** The newest entries a feed holds; older messages stay reachable as CAP by their address. */
export const MAX_FEED_ENTRIES = 100;

/** The feed's own address, relative to the hub. */
export const FEED_PATH = '/api/public/messages.atom';

/** Where the CAP alert of an agreed version is served. */
export const capVersionPath = (messageId: string, version: number): string =>
  `/api/public/messages/${messageId}/versions/${version}/cap.xml`;

/** Where the CAP `Cancel` of a cancelled message is served. */
export const capCancelPath = (messageId: string): string =>
  `/api/public/messages/${messageId}/cancel/cap.xml`;

/** The `updated` of a feed with no entries: fixed, so it too is the same on every hub. */
const NO_ENTRIES_UPDATED = '1970-01-01T00:00:00.000Z';

/** Atom's dates are RFC 3339; written in UTC so that equal times are equal strings. */
const atomTime = (isoTime: string) => new Date(isoTime).toISOString();

type Entry = {
  id: string;
  title: string;
  updated: string;
  published: string;
  author: string;
  summary: string;
  content: string;
  capPath: string;
};

/**
 * A message's entry: its latest agreed version, or its withdrawal. None for a message never
 * agreed (a draft, one with a change requested), and none for an exercise: an exercise is
 * practised by the actors, not told to the public.
 */
function entryOf(message: JointMessage, region: RegionConfig): Entry | null {
  const agreed = latestAgreedVersion(message);
  const first = agreedVersions(message)[0];
  if (!agreed?.agreedAt || !first?.agreedAt || agreed.content.exercise) return null;
  const text = agreed.content.texts.sv;
  const author = region.actors.find((a) => a.id === message.ownerActorId)?.name ?? message.ownerActorId;
  const common = { id: `urn:uuid:${message.id}`, published: atomTime(first.agreedAt), author };
  if (message.cancelled) {
    return {
      ...common,
      title: `Återkallat: ${text.headline}`,
      updated: atomTime(message.cancelled.at),
      summary: message.cancelled.reason,
      content: message.cancelled.reason,
      capPath: capCancelPath(message.id),
    };
  }
  return {
    ...common,
    title: text.headline,
    updated: atomTime(agreed.agreedAt),
    summary: text.core,
    content: text.whatToDo ? `${text.core}\n\n${text.whatToDo}` : text.core,
    capPath: capVersionPath(message.id, agreed.version),
  };
}

/** Newest first; messages updated at the same moment in a fixed order. */
const newestFirst = (a: Entry, b: Entry) =>
  a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** The Atom feed of the region's agreed public messages, newest first. */
export function messagesAtomFeed(state: Pick<State, 'jointMessages'>, region: RegionConfig): string {
  const entries = Object.values(state.jointMessages)
    .map((m) => entryOf(m, region))
    .filter((e): e is Entry => e !== null)
    .sort(newestFirst)
    .slice(0, MAX_FEED_ENTRIES);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">',
    `  <id>urn:lagesbild:${escapeXml(region.id)}:messages</id>`,
    `  <title>${escapeXml(`Samordnade budskap – ${region.name}`)}</title>`,
    `  <subtitle>${escapeXml('Budskap till allmänheten som aktörerna har kommit överens om')}</subtitle>`,
    `  <updated>${entries[0]?.updated ?? NO_ENTRIES_UPDATED}</updated>`,
    `  <author><name>${escapeXml(region.name)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${FEED_PATH}"/>`,
  ];
  for (const entry of entries) {
    lines.push(
      '  <entry>',
      `    <id>${entry.id}</id>`,
      `    <title type="text">${escapeXml(entry.title)}</title>`,
      `    <updated>${entry.updated}</updated>`,
      `    <published>${entry.published}</published>`,
      `    <author><name>${escapeXml(entry.author)}</name></author>`,
      `    <link rel="alternate" type="application/cap+xml" href="${escapeXml(entry.capPath)}"/>`,
      `    <summary type="text">${escapeXml(entry.summary)}</summary>`,
      `    <content type="text">${escapeXml(entry.content)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>');
  return `${lines.join('\n')}\n`;
}
