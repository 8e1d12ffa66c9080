import type { Position } from './geo.js';
import {
  CAP_LANGUAGE_TAGS,
  MESSAGE_LANGUAGES,
  type JointMessage,
  type MessageLanguage,
  type MessageText,
  type MessageVersion,
} from './message-model.js';
import { agreedVersions, capCancelIdentifier, capIdentifier } from './message-selectors.js';
import type { IncidentKind } from './model-base.js';
import type { MunicipalAreas } from './municipal-borders.js';

// The CAP 1.2 writer (OASIS Common Alerting Protocol, the form krisinformation.se and
// alerting systems read). Pure and deterministic: every hub writes the same bytes for the
// same log position, so the alert is the same whichever hub a reader reaches. Nothing here
// reads a clock: every time comes from the log (when a version was agreed, when the
// message was cancelled). Elements follow the order of the schema's sequences
// (test/fixtures/cap-1.2.xsd); the tests validate against it.

/** The XML namespace of CAP 1.2. */
export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

/** The `valueName` of a municipality geocode: the SCB municipality code (kommunkod). */
export const CAP_MUNICIPALITY_GEOCODE = 'SCB-kommunkod';

/** The `web` of a message that names no channel of its own: the national crisis portal. */
export const CAP_DEFAULT_WEB = 'https://www.krisinformation.se';

/** The `contact` of a message that refers to the national information number. */
export const CAP_CONTACT_11313 = '113 13';

/**
 * The CAP `sender` of a region's alerts: the same on every hub of the region (no host name,
 * which differs between hubs), and free of spaces and commas, which `references` use as separators.
 */
export const capSender = (regionId: string): string => `lagesbild.${regionId}`;

/** The zone whose offset CAP's times carry: the region's own clock, as Swedish readers expect. */
export const CAP_TIME_ZONE = 'Europe/Stockholm';

/** CAP's event categories (the schema's enumeration). */
export type CapCategory =
  | 'Geo'
  | 'Met'
  | 'Safety'
  | 'Security'
  | 'Rescue'
  | 'Fire'
  | 'Health'
  | 'Env'
  | 'Transport'
  | 'Infra'
  | 'CBRNE'
  | 'Other';

/**
 * The CAP category of each kind of incident. CAP counts floods as meteorological, and a
 * cyber attack reaches the public as failing services (telecoms, payments): infrastructure.
 */
export const CAP_CATEGORY_BY_KIND: Readonly<Record<IncidentKind, CapCategory>> = {
  weather: 'Met',
  flooding: 'Met',
  fire: 'Fire',
  infrastructure: 'Infra',
  cyber: 'Infra',
  health: 'Health',
  cbrn: 'CBRNE',
  transport: 'Transport',
  publicOrder: 'Security',
  security: 'Security',
  other: 'Other',
};

/**
 * Urgency, severity and certainty: the message holds no such judgements, so they are fixed.
 * An agreed message concerns an activated incident that is under way (Observed), with advice
 * to act on soon (Expected) for a possible threat to life or property (Moderate). A
 * withdrawal asks nothing more of anyone: Past and Minor.
 */
export const CAP_ASSESSMENT = {
  alert: { urgency: 'Expected', severity: 'Moderate', certainty: 'Observed' },
  cancel: { urgency: 'Past', severity: 'Minor', certainty: 'Observed' },
} as const;

/** How a withdrawal's headline begins, per language. */
const WITHDRAWN_PREFIX: Readonly<Record<MessageLanguage, string>> = {
  sv: 'Återkallat',
  en: 'Withdrawn',
  svEasy: 'Gäller inte längre',
};

/**
 * What the writer needs besides the message: who sends it, and where. What the message is
 * about (`event`, `category`) comes from each version: the incident's title and kind as they
 * were when the version was saved, so renaming the incident never changes an agreed alert.
 */
export type CapContext = {
  message: JointMessage;
  /** The region the hub serves: its id names the identifiers, its name is `senderName`. */
  region: { id: string; name: string };
  /** CAP `sender`: globally unique for the region, without spaces, commas, `<` or `&`. */
  sender: string;
  /** The region's municipalities by SCB code, with their outer rings ([lon, lat]). */
  municipalities: MunicipalAreas;
};

