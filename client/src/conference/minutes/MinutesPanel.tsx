import {
  buildMinutes,
  mayChair,
  LIMITS,
  type Conference,
  type MinutesVersion,
  type SessionInfo,
} from '@lagesbild/shared';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../../components/CommandStatus';
import { Time } from '../../components/Time';
import { clearDraft, loadDraft } from '../../domain/drafts';
import { can } from '../../domain/rights';
import { submit } from '../../features/submit';
import { useOnSent, useStillSending } from '../../hooks/use-send';
import { usePicture } from '../../stores/picture';
import { conferenceDraftKey } from '../conference-drafts';
import { downloadText } from './download';
import { printMinutes, PRINTING_MINUTES } from './print';
import { CorrectionDraft, MinutesCorrectionForm } from './MinutesCorrectionForm';
import { MinutesDocument } from './MinutesDocument';
import { minutesMarkdown } from './minutes-markdown';
import { minutesFileName, personLabel } from './minutes-text';
import './minutes.css';
import { registerTranslations } from '../../i18n/register';
import { conferenceEn } from '../i18n-en';
import { conferenceSv } from '../i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(conferenceSv, conferenceEn);

/**
 * A conference's minutes (protokoll). Before approval: a preview generated from the log
 * and, for the chair, "Godkänn protokollet". After: the approved version read-only, every
 * version with who approved it and what it corrected, print and download, and for the
 * chair a correction, which becomes the next version.
 */
export function MinutesPanel({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const headingId = useId();
  const mayApprove =
    mayChair(conference, session.actorId, session.region) && can(session, 'conference.approveMinutes');

  return (
    <section className="minutes-panel" aria-labelledby={headingId} data-testid="minutes-panel">
      <h4 id={headingId} className="no-print">
        {t('minutes.title')}
      </h4>
      {conference.status !== 'closed' ? (
        <p className="empty">{t('minutes.notClosed')}</p>
      ) : conference.minutes.length === 0 ? (
        <MinutesPreview session={session} conference={conference} mayApprove={mayApprove} />
      ) : (
        <ApprovedMinutes session={session} conference={conference} mayCorrect={mayApprove} />
      )}
    </section>
  );
}

/** The minutes as they would be approved now, and the chair's approval. */
function MinutesPreview({
  session,
  conference,
  mayApprove,
}: {
  session: SessionInfo;
  conference: Conference;
  mayApprove: boolean;
}) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  // The same generation the hub runs on approval, so what the chair reads is what is kept.
  // The conference shown is the one generated, even before the picture holds it.
  const preview = useMemo(
    () =>
      buildMinutes(
        state.conferences[conference.id] === conference
          ? state
          : { ...state, conferences: { ...state.conferences, [conference.id]: conference } },
        conference.id,
        session.region,
      ),
    [state, conference, session.region],
  );
  const [sentItem, setSentItem] = useState<string | null>(null);
  const sending = useStillSending(sentItem);

  const approve = async () => {
    setSentItem(
      await submit(session, 'conference.approveMinutes', {
        conferenceId: conference.id,
        version: 1,
        correction: '',
      }),
    );
  };

  return (
    <>
      <p className="notice no-print">{t('minutes.previewHint')}</p>
      {mayApprove && (
        <div className="form__inline no-print">
          <button
            type="button"
            className="button button--primary"
            disabled={sending}
            onClick={() => void approve()}
            data-testid="minutes-approve"
          >
            {t('minutes.approve')}
          </button>
          <CommandStatus itemId={sentItem} />
        </div>
      )}
      <MinutesDocument minutes={preview} approval={null} region={session.region} />
    </>
  );
}

/** The approved minutes: one version shown (the latest unless another is picked), read-only. */
function ApprovedMinutes({
  session,
  conference,
  mayCorrect,
}: {
  session: SessionInfo;
  conference: Conference;
  mayCorrect: boolean;
}) {
  const { t, i18n } = useTranslation();
  const versions = conference.minutes;
  const latest = versions[versions.length - 1] as MinutesVersion;
  const [picked, setPicked] = useState<number | null>(null);
  const shown = versions.find((v) => v.version === picked) ?? latest;
  // A correction kept from before (a reload, another tab) opens the form again.
  const draftKey = conferenceDraftKey('correction', session.user.id, conference.id);
  const [correcting, setCorrecting] = useState(() => loadDraft(draftKey, CorrectionDraft) !== null);
  const [sentItem, setSentItem] = useState<string | null>(null);
  const sending = useStillSending(sentItem);
  // The form goes once the hub has approved the correction, not when it is queued.
  useOnSent(sentItem, () => {
    clearDraft(draftKey);
    setCorrecting(false);
    setPicked(null);
  });
  // Leaving the minutes mid-print must not leave the print rules behind.
  useEffect(() => () => document.body.classList.remove(PRINTING_MINUTES), []);
  const versionsId = useId();

  const download = (extension: 'md' | 'json') => {
    const fileName = minutesFileName(shown.minutes, shown.version, extension);
    if (extension === 'md') {
      const words = { t, language: i18n.language, region: session.region };
      downloadText(fileName, minutesMarkdown(shown.minutes, shown, words), 'text/markdown');
    } else {
      downloadText(fileName, `${JSON.stringify(shown, null, 2)}\n`, 'application/json');
    }
  };

  return (
    <>
      <p className="notice no-print">{t('minutes.readOnly')}</p>
      <div className="minutes-panel__tools no-print">
        <button type="button" className="button button--secondary" onClick={printMinutes}>
          {t('minutes.print')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => download('md')}>
          {t('minutes.downloadMarkdown')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => download('json')}>
          {t('minutes.downloadJson')}
        </button>
        {mayCorrect && !correcting && versions.length < LIMITS.maxMinutesVersions && (
          <button
            type="button"
            className="button button--primary"
            disabled={sending}
            onClick={() => setCorrecting(true)}
            data-testid="minutes-correct"
          >
            {t('minutes.correct')}
          </button>
        )}
        <CommandStatus itemId={sentItem} />
      </div>
      {correcting && (
        <MinutesCorrectionForm
          key={latest.version}
          session={session}
          conference={conference}
          latest={latest}
          draftKey={draftKey}
          pending={sending}
          onQueued={setSentItem}
          onCancel={() => setCorrecting(false)}
        />
      )}
      <section className="minutes-versions no-print" aria-labelledby={versionsId}>
        <h5 id={versionsId}>{t('minutes.versions')}</h5>
        <ol className="minutes-versions__list" data-testid="minutes-versions">
          {versions.map((v) => (
            <li key={v.version} data-testid={`minutes-version-${v.version}`}>
              <strong>{t('minutes.versionLabel', { version: v.version })}</strong> – <Time iso={v.at} />,{' '}
              {personLabel(v.by, session.region)}:{' '}
              <span className="prewrap">{v.correction.trim() || t('minutes.firstApproval')}</span>{' '}
              <button
                type="button"
                className="button button--small"
                aria-pressed={v.version === shown.version}
                onClick={() => setPicked(v.version)}
              >
                {t('minutes.show')}
                <span className="visually-hidden">: {t('minutes.versionLabel', { version: v.version })}</span>
              </button>
            </li>
          ))}
        </ol>
      </section>
      <MinutesDocument minutes={shown.minutes} approval={shown} region={session.region} />
    </>
  );
}
