import type { LatLng } from '@lagesbild/shared';

/** Where a position in a form came from. */
export type PositionChoice =
  { source: 'device'; position: LatLng; accuracy: number } | { source: 'map'; position: LatLng };

/** Why the device gave no position: the person (or the browser) said no, or it found none. */
export type LocateFailure = 'denied' | 'unavailable';

const PERMISSION_DENIED = 1;

/**
 * Asks the device for its position. The browser asks the person for consent the first
 * time; a refusal is an answer, not an error, and the form offers the map instead.
 */
export function locate(timeoutMs = 15_000): Promise<PositionChoice | LocateFailure> {
  const geolocation = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
  if (!geolocation) return Promise.resolve('unavailable');
  return new Promise((resolve) => {
    geolocation.getCurrentPosition(
      ({ coords }) =>
        resolve({
          source: 'device',
          position: { lat: coords.latitude, lng: coords.longitude },
          accuracy: Math.round(coords.accuracy),
        }),
      (error) => resolve(error.code === PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
