// The ways an activation or a request reaches a person who is not looking at the screen.
// Each is best effort: a blocked sound or notification must never stop the banner showing.

let audio: AudioContext | null = null;

/** Three short rising tones, unlike any system sound, loud enough across a room. */
export const playActivationSound = (): void => playTones([660, 880, 1100]);

/**
 * Two falling tones for a new request: as hard to miss as an activation, yet a duty
 * officer hears from across the room which of the two it is.
 */
export const playRequestSound = (): void => playTones([880, 660]);

/**
 * Two rising tones for a new directive in force: news to act on, but no activation, so
 * shorter than the activation's three.
 */
export const playDirectiveSound = (): void => playTones([660, 990]);

function playTones(frequencies: readonly number[]): void {
  try {
    const AudioCtor = globalThis.AudioContext;
    if (typeof AudioCtor !== 'function') return;
    audio ??= new AudioCtor();
    const ctx = audio;
    void ctx.resume().catch(() => undefined);
    frequencies.forEach((frequency, i) => {
      const start = ctx.currentTime + i * 0.25;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.22);
    });
  } catch {
    // No audio output, or the browser wants a click first.
  }
}

/** Whether the browser can show notifications at all, and what the user said. */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission; must run from a click. */
export async function requestNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** A system notification, when permitted; phones only show them through the service worker. */
export async function showNotification(title: string, body: string, tag: string): Promise<void> {
  if (notificationPermission() !== 'granted') return;
  const options: NotificationOptions = { body, tag, requireInteraction: true };
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    if (registration) {
      await registration.showNotification(title, options);
      return;
    }
    new Notification(title, options);
  } catch {
    // Shown in the page anyway.
  }
}
