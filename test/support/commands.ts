import { randomUUID } from 'node:crypto';
import {
  buildActivateCommand,
  buildFieldReportCommand,
  buildLogEntryCommand,
  buildReportCommand,
} from '@lagesbild/shared/test-factories';

/**
 * Commands with random ids: system tests run against hubs whose logs outlive one test
 * file's counters, so ids must never repeat.
 */
export const activate = (overrides: Parameters<typeof buildActivateCommand>[0] = {}) =>
  buildActivateCommand({ commandId: randomUUID(), incidentId: randomUUID(), ...overrides });

/** A region-wide log entry with a text that names it. */
export const logEntry = (text: string, overrides: Parameters<typeof buildLogEntryCommand>[0] = {}) =>
  buildLogEntryCommand({ commandId: randomUUID(), entryId: randomUUID(), text, ...overrides });

/** A situation report on an incident. */
export const report = (incidentId: string, overrides: Parameters<typeof buildReportCommand>[0] = {}) =>
  buildReportCommand({ commandId: randomUUID(), reportId: randomUUID(), incidentId, ...overrides });

/** A field report (an observation from the scene) on an incident. */
export const fieldReport = (
  incidentId: string,
  overrides: Parameters<typeof buildFieldReportCommand>[0] = {},
) =>
  buildFieldReportCommand({ commandId: randomUUID(), fieldReportId: randomUUID(), incidentId, ...overrides });