const INVALID_XML_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a bare carriage return into a line feed; as a reference it comes back as sent.
  '\r': '&#13;',
};

/**
 * Text made safe for an XML element or attribute: the five markup characters as entities,
 * and characters XML 1.0 cannot carry at all (control characters, lone surrogates) as U+FFFD,
 * so a pasted stray byte cannot make the whole alert unreadable.
 */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML_CHARACTERS, '\uFFFD').replace(/[&<>"'\r]/g, (c) => ENTITIES[c] ?? c);
}

const offsetFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: CAP_TIME_ZONE,
  timeZoneName: 'longOffset',
});

/** Stockholm's offset from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function stockholmOffsetMinutes(ms: number): number {
  const name = offsetFormat.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0; // "GMT": no offset
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO time in CAP's dateTime form: `2025-01-14T15:04:05+01:00`, in Stockholm's time with
 * its offset, whole seconds (CAP allows neither `Z` nor fractions).
 */
export function capDateTime(isoTime: string): string {
  const ms = Date.parse(isoTime);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${isoTime}`);
  const seconds = Math.floor(ms / 1000) * 1000;
  const offset = stockholmOffsetMinutes(seconds);
  const local = new Date(seconds + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** A coordinate to six decimals (about 0.1 m), never in exponent form. */
const coordinate = (degrees: number) => String(Number(degrees.toFixed(6)));

/**
 * A ring as CAP's `polygon`: `lat,lon` pairs (GeoJSON has them the other way round),
 * separated by spaces, closed. Null for a ring too short to be one (CAP needs 4 pairs).
 */
export function capPolygon(ring: readonly Position[]): string | null {
  const pairs = ring.map(([lon, lat]) => `${coordinate(lat)},${coordinate(lon)}`);
  const first = pairs[0];
  if (first !== undefined && pairs[pairs.length - 1] !== first) pairs.push(first);
  return pairs.length >= 4 ? pairs.join(' ') : null;
}

/** A CAP `references` entry: `sender,identifier,sent`. */
const reference = (sender: string, identifier: string, sent: string) => `${sender},${identifier},${sent}`;

/** One element per line, indented: the same input always gives the same bytes. */
class XmlLines {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private depth = 0;

  open(name: string, attributes = ''): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}${attributes}>`);
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`);
  }

  /** `<name>text</name>`, the text escaped. */
  text(name: string, value: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}>${escapeXml(value)}</${name}>`);
  }

  /** A `valueName`/`value` pair (CAP's geocode, parameter and eventCode). */
  pair(name: string, valueName: string, value: string): void {
    this.open(name);
    this.text('valueName', valueName);
    this.text('value', value);
    this.close(name);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** What differs between an alert or update and a withdrawal. */
type AlertHead = {
  identifier: string;
  sent: string;
  msgType: 'Alert' | 'Update' | 'Cancel';
  note: string | null;
  references: string[];
};

/** How one language's info is written: as the agreed text, or as a withdrawal of it. */
type InfoMode = { kind: 'alert' } | { kind: 'cancel'; reason: string };

/**
 * The CAP 1.2 alert of an agreed version: `Alert` for the first agreed version, `Update`
 * for a later one, referencing every earlier agreed version. Null when the message has no
 * such version or it is not agreed: drafts are never written as CAP.
 */
export function capAlertXml(context: CapContext, version: number): string | null {
  const agreed = agreedVersions(context.message);
  const index = agreed.findIndex((v) => v.version === version);
  const target = agreed[index];
  if (!target?.agreedAt) return null;
  const { region, message, sender } = context;
  const earlier = agreed.slice(0, index);
  return writeAlert(
    context,
    target,
    { kind: 'alert' },
    {
      identifier: capIdentifier(region.id, message.id, target.version),
      sent: capDateTime(target.agreedAt),
      msgType: earlier.length === 0 ? 'Alert' : 'Update',
      note: null,
      references: earlier.map((v) =>
        reference(sender, capIdentifier(region.id, message.id, v.version), capDateTime(v.agreedAt ?? '')),
      ),
    },
  );
}

/**
 * The CAP 1.2 `Cancel` of a cancelled message, referencing every agreed version, its reason
 * in `note` and in each language's description. Null when the message is not cancelled or was
 * never agreed (nothing reached the public, so there is nothing to withdraw).
 */
export function capCancelXml(context: CapContext): string | null {
  const { region, message, sender } = context;
  const agreed = agreedVersions(message);
  const latest = agreed.at(-1);
  if (!message.cancelled || !latest) return null;
  const reason = message.cancelled.reason;
  return writeAlert(
    context,
    latest,
    { kind: 'cancel', reason },
    {
      identifier: capCancelIdentifier(region.id, message.id),
      sent: capDateTime(message.cancelled.at),
      msgType: 'Cancel',
      note: reason,
      references: agreed.map((v) =>
        reference(sender, capIdentifier(region.id, message.id, v.version), capDateTime(v.agreedAt ?? '')),
      ),
    },
  );
}

function writeAlert(context: CapContext, version: MessageVersion, mode: InfoMode, head: AlertHead): string {
  const xml = new XmlLines();
  xml.open('alert', ` xmlns="${CAP_NAMESPACE}"`);
  xml.text('identifier', head.identifier);
  xml.text('sender', context.sender);
  xml.text('sent', head.sent);
  xml.text('status', version.content.exercise ? 'Exercise' : 'Actual');
  xml.text('msgType', head.msgType);
  xml.text('scope', 'Public');
  if (head.note !== null) xml.text('note', head.note);
  if (head.references.length > 0) xml.text('references', head.references.join(' '));
  xml.text('incidents', context.message.incidentId);
  for (const language of MESSAGE_LANGUAGES) {
    const text = version.content.texts[language];
    if (text) writeInfo(xml, context, version, language, text, mode);
  }
  xml.close('alert');
  return xml.toString();
}

function writeInfo(
  xml: XmlLines,
  context: CapContext,
  version: MessageVersion,
  language: MessageLanguage,
  text: MessageText,
  mode: InfoMode,
): void {
  const { content } = version;
  const assessment = mode.kind === 'alert' ? CAP_ASSESSMENT.alert : CAP_ASSESSMENT.cancel;
  xml.open('info');
  xml.text('language', CAP_LANGUAGE_TAGS[language]);
  xml.text('category', CAP_CATEGORY_BY_KIND[version.incidentKind]);
  xml.text('event', version.incidentTitle);
  xml.text('urgency', assessment.urgency);
  xml.text('severity', assessment.severity);
  xml.text('certainty', assessment.certainty);
  xml.text('effective', capDateTime(content.validFrom));
  xml.text('expires', capDateTime(content.validUntil));
  xml.text('senderName', context.region.name);
  if (mode.kind === 'alert') {
    xml.text('headline', text.headline);
    xml.text('description', text.core);
    if (text.whatToDo !== '') xml.text('instruction', text.whatToDo);
  } else {
    xml.text('headline', `${WITHDRAWN_PREFIX[language]}: ${text.headline}`);
    xml.text('description', mode.reason);
  }
  xml.text('web', content.moreInfo.channels[0]?.url ?? CAP_DEFAULT_WEB);
  if (content.moreInfo.phone11313) xml.text('contact', CAP_CONTACT_11313);
  writeArea(xml, context, version);
  xml.close('info');
}

/** One `area`: its name, the drawn polygon, each municipality's outline, and its SCB code. */
function writeArea(xml: XmlLines, context: CapContext, version: MessageVersion): void {
  const { area } = version.content;
  const codes = area.municipalityCodes;
  const names = codes.map((code) => context.municipalities.get(code)?.name ?? code);
  const description = area.description || names.join(', ') || context.region.name;
  xml.open('area');
  xml.text('areaDesc', description);
  const rings = [
    ...(area.polygon ? area.polygon.coordinates.slice(0, 1) : []),
    ...codes.flatMap((code) => context.municipalities.get(code)?.polygons ?? []),
  ];
  for (const ring of rings) {
    const polygon = capPolygon(ring);
    if (polygon !== null) xml.text('polygon', polygon);
  }
  for (const code of codes) xml.pair('geocode', CAP_MUNICIPALITY_GEOCODE, code);
  xml.close('area');
}
