import type { SessionInfo } from '@lagesbild/shared';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MunicipalStatus } from '../domain/map-municipalities';
import { ReportCard } from '../features/ReportCard';

/**
 * The latest report of the municipality picked on the map or in the list, or word that it
 * has none. Focus moves to it when it opens, so a keyboard user lands on what they asked
 * for, and goes back where it was when it closes.
 */
export function MunicipalityReport({
  session,
  municipality,
  onClose,
}: {
  session: SessionInfo;
  municipality: MunicipalStatus;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<Element | null>(null);

  useEffect(() => {
    returnTo.current ??= document.activeElement;
    heading.current?.focus();
  }, [municipality.actorId]);

  const close = () => {
    onClose();
    const previous = returnTo.current;
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
  };

  return (
    <section
      className="municipality-report"
      aria-labelledby="municipality-report-heading"
      data-testid="municipality-report"
      data-actor-id={municipality.actorId}
    >
      <div className="municipality-report__head">
        <h4 id="municipality-report-heading" ref={heading} tabIndex={-1}>
          {t('map.municipalityReport', { name: municipality.name })}
        </h4>
        <button type="button" className="button button--small" onClick={close}>
          {t('map.closeMunicipality')}
        </button>
      </div>
      {municipality.report ? (
        <ReportCard session={session} report={municipality.report} />
      ) : (
        <p className="hint">{t('map.municipalityNoReport', { name: municipality.name })}</p>
      )}
    </section>
  );
}
