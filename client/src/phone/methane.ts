import { LIMITS, type ActorStatus, type CommandPayload, type LatLng, type Sharing } from '@lagesbild/shared';

/**
 * A quick field report in the METHANE shape rescue services use for a first report from
 * the scene: Exact location, Type of event, Hazards, Access, Number of casualties,
 * Emergency services present and needed. (The M, "major incident declared", is the
 * activation itself here.)
 */
export type MethaneReport = {
  incidentId: string;
  /** Where exactly, as a point (device position or picked on the map); null if unknown. */
  position: LatLng | null;
  /** Where exactly, in words: address, road and junction, landmark. */
  locationText: string;
  eventType: string;
  hazards: string;
  access: string;
  casualties: string;
  servicesPresent: string;
  servicesNeeded: string;
  status: ActorStatus;
  sharing: Sharing;
};

/** The headings written into the report text, in the reporter's language. */
export type MethaneLabels = {
  location: string;
  eventType: string;
  hazards: string;
  access: string;
  casualties: string;
  servicesPresent: string;
  servicesNeeded: string;
  /** The map point's label when the type of event is empty. */
  fieldReport: string;
};

/** The ids the report and its map point get; made by the caller so this stays pure. */
export type MethaneIds = { reportId: string; featureId: string };

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** "Heading: text" lines for the non-empty fields, one field per line. */
function section(lines: readonly (readonly [string, string])[]): string {
  const text = lines
    .map(([heading, value]) => [heading, value.trim()] as const)
    .filter(([, value]) => value.length > 0)
    .map(([heading, value]) => `${heading}: ${value}`)
    .join('\n');
  return clip(text, LIMITS.maxTextLength);
}

/** "59.31100, 18.16400": five decimals are about a metre, as exact as a phone's fix. */
export const formatPosition = (position: LatLng): string =>
  `${position.lat.toFixed(5)}, ${position.lng.toFixed(5)}`;

/**
 * Turns a METHANE field report into the actor's situation report (`report.submit`):
 * - happened: the type of event and the exact location;
 * - consequences: the casualties;
 * - measures: the services present and the access routes they use;
 * - needs: the services needed;
 * - assessment: the hazards, which is what decides how the situation may develop;
 * and one point on the map at the location, labelled with the type of event.
 */
export function methaneToReport(
  report: MethaneReport,
  labels: MethaneLabels,
  ids: MethaneIds,
): CommandPayload<'report.submit'> {
  const where = [report.locationText.trim(), report.position ? `(${formatPosition(report.position)})` : '']
    .filter((part) => part.length > 0)
    .join(' ');
  const label = clip(report.eventType.trim() || labels.fieldReport, LIMITS.maxShortTextLength);
  return {
    reportId: ids.reportId,
    incidentId: report.incidentId,
    happened: section([
      [labels.eventType, report.eventType],
      [labels.location, where],
    ]),
    consequences: section([[labels.casualties, report.casualties]]),
    measures: section([
      [labels.servicesPresent, report.servicesPresent],
      [labels.access, report.access],
    ]),
    needs: section([[labels.servicesNeeded, report.servicesNeeded]]),
    assessment: section([[labels.hazards, report.hazards]]),
    status: report.status,
    sharing: report.sharing,
    features: report.position
      ? [
          {
            id: ids.featureId,
            kind: 'other',
            label,
            geometry: { type: 'Point', coordinates: [report.position.lng, report.position.lat] },
          },
        ]
      : [],
  };
}
