import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';

/**
 * Whether the picture on screen is the hub's, now: connected, and caught up with where the
 * log stood when the hub said hello. Until then an empty list only means "not known yet",
 * and must not read as "nothing there".
 */
export function useCaughtUp(): boolean {
  const online = useConnection((s) => s.status === 'online');
  const helloHeadSeq = useConnection((s) => s.helloHeadSeq);
  const lastSeq = usePicture((s) => s.lastSeq);
  return online && helloHeadSeq !== null && lastSeq >= helloHeadSeq;
}
