import type { Attribution, Minutes, MinutesVersion, RegionConfig } from '@lagesbild/shared';
import type { TFunction } from 'i18next';
import { actorLabel } from '../../domain/actors';
import { formatTime } from '../../domain/format';

// The words of the minutes, shared by the printed document and the Markdown download so
// both say the same thing in the reader's language. Names stay ids in the minutes and are
// looked up in the region here.

/** What the minutes' words need: the reader's language, its words and the region's names. */
export type MinutesWords = { t: TFunction; language: string; region: RegionConfig };

/** The approval a version of the minutes carries; null stands for the preview before approval. */
export type MinutesApproval = Pick<MinutesVersion, 'version' | 'correction' | 'at' | 'by'>;

export type MinutesParticipant = Minutes['participants'][number];

/** A function's name in the reader's language; the id when the region no longer has it. */
export function functionLabel(words: MinutesWords, functionId: string): string {
  const lang = words.language === 'en' ? 'en' : 'sv';
  return words.region.functions.find((f) => f.id === functionId)?.name[lang] ?? functionId;
}

/** "Närvarande", "Företrädd av Polisen (Samordnare)", "Ej uppropad". */
export function presenceText(participant: MinutesParticipant, words: MinutesWords): string {
  const { t, region } = words;
  if (participant.presence === null) return t('minutes.presenceValue.none');
  if (participant.presence === 'represented' && participant.representedBy) {
    return t('minutes.presenceValue.represented', {
      actor: actorLabel(region, participant.representedBy.actorId),
      function: functionLabel(words, participant.representedBy.functionId),
    });
  }
  return t(`minutes.presenceValue.${participant.presence}`);
}

/** The person who did something, and for which actor: "Lena Lindqvist (Länsstyrelsen Stockholm)". */
export const personLabel = (by: Attribution, region: RegionConfig): string =>
  `${by.userName} (${actorLabel(region, by.actorId)})`;

/** A time in the reader's language, or a dash when it never happened. */
export const timeText = (iso: string | null, words: MinutesWords): string =>
  iso ? formatTime(iso, words.language) : words.t('minutes.notYet');

/** "Version 2, godkänd 2024-05-01 10:12 av …", or that the minutes are a draft. */
export function approvalText(approval: MinutesApproval | null, words: MinutesWords): string {
  if (!approval) return words.t('minutes.notApproved');
  return words.t('minutes.approvedBy', {
    version: approval.version,
    at: formatTime(approval.at, words.language),
    by: personLabel(approval.by, words.region),
  });
}

/** Lower-case ASCII words joined by dashes: "Storm Ylva – Ösmo" → "storm-ylva-osmo". */
export function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** "2024-05-01": the day of the conference on the reader's clock. */
const dayOf = (iso: string): string =>
  new Intl.DateTimeFormat('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );

/**
 * "protokoll-2024-05-01-storm-ylva-v2.md": the day the conference was held, what it was
 * about (the incident's title; the conference's own for ordinary mode) and the version, so
 * saved files sort by day and never overwrite another version.
 */
export function minutesFileName(minutes: Minutes, version: number, extension: 'md' | 'json'): string {
  const slug = slugOf(minutes.incidentTitle || minutes.title);
  const day = dayOf(minutes.openedAt ?? minutes.scheduledAt);
  return ['protokoll', day, slug, `v${version}`].filter((part) => part !== '').join('-') + `.${extension}`;
}
