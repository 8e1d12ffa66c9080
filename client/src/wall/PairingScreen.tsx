import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../components/error-text';
import { pairWall } from './wall-flow';
import { useWall } from './wall-store';
import './wall.css';

/**
 * Shown by a display the hub does not know: never paired, or revoked. It holds nothing of
 * the picture. Pairing is done once, at set-up, usually by opening the admin's link.
 */
export function PairingScreen() {
  const { t } = useTranslation();
  const reason = useWall((s) => s.unpairedReason);
  const pairError = useWall((s) => s.pairError);
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const inputId = useId();
  const messageId = useId();

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending || code.trim() === '') return;
    setPending(true);
    await pairWall(code);
    setPending(false);
  };

  // A refused code says so; any other failure (no network, too many tries) in its own words.
  const codeProblem =
    pairError && pairError.code !== 'unauthenticated' && pairError.code !== 'bad_request'
      ? errorText(t, pairError)
      : t('wall.codeRefused');
  const message = reason === 'revoked' ? t('wall.revoked') : reason === 'codeRefused' ? codeProblem : null;
  return (
    <main className="wall wall--pairing" id="main" data-testid="wall-pairing">
      <div className="wall-pairing">
        <h1>{t('wall.pairingTitle')}</h1>
        <p>{t('wall.pairingHelp')}</p>
        {message && (
          <p className="wall-pairing__message" role="alert" id={messageId}>
            {message}
          </p>
        )}
        <form onSubmit={(e) => void handleSubmit(e)} className="wall-pairing__form">
          <label htmlFor={inputId}>{t('wall.pairingCode')}</label>
          <input
            id={inputId}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            aria-describedby={message ? messageId : undefined}
          />
          <button type="submit" className="wall-button" disabled={pending}>
            {pending ? t('wall.pairingPending') : t('wall.pairingSubmit')}
          </button>
        </form>
      </div>
    </main>
  );
}
