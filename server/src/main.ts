import { loadConfig } from './config.js';
import { startHub, StartupError } from './hub.js';

/**
 * `npm start`: starts one hub from the environment, prints where to open it and how to
 * sign in, and stops cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let running;
  try {
    running = await startHub(config);
  } catch (error) {
    const message = error instanceof StartupError ? error.message : (error as Error).stack;
    console.error(`\nLägesbild could not start:\n${message}\n`);
    process.exit(1);
  }

  const { region } = running;
  const lead = region.actors.find((a) => a.id === region.leadActorId);
  const publicUrl = config.publicUrl;
  const lines = [
    '',
    `  Lägesbild is running: ${publicUrl}  (listening on ${running.url})`,
    `  Region: ${region.name} — ${region.actors.length} actors; log: ${running.log.kind}; head seq ${running.hub.headSeq}`,
  ];
  if (config.demoAccounts) {
    lines.push(
      `  Demo logins (password "${config.demoPassword}"):`,
      `    tib.${region.leadActorId.padEnd(22)} duty officer, ${lead?.shortName ?? region.leadActorId} (may activate)`,
      `    samordnare.${region.leadActorId.padEnd(15)} coordinator, ${lead?.shortName ?? region.leadActorId}`,
      '    tib.nacka                  duty officer, Nacka (any actor: tib.<actor id>)',
      '    tib.polisen                duty officer, Polisen',
      `    lasare.${region.leadActorId.padEnd(19)} viewer (read only)`,
    );
  }
  console.log(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'stopping');
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
