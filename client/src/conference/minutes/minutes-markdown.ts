import { type Minutes } from '@lagesbild/shared';
import { actorLabel } from '../../domain/actors';
import {
  approvalText,
  presenceText,
  timeText,
  type MinutesApproval,
  type MinutesWords,
} from './minutes-text';

/** The four parts of the common assessment, in the order the chair writes them. */
const ASSESSMENT_PARTS = ['situation', 'expectedDevelopment', 'consequences', 'uncertainties'] as const;

/** A table cell: a pipe would end the cell and a line break the row. */
const cell = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>').trim();

const table = (head: string[], rows: string[][]): string[] => [
  `| ${head.map(cell).join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
];

/** Free text as its own paragraph; a blank line inside it stays a paragraph break. */
const paragraph = (text: string, empty: string): string => (text.trim() === '' ? empty : text.trim());

/**
 * The minutes as a Markdown document, in the reader's language: the same sections as the
 * printed document (participants, rounds, assessment, decisions, next time, version). Pure,
 * so what is downloaded can be tested without a browser.
 */
export function minutesMarkdown(
  minutes: Minutes,
  approval: MinutesApproval | null,
  words: MinutesWords,
): string {
  const { t, region } = words;
  const name = (actorId: string) => actorLabel(region, actorId);
  const heading = minutes.incidentTitle
    ? `${t('minutes.title')}: ${minutes.title} – ${minutes.incidentTitle}`
    : `${t('minutes.title')}: ${minutes.title}`;

  const lines: string[] = [
    `# ${heading}`,
    '',
    `- **${t('minutes.conference')}:** ${minutes.title}`,
    `- **${t('minutes.incident')}:** ${minutes.incidentTitle || t('minutes.ordinaryMode')}`,
    `- **${t('minutes.convener')}:** ${name(minutes.convenerActorId)}`,
    `- **${t('minutes.scheduledAt')}:** ${timeText(minutes.scheduledAt, words)}`,
    `- **${t('minutes.openedAt')}:** ${timeText(minutes.openedAt, words)}`,
    `- **${t('minutes.closedAt')}:** ${timeText(minutes.closedAt, words)}`,
    `- **${t('minutes.approval')}:** ${approvalText(approval, words)}`,
    '',
    `## ${t('minutes.participants')}`,
    '',
    ...table(
      [t('minutes.actor'), t('minutes.presence'), t('minutes.acknowledged')],
      minutes.participants.map((p) => [
        name(p.actorId),
        presenceText(p, words),
        p.acknowledged ? t('minutes.yes') : t('minutes.no'),
      ]),
    ),
    '',
    `## ${t('minutes.rounds')}`,
  ];

  for (const round of minutes.rounds) {
    const status = round.status ? t(`actorStatus.${round.status}`) : t('actorStatus.none');
    lines.push(
      '',
      `### ${name(round.actorId)}`,
      '',
      `${round.reported ? t('minutes.reported') : t('minutes.notReported')} · ${t('minutes.status')}: ${status}`,
      '',
      paragraph(round.note, t('minutes.noNote')),
    );
  }

  lines.push('', `## ${t('minutes.assessment')}`, '');
  if (minutes.assessment) {
    const assessment = minutes.assessment;
    ASSESSMENT_PARTS.forEach((part, i) => {
      if (i > 0) lines.push('');
      lines.push(`### ${t(`conference.assessment.${part}`)}`, '', paragraph(assessment[part], '–'));
    });
  } else {
    lines.push(t('minutes.noAssessment'));
  }

  lines.push('', `## ${t('minutes.decisions')}`, '');
  if (minutes.decisions.length > 0) {
    lines.push(
      ...table(
        [
          t('minutes.kindLabel'),
          t('minutes.text'),
          t('minutes.owner'),
          t('minutes.due'),
          t('minutes.status'),
        ],
        minutes.decisions.map((d) => [
          t(`minutes.kind.${d.kind}`),
          d.text,
          name(d.ownerActorId),
          timeText(d.dueAt, words),
          t(`minutes.itemStatus.${d.status}`),
        ]),
      ),
    );
  } else {
    lines.push(t('minutes.noDecisions'));
  }

  lines.push(
    '',
    `## ${t('minutes.nextConference')}`,
    '',
    minutes.nextConferenceAt ? timeText(minutes.nextConferenceAt, words) : t('minutes.notSet'),
    '',
    `## ${t('minutes.approval')}`,
    '',
    approvalText(approval, words),
  );
  if (approval && approval.correction.trim() !== '') {
    lines.push('', t('minutes.correctionNote', { text: approval.correction.trim() }));
  }
  return `${lines.join('\n')}\n`;
}
