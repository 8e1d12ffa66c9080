import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { initI18n } from '../i18n/i18n';
import { useConnection } from '../stores/connection';
import { useLogNotices } from '../stores/log-notices';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { useSession } from '../stores/session';
import { useView } from '../stores/view';
import { registerAllTranslations } from './translations';

/**
 * Gives each UI test Swedish (every lazily loaded view's texts too), empty stores and an empty document. The stores are module
 * singletons, so without this one test's picture would leak into the next.
 */
export function setUpUiTests(): void {
  registerAllTranslations();
  beforeEach(() => {
    localStorage.clear();
    initI18n('sv');
    usePicture.getState().reset();
    useConnection.getState().reset();
    useLogNotices.setState({ lost: null, reset: false, resets: 0 });
    useOutbox.getState().replaceAll([]);
    useView.getState().reset();
    useSession.setState({ status: 'loading', session: null, signedOutReason: null });
  });
  afterEach(() => cleanup());
}
