import { stockholmRegion } from '@lagesbild/shared/test-factories';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../domain/format';
import { initI18n } from '../../i18n/i18n';
import { registerAllTranslations } from '../../test/translations';
import { buildMinutesVersion, buildTestMinutes } from './minutes-fixtures';
import { minutesMarkdown } from './minutes-markdown';
import { minutesFileName, slugOf, type MinutesWords } from './minutes-text';

const words = (language: 'sv' | 'en'): MinutesWords => ({
  t: i18next.getFixedT(language),
  language,
  region: stockholmRegion(),
});

beforeAll(() => {
  // The minutes' words load with the conference views, which register them in the app.
  registerAllTranslations();
  initI18n('sv');
});

describe('minutesMarkdown', () => {
  it('writes every participant with presence and acknowledgement, in Swedish', () => {
    const md = minutesMarkdown(buildTestMinutes(), buildMinutesVersion(), words('sv'));
    expect(md).toContain('# Protokoll: Samverkanskonferens – Storm Ylva');
    expect(md).toContain('| Aktör | Närvaro | Kvitterat aktiveringen |');
    expect(md).toContain('| Länsstyrelsen i Stockholms län | Närvarande | Ja |');
    expect(md).toContain('| Nacka kommun | Närvarande | Ja |');
    // Never called and never acknowledged: both said, not left blank.
    expect(md).toContain('| Botkyrka kommun | Ej uppropad | Nej |');
    expect(md).toContain(
      '| Polisregion Stockholm | Företrädd av Länsstyrelsen i Stockholms län (Samordnare) | Ja |',
    );
  });

  it('writes each round, the assessment, the decisions, the next time and the approval', () => {
    const version = buildMinutesVersion();
    const md = minutesMarkdown(buildTestMinutes(), version, words('sv'));
    expect(md).toContain('### Nacka kommun\n\nRapporterat · Status: Ansträngd\n\nTräd över Värmdöleden.');
    expect(md).toContain(
      '### Botkyrka kommun\n\nInte rapporterat · Status: Ingen rapport\n\nIngen anteckning.',
    );
    expect(md).toContain('### Läge\n\nStormen drar in över länet.');
    expect(md).toContain('### Osäkerheter\n\nVindstyrkan i ytterskärgården.');
    const due = formatTime('2024-05-01T12:00:00.000Z', 'sv');
    expect(md).toContain(`| Åtgärdspunkt | Röj Värmdöleden \\| körfält 1 | Nacka kommun | ${due} | Öppen |`);
    expect(md).toContain(`## Nästa konferens\n\n${due}`);
    expect(md).toContain(
      `Version 1, godkänd ${formatTime(version.at, 'sv')} av Lena Lindqvist (Länsstyrelsen i Stockholms län)`,
    );
    expect(md).not.toContain('Rättelse:');
  });

  it('keeps a table whole when a decision spans lines or holds a pipe', () => {
    const minutes = buildTestMinutes({
      decisions: buildTestMinutes().decisions.map((d) => ({ ...d, text: 'Första raden\nandra | raden' })),
    });
    const md = minutesMarkdown(minutes, buildMinutesVersion(), words('sv'));
    const row = md.split('\n').find((line) => line.startsWith('| Åtgärdspunkt'));
    expect(row).toContain('Första raden<br>andra \\| raden');
    // Five cells: the pipe in the text did not add one.
    expect(row?.split(/(?<!\\)\|/).length).toBe(7);
  });

  it('says what a correction changed', () => {
    const md = minutesMarkdown(
      buildTestMinutes(),
      buildMinutesVersion({ version: 2, correction: 'Nackas anteckning rättad.' }),
      words('sv'),
    );
    expect(md).toContain('Version 2, godkänd');
    expect(md).toContain('Rättelse: Nackas anteckning rättad.');
  });

  it('marks a preview as not approved', () => {
    const md = minutesMarkdown(buildTestMinutes(), null, words('sv'));
    expect(md).toContain('Förslag – inte godkänt');
    expect(md).not.toContain('godkänd');
  });

  it('says so when there was no assessment, no decision and no next time', () => {
    const minutes = buildTestMinutes({ assessment: null, decisions: [], nextConferenceAt: null });
    const md = minutesMarkdown(minutes, buildMinutesVersion(), words('sv'));
    expect(md).toContain('Ingen samlad bedömning gjordes.');
    expect(md).toContain('Inga beslut eller åtgärdspunkter.');
    expect(md).toContain('## Nästa konferens\n\nInte bestämd');
  });

  it('names an ordinary-mode conference as such and an actor the region no longer has by its id', () => {
    const minutes = buildTestMinutes({
      incidentId: null,
      incidentTitle: '',
      title: 'Veckokonferens',
      participants: [{ actorId: 'gone-actor', presence: 'absent', representedBy: null, acknowledged: true }],
    });
    const md = minutesMarkdown(minutes, buildMinutesVersion(), words('sv'));
    expect(md).toContain('# Protokoll: Veckokonferens\n');
    expect(md).toContain('**Händelse:** Ordinarie läge, ingen händelse');
    expect(md).toContain('| gone-actor | Frånvarande | Ja |');
  });

  it('speaks English to an English reader', () => {
    const md = minutesMarkdown(buildTestMinutes(), buildMinutesVersion(), words('en'));
    expect(md).toContain('# Minutes: Samverkanskonferens – Storm Ylva');
    expect(md).toContain(
      '| Polisregion Stockholm | Represented by Länsstyrelsen i Stockholms län (Coordinator) | Yes |',
    );
    expect(md).toContain('### Expected development');
    expect(md).toContain('| Action item | Röj Värmdöleden \\| körfält 1 | Nacka kommun |');
    expect(md).toContain('Version 1, approved');
  });
});

describe('minutes file names', () => {
  it('name the day, the incident and the version', () => {
    expect(minutesFileName(buildTestMinutes(), 2, 'md')).toBe('protokoll-2024-05-01-storm-ylva-v2.md');
    expect(minutesFileName(buildTestMinutes(), 1, 'json')).toBe('protokoll-2024-05-01-storm-ylva-v1.json');
  });

  it('use the conference title in ordinary mode and plain letters for å, ä and ö', () => {
    const minutes = buildTestMinutes({ incidentTitle: '', title: 'Veckomöte Länsstyrelsen – Ösmo' });
    expect(minutesFileName(minutes, 1, 'md')).toBe('protokoll-2024-05-01-veckomote-lansstyrelsen-osmo-v1.md');
  });

  it('still make a name from a title of only signs', () => {
    expect(slugOf('!!! ???')).toBe('');
    expect(minutesFileName(buildTestMinutes({ incidentTitle: '—' }), 3, 'md')).toBe(
      'protokoll-2024-05-01-v3.md',
    );
  });
});
