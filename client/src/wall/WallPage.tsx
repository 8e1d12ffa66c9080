import { openConferenceOf, type Incident } from '@lagesbild/shared';
import { useCallback, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { playActivationSound } from '../domain/alert-signals';
import { readinessWords } from '../domain/readiness-words';
import { usePicture } from '../stores/picture';
import { ActivatedView } from './ActivatedView';
import { ActivationTakeover } from './ActivationTakeover';
import { OrdinaryView } from './OrdinaryView';
import { SoundToggle } from './SoundToggle';
import { LogNotices } from '../components/LogNotices';
import { StaleBanner } from './StaleBanner';
import { WallClock } from './WallClock';
import { WallStatusLine } from './WallStatusLine';
import { DIRECTIVE_HOLD_MS, rotationPosition } from './rotation';
import { useActivationTakeover } from './use-activation-takeover';
import { useDirectiveFocus } from './use-directive-focus';
import { useMessageFocus } from './use-message-focus';
import { useRotation } from './use-rotation';
import { wallSoundEnabled } from './wall-sound';
import { activeIncidentsOf } from './wall-view';
import { wallRotationIds, wallRotationKey } from './wall-conference';
import { WallConference } from './WallConference';
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
  const readiness = useWallFrame((s) => s.state.readiness);
  const readinessShown = readinessWords(readiness, t);
  const active = useMemo(() => activeIncidentsOf(incidents), [incidents]);
  // The rotation follows the picture itself, not the throttled frame: a new activation is
  // focused the moment it is announced, before the next frame is drawn. While a conference
  // runs, it rotates only among the incidents conferring, so no turn takes the step away.
  const rotationKey = usePicture((s) => wallRotationKey(s.state));
  const rotationIds = useMemo(() => (rotationKey === '' ? [] : rotationKey.split(',')), [rotationKey]);
  const { rotation, focus } = useRotation(rotationIds);
  const conferences = useWallFrame((s) => s.state.conferences);
  const ordinaryConference = useMemo(() => openConferenceOf({ conferences }, null), [conferences]);

  const handleAnnounce = useCallback(
    (incident: Incident) => {
      focus(incident.id);
      if (wallSoundEnabled()) playActivationSound();
    },
    [focus],
  );
  const takeoverId = useActivationTakeover(handleAnnounce);

  // A new directive in force, or a newly agreed (or withdrawn) joint message, is put on
  // screen at once, unless a conference elsewhere has the wall: the rotation stays with the
  // conference, and the news shows in its turn.
  const handleNews = useCallback(
    (incidentId: string) => {
      if (wallRotationIds(usePicture.getState().state).includes(incidentId))
        focus(incidentId, DIRECTIVE_HOLD_MS);
    },
    [focus],
  );
  useDirectiveFocus(handleNews);
  useMessageFocus(handleNews);

  // The rotation's next tick catches up with a changed list; until then show what it will pick.
  const shownIds = rotationIds.includes(rotation.currentId ?? '') ? [rotation.currentId] : rotationIds;
  const current =
    active.find((i) => i.id === rotation.currentId && shownIds.includes(i.id)) ??
    active.find((i) => shownIds.includes(i.id)) ??
    active[0] ??
    null;
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
          {readinessShown && (
            <p
              className={`wall-mode wall-mode--readiness wall-mode--${readiness.level}`}
              data-testid="wall-readiness"
            >
              {readinessShown.level}
            </p>
          )}
        </div>
        <p className="wall__region">{display.region.name}</p>
        <WallClock />
      </header>
      <main className="wall__main">
        {current ? (
          <ActivatedView
            key={current.id}
            incident={current}
            position={rotationPosition(rotationIds, current.id)}
            display={display}
          />
        ) : ordinaryConference ? (
          <div className="wall-ordinary-conference">
            <WallConference conference={ordinaryConference} incident={null} region={display.region} />
          </div>
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
