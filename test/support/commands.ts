import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  Command,
  CommandPayload,
  CommandType,
  commandPayloads,
  DirectiveContent,
  DirectiveTemplate,
  MessageContent,
  PublicationChannel,
} from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildDirectiveContent,
  buildDirectiveDraftCommand,
  buildDirectiveTemplate,
  buildFieldReportCommand,
  buildJointMessageApproveCommand,
  buildJointMessageCancelCommand,
  buildJointMessageDraftCommand,
  buildJointMessagePublishCommand,
  buildJointMessageRequestChangeCommand,
  buildLogEntryCommand,
  buildMessageContent,
  buildReportCommand,
  buildTemplateSaveCommand,
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

/** A command of any type with a random command id, its payload as the client sends it. */
export const command = <T extends CommandType>(type: T, payload: z.input<(typeof commandPayloads)[T]>) =>
  ({ id: randomUUID(), type, payload }) as Extract<Command, { type: T }>;

/**
 * `conference.schedule` under a new conference id: an hour from now, for an incident (its
 * summoned actors) or, with `incidentId` null, an ordinary-mode conference of the region.
 */
export const scheduleConference = (
  incidentId: string | null,
  overrides: Partial<CommandPayload<'conference.schedule'>> = {},
) =>
  command('conference.schedule', {
    conferenceId: randomUUID(),
    incidentId,
    title: 'Samverkanskonferens',
    scheduledAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    ...overrides,
  });

/** `conference.close`, naming a new id for the next conference it may schedule. */
export const closeConference = (conferenceId: string) =>
  command('conference.close', { conferenceId, nextConferenceId: randomUUID() });

/** `actionItem.record` of a decision under a new item id. */
export const recordActionItem = (
  conferenceId: string,
  ownerActorId: string,
  overrides: Partial<CommandPayload<'actionItem.record'>> = {},
) =>
  command('actionItem.record', {
    itemId: randomUUID(),
    conferenceId,
    kind: 'decision',
    text: 'Öppna en vattenutdelningsplats',
    ownerActorId,
    ...overrides,
  });

/** `offer.make` under a new offer id, answering the needs of another actor's report. */
export const makeOffer = (
  incidentId: string,
  needActorId: string,
  reportId: string,
  overrides: Partial<CommandPayload<'offer.make'>> = {},
) =>
  command('offer.make', {
    offerId: randomUUID(),
    incidentId,
    needActorId,
    reportId,
    what: 'Vattentankar',
    quantity: '4',
    availableAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    ...overrides,
  });

/** An item of a directive under a new id, owned by the actor. */
export const directiveItem = (ownerActorId: string, text = `Uppdrag för ${ownerActorId}`) => ({
  id: randomUUID(),
  text,
  ownerActorId,
});

/**
 * What a directive says, valid from now for `hours` (a day by default) and reviewed after
 * four hours: the test factory's content moved to the hub's clock, which decides validity.
 */
export const directiveContent = (
  overrides: Partial<DirectiveContent> = {},
  { hours = 24, from = Date.now() }: { hours?: number; from?: number } = {},
): DirectiveContent =>
  buildDirectiveContent({
    items: [directiveItem('nacka')],
    validFrom: new Date(from).toISOString(),
    validUntil: new Date(from + hours * 3_600_000).toISOString(),
    reviewAt: hours > 4 ? new Date(from + 4 * 3_600_000).toISOString() : null,
    ...overrides,
  });

/** `directive.draft` of a new directive (base version 0) on an incident. */
export const draftDirective = (
  incidentId: string,
  overrides: Partial<CommandPayload<'directive.draft'>> = {},
) =>
  buildDirectiveDraftCommand({
    commandId: randomUUID(),
    directiveId: randomUUID(),
    incidentId,
    content: directiveContent(),
    ...overrides,
  });

/** `directiveTemplate.save` of a prepared directive under a new id. */
export const saveTemplate = (overrides: Partial<DirectiveTemplate> = {}) =>
  buildTemplateSaveCommand({
    commandId: randomUUID(),
    template: buildDirectiveTemplate({ id: `t-${randomUUID().slice(0, 8)}`, ...overrides }),
  });

/**
 * What a joint message says, valid from now for `hours` (twelve by default): the test
 * factory's content moved to the hub's clock, as a drafter's screen would fill it in.
 */
export const messageContent = (
  overrides: Partial<MessageContent> = {},
  { hours = 12, from = Date.now() }: { hours?: number; from?: number } = {},
): MessageContent =>
  buildMessageContent({
    validFrom: new Date(from).toISOString(),
    validUntil: new Date(from + hours * 3_600_000).toISOString(),
    ...overrides,
  });

/**
 * `jointMessage.draft` of a new message (base version 0) on an incident, to be approved by
 * Stockholm stad, Nacka and Region Stockholm unless told otherwise.
 */
export const draftMessage = (
  incidentId: string,
  overrides: Partial<CommandPayload<'jointMessage.draft'>> = {},
) =>
  buildJointMessageDraftCommand({
    commandId: randomUUID(),
    messageId: randomUUID(),
    incidentId,
    content: messageContent(),
    ...overrides,
  });

/** `jointMessage.approve` of a version for the sender's own actor. */
export const approveMessage = (messageId: string, version: number, forActorId: string, comment = '') =>
  buildJointMessageApproveCommand({ commandId: randomUUID(), messageId, version, forActorId, comment });

/** `jointMessage.requestChange` of a version for the sender's own actor, saying what. */
export const requestMessageChange = (
  messageId: string,
  version: number,
  forActorId: string,
  comment = 'Nämn trygghetspunkterna',
) =>
  buildJointMessageRequestChangeCommand({ commandId: randomUUID(), messageId, version, forActorId, comment });

/** `jointMessage.publish` of the agreed version on a channel, published now. */
export const publishMessage = (messageId: string, version: number, channel: PublicationChannel = 'web') =>
  buildJointMessagePublishCommand({
    commandId: randomUUID(),
    messageId,
    version,
    channel,
    publishedAt: new Date().toISOString(),
  });

/** `jointMessage.cancel`: withdraws the message. */
export const cancelMessage = (messageId: string, reason = 'Faran är över') =>
  buildJointMessageCancelCommand({ commandId: randomUUID(), messageId, reason });
