import type { Widen } from '../i18n/sv';

/**
 * Swedish for the administration of directive templates. These texts load with those views
 * (`registerTranslations` at the top of each lazily loaded module), not with the first page; the
 * keys the button that opens it use stay in `i18n/sv.ts`.
 */
export const templatesAdminSv = {
  templatesAdmin: {
    intro:
      'Förberedda inriktningar är mallar för inriktningsbeslut vid olika typer av händelser. Samordnare utgår från dem när de skriver ett utkast. Regionfilens mallar kan ändras, tas bort och återställas här.',
    add: 'Ny förberedd inriktning',
    newTitle: 'Ny förberedd inriktning',
    editTitle: 'Ändra: {{name}}',
    edit: 'Ändra {{name}}',
    remove: 'Ta bort {{name}}',
    restore: 'Återställ {{name}} från regionfilen',
    removeConfirm: 'Ta bort {{name}}? Samordnare erbjuds den inte längre.',
    removeYes: 'Ja, ta bort',
    origin: {
      region: 'Från regionfilen',
      changed: 'Ändrad i appen',
      removed: 'Borttagen',
      app: 'Tillagd i appen',
    },
    facts:
      '{{priorities}} prioriteringar, {{items}} ansvar, avstämning efter {{review}} h, giltig {{validity}} h',
    savedBy: 'Senast ändrad av {{name}}',
    id: 'Id',
    idHint: 'Små bokstäver a–z, siffror och bindestreck, t.ex. ”snostorm”. Kan inte ändras senare.',
    idShown: 'Mallens id: {{id}}',
    nameSv: 'Namn på svenska',
    nameEn: 'Namn på engelska',
    incidentKinds: 'Erbjuds först för händelsetyperna',
    purpose: 'Syfte',
    priorities: 'Prioriteringar',
    prioritiesHint: 'En prioritering per rad, den viktigaste först. Högst 30.',
    items: 'Ansvar per typ av aktör',
    itemsHint:
      'Varje kallad aktör av den valda typen får ansvaret när mallen används. Högst 100 ansvar räknat på regionens alla aktörer.',
    itemKind: 'Typ av aktör för ansvar {{n}}',
    itemText: 'Ansvar {{n}}',
    removeItem: 'Ta bort ansvar {{n}}',
    addItem: 'Lägg till ansvar',
    limits: 'Begränsningar',
    reviewIntervalHours: 'Avstämning efter (timmar)',
    validityHours: 'Giltig i (timmar)',
    save: 'Spara',
    errors: {
      required: 'Fältet måste fyllas i.',
      badId: 'Bara små bokstäver a–z, siffror och bindestreck.',
      idTaken: 'Det finns redan en förberedd inriktning med det id:t.',
      tooMany: 'För många rader.',
      tooLong: 'Texten är för lång.',
      itemText: 'Varje ansvar behöver en text.',
      hours: 'Ange ett helt antal timmar inom gränserna (avstämning högst 720, giltighet högst 2 160).',
      reviewAfterValidity: 'Avstämningen ska ske innan inriktningen slutar gälla.',
      fix: 'Rätta de markerade fälten.',
    },
  },
  actorKind: {
    countyBoard: 'Länsstyrelse',
    municipality: 'Kommun',
    healthRegion: 'Region (hälso- och sjukvård)',
    police: 'Polis',
    rescueService: 'Räddningstjänst',
    emergencyCentre: 'Larmcentral',
    transport: 'Transport och infrastruktur',
    port: 'Hamn',
    armedForces: 'Försvarsmakten',
    other: 'Annan aktör',
  },
} as const;

export type TemplatesAdminTranslation = Widen<typeof templatesAdminSv>;
