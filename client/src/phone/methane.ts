import { LIMITS, type CommandPayload, type LatLng, type Sharing } from '@lagesbild/shared';

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
  sharing: Sharing;
};

const clip = (text: string, max: number): string => {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`;
};

/** "59.31100, 18.16400": five decimals are about a metre, as exact as a phone's fix. */
export const formatPosition = (position: LatLng): string =>
  `${position.lat.toFixed(5)}, ${position.lng.toFixed(5)}`;

/**
 * Turns the phone's METHANE form into a field report (`fieldReport.submit`). A field report
 * is an observation beside the actor's situation report: it carries no status of the actor
 * and never replaces its needs or prognosis. Texts are trimmed and clipped to the limits,
 * so whatever was typed gives a payload the hub accepts.
 */
export function methaneToFieldReport(
  report: MethaneReport,
  fieldReportId: string,
): CommandPayload<'fieldReport.submit'> {
  const long = (text: string) => clip(text, LIMITS.maxTextLength);
  return {
    fieldReportId,
    incidentId: report.incidentId,
    eventType: clip(report.eventType, LIMITS.maxShortTextLength),
    locationText: clip(report.locationText, LIMITS.maxShortTextLength),
    position: report.position,
    hazards: long(report.hazards),
    access: long(report.access),
    casualties: long(report.casualties),
    servicesPresent: long(report.servicesPresent),
    servicesNeeded: long(report.servicesNeeded),
    sharing: report.sharing,
  };
}
