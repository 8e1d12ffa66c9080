import { FEATURE_KINDS, type FeatureKind, type Incident, type SessionInfo } from '@lagesbild/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actorColour, actorLabel, actorShortLabel } from '../domain/actors';
import { countByStatus, municipalStatuses, statusByActor } from '../domain/map-municipalities';
import { fieldReportPoints, filterFeatures, pictureFeatures } from '../domain/picture';
import { LazyMap } from '../map/LazyMap';
import type { MapShape, MunicipalStatusLayer } from '../map/map-types';
import { MunicipalityReport } from '../map/MunicipalityReport';
import { MunicipalityStatusList } from '../map/MunicipalityStatusList';
import { MunicipalStatusLegend } from '../map/MunicipalStatusLegend';
import { checkinShapes, fieldReportShapes } from '../phone/checkin-shapes';
import { Roster } from '../phone/Roster';
import { usePicture } from '../stores/picture';
import { ActorStatusGrid } from './ActorStatusGrid';
import { NeedsList } from './NeedsList';

/** The list under the map shows this many rows; the map shows them all. */
const LIST_LIMIT = 300;

const toggled = <T,>(set: ReadonlySet<T>, value: T): Set<T> => {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
};

/** The common picture of one incident: the map with its filters, statuses and needs. */
export function PicturePanel({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const [hiddenActors, setHiddenActors] = useState<ReadonlySet<string>>(new Set());
  const [hiddenKinds, setHiddenKinds] = useState<ReadonlySet<FeatureKind>>(new Set());
  const [showFieldReports, setShowFieldReports] = useState(true);
  // The municipality whose latest report is open, picked on the map or in the list.
  const [openMunicipality, setOpenMunicipality] = useState<string | null>(null);
  const region = session.region;

  const municipalities = useMemo(
    () => municipalStatuses(state.reports, incident.id, region.actors),
    [state.reports, incident.id, region.actors],
  );
  const municipalLayer = useMemo<MunicipalStatusLayer>(
    () => ({
      actors: region.actors,
      statusOf: statusByActor(municipalities),
      statusWord: (status) => t(`actorStatus.${status}`),
      onSelect: setOpenMunicipality,
      selectedActorId: openMunicipality,
    }),
    [region.actors, municipalities, openMunicipality, t],
  );
  const opened = municipalities.find((m) => m.actorId === openMunicipality) ?? null;

  const all = useMemo(() => pictureFeatures(state, incident.id), [state, incident.id]);
  const visible = useMemo(
    () => filterFeatures(all, { hiddenActors, hiddenKinds }),
    [all, hiddenActors, hiddenKinds],
  );
  // Field reports are drawn beside the reports' features; they never replace them.
  const fieldPoints = useMemo(() => fieldReportPoints(state, incident.id), [state, incident.id]);
  const visibleFieldPoints = useMemo(
    () => (showFieldReports ? fieldPoints.filter((p) => !hiddenActors.has(p.fieldReport.actorId)) : []),
    [fieldPoints, showFieldReports, hiddenActors],
  );
  const reportingActors = useMemo(
    () =>
      [...new Set([...all.map((f) => f.actorId), ...fieldPoints.map((p) => p.fieldReport.actorId)])].sort(),
    [all, fieldPoints],
  );

  const shapes = useMemo<MapShape[]>(() => {
    const list: MapShape[] = visible.map((f) => ({
      key: f.key,
      geometry: f.geometry,
      colour: actorColour(region, f.actorId),
      kind: f.kind,
      title: `${t(`featureKind.${f.kind}`)}${f.label ? `: ${f.label}` : ''} – ${actorLabel(region, f.actorId)}`,
    }));
    if (incident.area) {
      list.unshift({
        key: 'area',
        geometry: incident.area,
        colour: '#111111',
        kind: 'area',
        title: t('incident.area'),
      });
    }
    list.push(
      ...fieldReportShapes(visibleFieldPoints, region, (fieldReport) =>
        t('fieldReport.onMap', {
          eventType: fieldReport.eventType,
          actor: actorLabel(region, fieldReport.actorId),
        }),
      ),
    );
    // Who is checked in where (issue 5): drawn with the features, named in the roster.
    const onIncident = Object.values(state.checkins).filter((c) => c.incidentId === incident.id);
    list.push(...checkinShapes(onIncident, region, (status) => t(`phone.checkinStatus.${status}`)));
    return list;
  }, [visible, visibleFieldPoints, incident.area, incident.id, state.checkins, region, t]);

  return (
    <div className="picture">
      <section className="picture__map section" aria-labelledby="map-heading">
        <h3 id="map-heading">{t('map.title')}</h3>
        <div className="filters">
          <fieldset className="filters__group">
            <legend>{t('map.byKind')}</legend>
            {FEATURE_KINDS.map((kind) => (
              <label key={kind} className="filter">
                <input
                  type="checkbox"
                  checked={!hiddenKinds.has(kind)}
                  onChange={() => setHiddenKinds((s) => toggled(s, kind))}
                />{' '}
                <span className={`kind-swatch kind-swatch--${kind}`} aria-hidden="true" />
                {t(`featureKind.${kind}`)}
              </label>
            ))}
            {fieldPoints.length > 0 && (
              <label className="filter">
                <input
                  type="checkbox"
                  checked={showFieldReports}
                  onChange={() => setShowFieldReports((shown) => !shown)}
                />{' '}
                {t('fieldReport.mapFilter')}
              </label>
            )}
          </fieldset>
          {reportingActors.length > 0 && (
            <fieldset className="filters__group">
              <legend>{t('map.byActor')}</legend>
              {reportingActors.map((actorId) => (
                <label key={actorId} className="filter">
                  <input
                    type="checkbox"
                    checked={!hiddenActors.has(actorId)}
                    onChange={() => setHiddenActors((s) => toggled(s, actorId))}
                  />{' '}
                  <span
                    className="actor-swatch"
                    style={{ background: actorColour(region, actorId) }}
                    aria-hidden="true"
                  />
                  {actorShortLabel(region, actorId)}
                </label>
              ))}
            </fieldset>
          )}
        </div>
        <p className="summary-line" data-testid="feature-count" data-count={visible.length}>
          {t('map.visibleCount', { count: visible.length, total: all.length })}
        </p>
        {!session.tiles.url && <p className="hint">{t('map.noTiles')}</p>}
        {municipalities.length > 0 && (
          <MunicipalStatusLegend counts={countByStatus(municipalities)} heading={t('map.statusLegend')} />
        )}
        <LazyMap
          label={t('map.label', { title: incident.title })}
          center={region.map.center}
          zoom={region.map.zoom}
          tiles={session.tiles}
          shapes={shapes}
          fitToShapes
          municipalStatus={municipalLayer}
          testId="picture-map"
        />
        {municipalities.length > 0 && (
          <>
            {opened ? (
              <MunicipalityReport
                session={session}
                municipality={opened}
                onClose={() => setOpenMunicipality(null)}
              />
            ) : (
              <p className="hint">{t('map.statusHint')}</p>
            )}
            <MunicipalityStatusList
              municipalities={municipalities}
              selectedActorId={openMunicipality}
              onSelect={setOpenMunicipality}
            />
          </>
        )}
        <details className="disclosure">
          <summary>{t('map.featureList', { count: visible.length })}</summary>
          <div className="table-scroll">
            <table className="table" data-testid="feature-list">
              <thead>
                <tr>
                  <th scope="col">{t('map.kind')}</th>
                  <th scope="col">{t('map.featureLabel')}</th>
                  <th scope="col">{t('map.shape')}</th>
                  <th scope="col">{t('map.actor')}</th>
                </tr>
              </thead>
              <tbody>
                {visible.slice(0, LIST_LIMIT).map((f) => (
                  <tr
                    key={f.key}
                    data-kind={f.kind}
                    data-geometry={f.geometry.type}
                    data-actor-id={f.actorId}
                  >
                    <td>{t(`featureKind.${f.kind}`)}</td>
                    <td>{f.label || '–'}</td>
                    <td>{t(`geometry.${f.geometry.type}`)}</td>
                    <td>{actorLabel(region, f.actorId)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {visible.length > LIST_LIMIT && (
            <p className="hint">{t('map.listLimited', { count: LIST_LIMIT })}</p>
          )}
        </details>
      </section>
      <div className="picture__side">
        <ActorStatusGrid session={session} incident={incident} />
        <NeedsList session={session} incidentId={incident.id} />
        <Roster incidentId={incident.id} region={region} />
      </div>
    </div>
  );
}
