import type { RegionConfig } from '@lagesbild/shared';
import { directingDemoActors } from './auth/accounts.js';

/** What `npm start` tells the person at the terminal. */
export type BannerFacts = {
  publicUrl: string;
  listeningUrl: string;
  region: RegionConfig;
  logKind: string;
  headSeq: number;
  /** The demo password, when demo accounts are seeded. */
  demoPassword: string | null;
};

/**
 * How to pair a wall display while the hub runs: through the admin API, as an
 * administrator. (`npm run admin` needs the embedded log to itself, so it would mean
 * stopping the hub.)
 */
function pairingHelp(publicUrl: string, adminUsername: string, password: string): string[] {
  const json = "-H 'content-type: application/json'";
  return [
    `  Pair a wall display while the hub runs (as ${adminUsername}, through the admin API):`,
    `    TOKEN=$(curl -s -c /tmp/lagesbild-admin ${json} \\`,
    `      -d '{"username":"${adminUsername}","password":"${password}"}' ${publicUrl}/api/session \\`,
    `      | sed 's/.*"csrfToken":"\\([^"]*\\)".*/\\1/')`,
    `    curl -s -b /tmp/lagesbild-admin -H "x-csrf-token: $TOKEN" ${json} \\`,
    `      -d '{"name":"Ledningsrum 1","views":["wall"]}' ${publicUrl}/api/admin/devices`,
    `  then open the answer's "pairingLink" (${publicUrl}/wall?pair=<code>) on the display.`,
  ];
}

/** The banner: where the three front ends are, who can sign in, and how to pair a wall. */
export function startBanner(facts: BannerFacts): string {
  const { publicUrl, region } = facts;
  const lead = region.actors.find((a) => a.id === region.leadActorId);
  const leadName = lead?.shortName ?? region.leadActorId;
  const lines = [
    '',
    `  Lägesbild is running: ${publicUrl}  (listening on ${facts.listeningUrl})`,
    `  Region: ${region.name} — ${region.actors.length} actors; log: ${facts.logKind}; head seq ${facts.headSeq}`,
    '',
    `  ${publicUrl}/        the operator's common picture (laptop)`,
    `  ${publicUrl}/wall    a wall display, paired as a device (below)`,
    `  ${publicUrl}/phone   phones: check-in, quick reports, activation alerts`,
    '',
  ];
  if (facts.demoPassword !== null) {
    lines.push(
      `  Demo logins (password "${facts.demoPassword}"):`,
      `    tib.${region.leadActorId.padEnd(22)} duty officer, ${leadName} (may activate)`,
      `    samordnare.${region.leadActorId.padEnd(15)} coordinator, ${leadName}`,
      '    tib.nacka                  duty officer, Nacka (any actor: tib.<actor id>)',
      '    tib.polisen                duty officer, Polisen',
      ...directingDemoActors(region).map((actorId) => {
        const name = region.actors.find((a) => a.id === actorId)?.shortName ?? actorId;
        return `    chef.${actorId.padEnd(21)} directing level (decides directives), ${name}`;
      }),
      '    kommunikator.stockholm     communicator, Stockholm (any actor: kommunikator.<actor id>)',
      `    lasare.${region.leadActorId.padEnd(19)} viewer (read only)`,
      `    admin.${region.leadActorId.padEnd(20)} administrator (also edits the prepared directives)`,
      '',
      ...pairingHelp(publicUrl, `admin.${region.leadActorId}`, facts.demoPassword),
    );
  } else {
    lines.push(...pairingHelp(publicUrl, '<admin username>', '<password>'));
  }
  return `${lines.join('\n')}\n`;
}
