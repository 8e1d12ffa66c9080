import type { Incident } from '@lagesbild/shared';
import { useCallback, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { playActivationSound } from '../domain/alert-signals';
import { usePicture } from '../stores/picture';
import { ActivatedView } from './ActivatedView';
import { ActivationTakeover } from './ActivationTakeover';
import { OrdinaryView } from './OrdinaryView';
import { SoundToggle } from './SoundToggle';
import { LogNotices } from '../components/LogNotices';
import { StaleBanner } from './StaleBanner';
import { WallClock } from './WallClock';
import { WallStatusLine } from './WallStatusLine';
import { rotationPosition } from './rotation';
import { useActivationTakeover } from './use-activation-takeover';
import { useRotation } from './use-rotation';
import { wallSoundEnabled } from './wall-sound';
import { activeIdsKey, activeIncidentsOf } from './wall-view';
import type { WallDisplay } from './wall-store';
import './wall.css';
import { startWallFrames, useWallFrame } from './wall-frame';

/**
 * The wall display: the region's mode and the clock on top, the incident in activated
 * mode (rotating when there are several) or ordinary mode below, a new activation over
 * everything, and the age of the data whenever the link is down.
 */
export function WallPage({ display }: { display: WallDisplay }) {
  const { t } = useTranslation();
  useEffect(() => startWallFrames(), []);
  const incidents = useWallFrame((s) => s.state.incidents);
  const heightened = useWallFrame((s) => s.state.readiness.heightened);
  const active = useMemo(() => activeIncidentsOf(incidents), [incidents]);
  // The rotation follows the picture itself, not the throttled frame: a new activation is
  // focused the moment it is announced, before the next frame is drawn.
  const activeKey = usePicture((s) => activeIdsKey(s.state.incidents));
  const activeIds = useMemo(() => (activeKey === '' ? [] : activeKey.split(',')), [activeKey]);
  const { rotation, focus } = useRotation(activeIds);

  const handleAnnounce = useCallback(
    (incident: Incident) => {
      focus(incident.id);
      if (wallSoundEnabled()) playActivationSound();
    },
    [focus],
  );
  const takeoverId = useActivationTakeover(handleAnnounce);

  const current = active.find((i) => i.id === rotation.currentId) ?? active[0] ?? null;
  const activated = active.length > 0;

  return (
    <div className={`wall wall--${activated ? 'activated' : 'ordinary'}`} data-testid="wall">
      <StaleBanner />
      {/* A wall is read-only and unattended: the reset notice goes away by itself. */}
      <LogNotices unattended />
      <header className="wall__bar">
        <div className="wall__modes">
          <p
            className={`wall-mode wall-mode--${activated ? 'activated' : 'ordinary'}`}
            data-testid="wall-mode"
          >
            {activated ? t('mode.activated') : t('mode.ordinary')}
            {activated && (
              <span className="wall-mode__count">{t('mode.activeCount', { count: active.length })}</span>
            )}
          </p>
          {heightened && <p className="wall-mode wall-mode--readiness">{t('mode.heightenedReadiness')}</p>}
        </div>
        <p className="wall__region">{display.region.name}</p>
        <WallClock />
      </header>
      <main className="wall__main">
        {current ? (
          <ActivatedView
            key={current.id}
            incident={current}
            position={rotationPosition(activeIds, current.id)}
            display={display}
          />
        ) : (
          <OrdinaryView display={display} />
        )}
      </main>
      <footer className="wall__footer">
        <WallStatusLine display={display} />
        <SoundToggle />
      </footer>
      {takeoverId && <ActivationTakeover incidentId={takeoverId} region={display.region} />}
    </div>
  );
}
