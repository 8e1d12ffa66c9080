import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { retryFailedChunks } from './lazy-chunk';

function ChunkFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="chunk-error" role="alert" data-testid="chunk-error">
      <p>{t('chunkError.text')}</p>
      <button type="button" className="button button--small" onClick={onRetry}>
        {t('chunkError.retry')}
      </button>
    </div>
  );
}

/**
 * Around every part of the page that loads on first use: when its code cannot be fetched
 * (the connection dropped, a new version replaced the file) the rest of the page stays,
 * the part says so, and "Försök igen" fetches it again.
 */
export class ChunkErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('A part of the page could not be shown', error, info.componentStack);
  }

  private readonly retry = () => {
    retryFailedChunks();
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    return this.state.failed ? <ChunkFailed onRetry={this.retry} /> : this.props.children;
  }
}
