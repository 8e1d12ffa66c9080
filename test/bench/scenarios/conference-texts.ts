// Swedish text of realistic length for C1's simulated conference: what a chair writes
// during a two-hour coordination conference on a winter storm. The minutes' size depends
// on it, so it is written like the real thing (full sentences, place names, times) and
// drawn from a seeded generator, so every run writes the same minutes.

/** A small deterministic generator (the same LCG as the UI bench's map features). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ROUND_SENTENCES = [
  'Elavbrott i norra delen sedan i natt, omkring 2 400 hushåll berörs enligt Ellevio.',
  'Hemtjänsten prioriterar brukare med trygghetslarm och larm som kräver el; besöken är försenade med upp till två timmar.',
  'Två äldreboenden går på reservkraft; bränslet räcker till i morgon förmiddag om inget fylls på.',
  'Kommunens krisledningsgrupp är aktiverad och sammanträder klockan 14 och 20.',
  'Tre vägar är avstängda av nedfallna träd, röjning pågår med egen personal och entreprenörer.',
  'Skolorna håller öppet men skolskjutsarna i ytterområdena är inställda i dag.',
  'Vi har öppnat en trygghetspunkt i kommunhuset med värme, laddning av telefoner och information.',
  'Dricksvattnet är opåverkat, men två tryckstegringsstationer går på reservkraft och övervakas.',
  'Kommunikatören har publicerat information på webben och i sociala kanaler, nästa uppdatering 16.00.',
  'Behov: två mobila elverk på minst 60 kVA och personal som kan köra dem under natten.',
  'Vi kan avvara en fyrhjulsdriven bil med förare till grannkommunen från i kväll.',
  'Inga personskador rapporterade, men ett par äldre i glesbygd har inte nåtts per telefon; hemtjänsten åker ut.',
  'Räddningstjänsten har haft ett fyrtiotal larm om träd över väg och tak sedan midnatt.',
  'Läget bedöms som ansträngt men hanterbart under dygnet; vi följer SMHI:s prognos inför natten.',
  'Bussarna i kollektivtrafiken kör med förseningar och vissa linjer är inställda efter klockan 18.',
  'Vi har begärt stöd av frivilliga resursgrupper för att bemanna trygghetspunkten under helgen.',
  'Mobiltäckningen är svag kring två basstationer utan el; operatören räknar med åtgärd i kväll.',
  'Vi ser ett ökat tryck på sjukvårdsrådgivningen 1177 och på jourcentralerna i området.',
];

/** A Fisher–Yates shuffle driven by `random`. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * One actor's round note as the chair writes it: `min`–`max` characters (300–600 by
 * default) of whole sentences, headed by the actor's name.
 */
export function roundNote(actorName: string, seed: number, min = 300, max = 600): string {
  const random = seeded(seed);
  const target = min + Math.floor(random() * (max - min - 60));
  let note = `${actorName} rapporterade.`;
  const order = shuffled(ROUND_SENTENCES, random);
  for (const sentence of order) {
    if (note.length >= target) break;
    if (note.length + 1 + sentence.length <= max) note += ` ${sentence}`;
  }
  if (note.length < min || note.length > max) {
    throw new Error(`round note of ${note.length} characters, not ${min}–${max}`);
  }
  return note;
}

/** A situation report of one actor before the conference: the round rests on it. */
export function situationReport(actorName: string, seed: number) {
  const random = seeded(seed * 7 + 3);
  const pick = () => ROUND_SENTENCES[Math.floor(random() * ROUND_SENTENCES.length)] ?? '';
  return {
    happened: `${actorName}: ${pick()} ${pick()}`,
    consequences: pick(),
    measures: pick(),
    needs: random() < 0.3 ? 'Två mobila elverk och personal att köra dem under natten.' : '',
    assessment: 'Ansträngt men hanterbart under dygnet.',
    status:
      random() < 0.15 ? ('severe' as const) : random() < 0.6 ? ('strained' as const) : ('normal' as const),
  };
}

/** The common assessment (samlad bedömning) as the chair revises it during the conference. */
export function assessmentVersion(version: number) {
  const hour = 13 + version;
  return {
    situation:
      `Läget klockan ${hour}.00: Stormen Ylva har sedan natten orsakat omfattande skador på ledningsnät och ` +
      'vägnät i länet, främst i de norra och östra kommunerna. Omkring 18 000 hushåll saknar el, varav ' +
      'en tredjedel i glesbygd. Räddningstjänsterna har hanterat drygt 300 larm om träd över väg och tak. ' +
      'Kollektivtrafiken är kraftigt störd och flera färjelinjer i skärgården är inställda. Sjukvården ' +
      `rapporterar ökat tryck men ingen påverkan på akutsjukvården.${version > 1 ? ' Elnätsbolagen har sedan förra versionen återställt omkring 4 000 abonnenter.' : ''}`,
    expectedDevelopment:
      'SMHI:s klass 2-varning gäller till i morgon klockan 06. Vinden väntas avta under natten, men ' +
      'återuppbyggnaden av elnätet i glesbygd kan ta två till fyra dygn. Kylan efter stormen gör att ' +
      'behovet av uppvärmda trygghetspunkter ökar, särskilt för äldre och personer med hemtjänst. ' +
      `${version > 2 ? 'Prognosen för i morgon eftermiddag har skärpts: nya vindbyar kan hindra röjningen.' : 'Läget bedöms stabiliseras under morgondagen.'}`,
    consequences:
      'De viktigaste konsekvenserna för samhället är bristande värme och el för sårbara grupper, ' +
      'svårigheter att nå hemtjänstens brukare, begränsad framkomlighet för blåljusverksamhet i ' +
      'glesbygd, störd mobiltelefoni kring basstationer utan reservkraft och att skolor och förskolor i ' +
      'ytterområdena kan behöva hålla stängt. Förtroendet för informationen kräver samordnade budskap.',
    uncertainties:
      'Osäkert hur länge reservkraften på äldreboenden och i tryckstegringsstationer räcker om ' +
      'bränsleleveranserna försenas. Osäkert hur många äldre i glesbygd som saknar fungerande telefon. ' +
      `Elnätsbolagens tidsbedömningar har hittills ändrats flera gånger.${version > 1 ? ' Tillgången på mobila elverk i länet är osäker.' : ''}`,
  };
}

