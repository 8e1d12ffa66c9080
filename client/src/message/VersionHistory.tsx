import type { JointMessage, RegionConfig } from '@lagesbild/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { personLabel } from '../directive/directive-labels';
import { capUrl } from './message-labels';
import { MessageContentView } from './MessageContentView';

/**
 * Every saved version, newest first: who saved it when, whether it was agreed (with its CAP
 * alert to download) and, for an edit after an agreed version, that it reopened sign-off.
 * Each version's content opens in place.
 */
export function VersionHistory({ message, region }: { message: JointMessage; region: RegionConfig }) {
  const { t } = useTranslation();
  const headingId = useId();
  const versions = [...message.versions].reverse();
  return (
    <section className="message-versions" aria-labelledby={headingId} data-testid="message-versions">
      <h4 id={headingId}>{t('message.versions.title')}</h4>
      <ol className="message-versions__list" reversed>
        {versions.map((version) => {
          const reopens =
            version.agreedAt === null &&
            message.versions.some((v) => v.version < version.version && v.agreedAt !== null);
          return (
            <li key={version.version} data-testid={`message-version-${version.version}`}>
              <p className="message-versions__head">
                <strong>{t('message.versionLabel', { version: version.version })}</strong> ·{' '}
                {t('message.draftedBy', { name: personLabel(region, version.draftedBy) })}{' '}
                <Time iso={version.at} /> ·{' '}
                {version.agreedAt ? (
                  <>
                    <strong>{t('message.versions.agreed')}</strong> <Time iso={version.agreedAt} /> ·{' '}
                    <a
                      href={capUrl(message.id, version.version)}
                      download
                      data-testid={`message-cap-link-v${version.version}`}
                    >
                      {t('message.cap.download', { version: version.version })}
                    </a>
                  </>
                ) : (
                  <>
                    {t('message.versions.notAgreed')}
                    {reopens && <> ({t('message.versions.reopens')})</>}
                  </>
                )}
              </p>
              <details className="disclosure">
                <summary>{t('message.versions.content', { version: version.version })}</summary>
                <MessageContentView content={version.content} region={region} />
              </details>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
