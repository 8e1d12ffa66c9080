import { decide, type Attribution, type Command, type StoredEvent } from '@lagesbild/shared';
import {
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildCloseCommand,
  buildLogEntryCommand,
  buildReportCommand,
  buildUpdateCommand,
  freshUuid,
  stockholmRegion,
} from '@lagesbild/shared/test-factories';
import type { EventLog, Snapshot } from '../../../server/src/log/event-log.js';
import { HubState } from '../../../server/src/hub/hub-state.js';
import { commandPayloadHash } from '../../../server/src/log/payload-hash.js';

/** Appends in flight at once: enough for group commit (journal) and pipelining (Redis). */
const IN_FLIGHT = 512;
const ACTIVE_INCIDENTS = 5;
const START = Date.parse('2024-01-01T00:00:00.000Z');
const SECONDS_PER_EVENT = 30;

/**
 * Writes a realistic history into a log through the hub's own log module, as fast as the
 * log takes it: every command goes through the shared `decide`, so the events are exactly
 * what a hub would append. The mix of a busy region: incident updates (50 %) and
 * acknowledgements (the state keeps its size), log entries (35 %), situation reports
 * (6 %), check-ins and check-outs (0.5 % each; the state grows), five incidents active at
 * a time.
 *
 * The caller's `HubState` folds every event, so a snapshot can be taken at any point.
 */
export class HistoryWriter {
  readonly hub: HubState;
  readonly #region = stockholmRegion();
  readonly #incidents: string[] = [];
  readonly #openCheckins: { id: string; by: Attribution }[] = [];
  #n = 0;

  constructor(
    private readonly log: EventLog,
    epoch: string,
    start: HubState | null = null,
  ) {
    this.hub = start ?? new HubState(epoch, 1, null);
  }

  get headSeq(): number {
    return this.hub.headSeq;
  }

  /** Appends commands until the log holds `targetSeq` events or more. */
  async appendUntil(targetSeq: number): Promise<void> {
    let inFlight: Promise<void>[] = [];
    while (this.hub.headSeq < targetSeq) {
      inFlight.push(this.#appendOne());
      if (inFlight.length >= IN_FLIGHT) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
  }

  /** The snapshot the hub's snapshotter would store now. */
  snapshot(): Snapshot {
    return { seq: this.hub.headSeq, state: this.hub.state, directory: this.hub.directory };
  }

  #appendOne(): Promise<void> {
    const n = this.#n++;
    const actors = this.#region.actors;
    const actor = actors[n % actors.length] ?? actors[0];
    if (!actor) throw new Error('the region has no actors');
    const by: Attribution = {
      userId: `user-${actor.id}-tib`,
      userName: `TiB ${actor.shortName}`,
      actorId: actor.id,
      functionId: 'dutyOfficer',
    };
    const lead: Attribution = { ...by, userId: 'user-lansstyrelsen-tib', actorId: this.#region.leadActorId };
    const at = new Date(START + n * SECONDS_PER_EVENT * 1000).toISOString();
    const { command, sender } = this.#nextCommand(n, by, lead);
    const decision = decide(this.hub.state, command, sender, at, this.#region);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.message}`);
    const first = this.hub.headSeq;
    // Typed by hand (TypeScript cannot pair each draft type with its payload through the
    // spread); the log parses every event with the shared schema as it appends it.
    const events = decision.data.map(
      (draft, i) => ({ ...draft, seq: first + i + 1, at, by: sender, commandId: command.id }) as StoredEvent,
    );
    // Folded now, so the next command is decided on the state this one leaves.
    this.hub.ingest(events);
    this.#remember(command, events, sender);
    const payloadHash = commandPayloadHash(command);
    // One command per append, as a hub appends what one client sent; the log numbers the
    // appends in flight back to back (group commit on the journal, pipelining on Redis).
    const appended = this.log.appendBatch(
      first,
      [{ commandId: command.id, drafts: decision.data, by: sender, payloadHash }],
      at,
    );
    return appended.then((outcome) => {
      if (outcome.status !== 'appended') throw new Error(`append at ${first} answered ${outcome.status}`);
    });
  }

  #nextCommand(n: number, by: Attribution, lead: Attribution): { command: Command; sender: Attribution } {
    const incident = this.#incidents[n % Math.max(1, this.#incidents.length)] ?? null;
    const slot = n % 100;
    if (this.#incidents.length < ACTIVE_INCIDENTS || (slot === 0 && n % 1000 === 0)) {
      if (this.#incidents.length >= ACTIVE_INCIDENTS) {
        const oldest = this.#incidents.shift();
        if (oldest)
          return { command: buildCloseCommand({ incidentId: oldest, summary: 'Normal läge' }), sender: lead };
      }
      const incidentId = freshUuid();
      this.#incidents.push(incidentId);
      return {
        command: buildActivateCommand({ incidentId, summonedActorIds: this.#region.actors.map((a) => a.id) }),
        sender: lead,
      };
    }
    if (incident && slot < 50) {
      return {
        command: buildUpdateCommand({
          incidentId: incident,
          description: `Lägesuppdatering ${n}: vinden avtar, fortsatt elavbrott`,
        }),
        sender: lead,
      };
    }
    if (incident && slot < 55 && !this.hub.state.incidents[incident]?.acknowledgements[by.actorId]) {
      return { command: buildAcknowledgeCommand({ incidentId: incident }), sender: by };
    }
    // Check-ins are rare here: deciding one scans every check-in ever made (a person has
    // one open at a time), which would make writing a million events quadratic.
    const rare = n % 1000;
    if (slot === 55 && rare < 500)
      return { command: buildCheckinCommand({ incidentId: incident }), sender: by };
    const open = this.#openCheckins.findIndex((c) => c.by.actorId === by.actorId);
    if (slot === 56 && rare < 500 && open >= 0) {
      const [checkin] = this.#openCheckins.splice(open, 1);
      // A later check-in by the same person may have ended this one already.
      if (checkin && this.hub.state.checkins[checkin.id]?.checkedOutAt === null) {
        return { command: buildCheckoutCommand({ checkinId: checkin.id }), sender: checkin.by };
      }
    }
    if (incident && slot < 65) return { command: buildReportCommand({ incidentId: incident }), sender: by };
    return {
      command: buildLogEntryCommand({
        incidentId: incident,
        text: `Beslut ${n}: gemensamt budskap kl 10.00 via Krisinformation`,
      }),
      sender: by,
    };
  }

  #remember(command: Command, events: StoredEvent[], sender: Attribution): void {
    if (command.type !== 'checkin.create') return;
    for (const event of events) {
      if (event.type === 'checkin.created')
        this.#openCheckins.push({ id: event.payload.checkin.id, by: sender });
    }
    // Bounded: people forget to check out, and the list must not grow with the log.
    if (this.#openCheckins.length > 2000) this.#openCheckins.splice(0, 1000);
  }
}
