import {
  activeIncidents,
  latestAssessment,
  latestReportOf,
  openActionItems,
  openConferenceOf,
  type ActionItem,
  type Assessment,
  type Conference,
  type Incident,
  type Report,
  type State,
} from '@lagesbild/shared';
import { isPending, type OutboxItem } from '../outbox/outbox-item';

// The picture in short, as a phone shows it: derived from the picture by pure functions.

/** One incident in activated mode as the phone sums it up for the person's actor. */
export type PhoneIncidentSummary = {
  incident: Incident;
  assessment: { assessment: Assessment; conference: Conference } | undefined;
  /** The actor's own latest situation report on the incident. */
  ownReport: Report | undefined;
};

/**
 * Every incident in activated mode, with its latest common assessment and the actor's own
 * latest report on it; in ordinary mode, none.
 */
export function phoneIncidents(
  state: Pick<State, 'incidents' | 'conferences' | 'reports'>,
  actorId: string,
): PhoneIncidentSummary[] {
  return activeIncidents(state).map((incident) => ({
    incident,
    assessment: latestAssessment(state, incident.id),
    ownReport: latestReportOf(state.reports, incident.id, actorId),
  }));
}

/**
 * The open decisions and action items the actor owns, on incidents in activated mode or
 * from ordinary-mode conferences: those of a closed incident are no longer followed up on
 * the phone.
 */
export function ownOpenItems(state: Pick<State, 'actionItems' | 'incidents'>, actorId: string): ActionItem[] {
  return openActionItems(state, { ownerActorId: actorId }).filter(
    (item) => item.incidentId === null || state.incidents[item.incidentId]?.status === 'active',
  );
}

/**
 * The conferences running now that the phone mentions: those of incidents in activated
 * mode and of ordinary mode, each with its dial-in when this actor was summoned to it.
 */
export function runningConferences(
  state: Pick<State, 'incidents' | 'conferences' | 'conferenceDialIns'>,
  actorId: string,
): { conference: Conference; dialIn: string | null }[] {
  const scopes: (string | null)[] = [...activeIncidents(state).map((i) => i.id), null];
  return scopes.flatMap((scope) => {
    const conference = openConferenceOf(state, scope);
    if (!conference) return [];
    const dialIn = state.conferenceDialIns[conference.id];
    const summoned = dialIn !== undefined && dialIn.summonedActorIds.includes(actorId);
    return [{ conference, dialIn: summoned && dialIn.dialIn.trim() !== '' ? dialIn.dialIn : null }];
  });
}

/** The item ids for which this user's "Klar" is still on its way to the hub. */
export function pendingDone(items: readonly OutboxItem[]): Set<string> {
  const ids = new Set<string>();
  for (const item of items) {
    const { command } = item;
    if (command.type === 'actionItem.setStatus' && command.payload.status === 'done' && isPending(item))
      ids.add(command.payload.itemId);
  }
  return ids;
}

// A number to dial: it starts with + or 0 and has at least seven digits, spaces and dashes
// between them allowed ("08-123 456 78", "+46 8 123 456 78").
const PHONE_NUMBER = /(?:\+|\b0)[\d\s\-()]{6,}\d/;
// The code a bridge asks for after the call connects, named PIN, kod, code or (Konferens-,
// Meeting-) ID, often written in groups ("123 456 789#"): kept whole, the spaces dropped.
const PIN = /\b(?:pin(?:-?kod)?|kod|code|id)\b\s*[:.]?\s*(\d[\d ]{2,20}\d)/i;
const WEB_LINKS = /\bhttps:\/\/[^\s<>"]+/gi;
const WEB_LINK = /\bhttps:\/\/[^\s<>"]+/i;

/**
 * What the dial-in text links to on a phone: a `tel:` link when it holds a phone number
 * (with the PIN after two pauses, as conference bridges expect, so one tap joins), else
 * the meeting link when it holds one, else nothing and the text is shown as it is. Links
 * are set aside first, so the digits of a meeting link are never dialled, and the PIN is
 * taken out before looking for the number, so a long PIN is never dialled as one.
 */
export function dialInHref(text: string): string | null {
  const withoutLinks = text.replace(WEB_LINKS, ' ');
  const pinMatch = PIN.exec(withoutLinks);
  const pin = pinMatch?.[1]?.replace(/ /g, '');
  const rest = pinMatch ? withoutLinks.replace(pinMatch[0], ' ') : withoutLinks;
  const number = PHONE_NUMBER.exec(rest)?.[0];
  if (number !== undefined) {
    const digits = number.replace(/[^\d+]/g, '');
    if (digits.replace('+', '').length >= 7) return pin ? `tel:${digits},,${pin}%23` : `tel:${digits}`;
  }
  return WEB_LINK.exec(text)?.[0] ?? null;
}