/** Decisions (beslut) and action items (åtgärder) a two-hour conference records, with owners. */
export const DECISIONS: readonly {
  kind: 'decision' | 'action';
  text: string;
  owner: string;
  dueHours: number | null;
}[] = [
  {
    kind: 'decision',
    text: 'Länsstyrelsen samordnar fördelningen av mobila elverk i länet; kommunerna anmäler behov senast 17.00.',
    owner: 'lansstyrelsen',
    dueHours: 2,
  },
  {
    kind: 'decision',
    text: 'Gemensamt budskap till allmänheten: ta hand om varandra, ring 112 endast vid nödläge, information finns på krisinformation.se.',
    owner: 'lansstyrelsen',
    dueHours: 1,
  },
  {
    kind: 'action',
    text: 'Sammanställa en lista över äldreboenden och gruppbostäder som går på reservkraft, med bränslestatus.',
    owner: 'region-stockholm',
    dueHours: 3,
  },
  {
    kind: 'action',
    text: 'Öppna en trygghetspunkt med värme och laddning i Norrtälje centrum från klockan 18.',
    owner: 'norrtalje',
    dueHours: 4,
  },
  {
    kind: 'action',
    text: 'Öppna en trygghetspunkt på Värmdö, i samråd med frivilliga resursgrupper.',
    owner: 'varmdo',
    dueHours: 4,
  },
  {
    kind: 'action',
    text: 'Prioritera röjning av väg 76 och väg 222 för blåljusverksamheten.',
    owner: 'trafikverket',
    dueHours: 6,
  },
  {
    kind: 'decision',
    text: 'Nästa samverkanskonferens hålls klockan 20.00 med samma deltagare.',
    owner: 'lansstyrelsen',
    dueHours: null,
  },
  {
    kind: 'action',
    text: 'Kontakta elnätsbolagen och begära en samlad tidsbedömning per kommun till nästa konferens.',
    owner: 'lansstyrelsen',
    dueHours: 5,
  },
  {
    kind: 'action',
    text: 'Säkerställa bränsleleveranser till reservkraften på de två äldreboendena i Vallentuna.',
    owner: 'vallentuna',
    dueHours: 3,
  },
  {
    kind: 'action',
    text: 'Nå de brukare i glesbygd som inte svarat i telefon, med hemtjänst eller räddningstjänst.',
    owner: 'osteraker',
    dueHours: 4,
  },
  {
    kind: 'action',
    text: 'Förstärka sjukvårdsrådgivningen 1177 under kvällen och natten.',
    owner: 'region-stockholm',
    dueHours: 2,
  },
  {
    kind: 'decision',
    text: 'Kommunerna i de drabbade områdena håller skolskjutsarna inställda även i morgon förmiddag.',
    owner: 'lansstyrelsen',
    dueHours: 16,
  },
  {
    kind: 'action',
    text: 'Bevaka framkomligheten för ambulanser i skärgården och meddela SOS Alarm vid avstängda vägar.',
    owner: 'sos-alarm',
    dueHours: null,
  },
  {
    kind: 'action',
    text: 'Ställa fyra mobila elverk till förfogande för kommunerna enligt Länsstyrelsens fördelning.',
    owner: 'forsvarsmakten',
    dueHours: 8,
  },
  {
    kind: 'action',
    text: 'Ordna extra färjeturer till Vaxholm och Ljusterö när vinden tillåter.',
    owner: 'trafikverket',
    dueHours: 12,
  },
  {
    kind: 'action',
    text: 'Polisen förstärker patrulleringen i områden utan el och gatubelysning under natten.',
    owner: 'polisen',
    dueHours: 10,
  },
  {
    kind: 'action',
    text: 'Sammanställa räddningstjänsternas larmstatistik och resursläge till nästa konferens.',
    owner: 'storstockholms-brandforsvar',
    dueHours: 5,
  },
  {
    kind: 'action',
    text: 'Informera hamnens kunder om inställda anlöp och öppna väntsal med värme.',
    owner: 'stockholms-hamnar',
    dueHours: 3,
  },
  {
    kind: 'decision',
    text: 'Kommunikatörerna samordnar budskapen i en gemensam kanal och publicerar samtidigt 16.00 och 20.00.',
    owner: 'stockholm',
    dueHours: 1,
  },
  {
    kind: 'action',
    text: 'Uppdatera lägesrapporten i Lägesbild före nästa konferens.',
    owner: 'nacka',
    dueHours: 5,
  },
];

/** The dial-in details the chair sends with the schedule. */
export const DIAL_IN =
  'Rakel talgrupp SSR-SAMV-1. Telefon 08-123 456 78, PIN 4711#. Länk: https://mote.example.se/ssr';
