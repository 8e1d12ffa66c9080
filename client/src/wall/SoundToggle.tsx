import { useTranslation } from 'react-i18next';
import { playActivationSound } from '../domain/alert-signals';
import { useWallSound } from './wall-sound';

/**
 * The room's choice of a sound on activation. Turning it on plays the sound once: the
 * browser only lets a page make sound after a click, and the room hears what to expect.
 */
export function SoundToggle() {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useWallSound();
  return (
    <button
      type="button"
      className="wall-sound"
      aria-pressed={enabled}
      onClick={() => {
        setEnabled(!enabled);
        if (!enabled) playActivationSound();
      }}
    >
      {enabled ? t('wall.soundOn') : t('wall.soundOff')}
    </button>
  );
}
