import { useTranslation } from 'react-i18next';
import { PairingScreen } from './PairingScreen';
import { WallPage } from './WallPage';
import { useWall } from './wall-store';
import './wall.css';
import { registerTranslations } from '../i18n/register';
import { wallEn } from './wall-en';
import { wallSv } from './wall-sv';

// The wall's texts load with it; the operators' first page carries none of them.
registerTranslations({ wall: wallSv }, { wall: wallEn });

/** `/wall`: the pairing form, a waiting message, or the wall itself. */
export function WallApp() {
  const { t } = useTranslation();
  const status = useWall((s) => s.status);
  const display = useWall((s) => s.display);
  if (status === 'ready' && display) return <WallPage display={display} />;
  if (status === 'unpaired') return <PairingScreen />;
  return (
    <main className="wall wall--message" id="main" aria-busy={status === 'loading'}>
      <p className="wall-message" role="status" data-testid="wall-waiting">
        {status === 'unreachable' ? t('wall.unreachable') : t('wall.waiting')}
      </p>
    </main>
  );
}
